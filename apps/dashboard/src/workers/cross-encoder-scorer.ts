/**
 * The Playground worker's scorer of a cross-encoder bundle (`gradeshift evaluate --cross-encoder … --bundle-out`):
 * the manifest checked with core's `parseCrossEncoderBundleManifest` (zod) and `checkEncoderBundleDecisions`
 * (detectors restored by `@gradeshift/ood`), model.onnx and tokenizer.json fetched and checked against their
 * sha256, the tokenizer built in the browser (`tokenizerFromJson`) and checked against the model's vocabulary,
 * the model run on onnxruntime-web by core's `createCrossEncoder` at the manifest's truncation length, and its
 * logits turned into the answer by core's `crossEncoderBundleOutputs` — the code `gradeshift score` runs on
 * onnxruntime-node.
 */
import {
  checkEncoderBundleDecisions,
  checkVocabulary,
  createCrossEncoder,
  crossEncoderBundleOutputs,
  describeDecision,
  parseCrossEncoderBundleManifest,
  tokenizerFromJson,
} from '@gradeshift/core';
import { loadBundleDetectors } from '@gradeshift/ood';

import { BUNDLE_URL, fetchBundleFile } from './bundle-files';
import { playgroundRows, type LoaderContext, type PlaygroundScorer } from './playground-rows';
import { withSessions } from './session-scope';
import { webBackend } from './web-backend';

const AGAIN = 'export the bundle again (gradeshift evaluate --cross-encoder … --bundle-out <dir>)';

/**
 * Loads a cross-encoder bundle whose manifest was fetched.
 * @throws Error naming the manifest or the file that does not check, or a model whose outputs are not the
 *   manifest's
 */
export async function loadCrossEncoderScorer(context: LoaderContext): Promise<PlaygroundScorer> {
  const path = `${BUNDLE_URL}/manifest.json`;
  const manifest = parseCrossEncoderBundleManifest(context.manifest, path);
  const decisions = checkEncoderBundleDecisions(
    manifest,
    { path, again: `the manifest was changed after export; ${AGAIN}` },
    (ood) => loadBundleDetectors(ood),
  );
  const { backbone } = manifest;
  const get = (entry: { file: string; sha256: string }) =>
    fetchBundleFile(entry.file, { sha256: entry.sha256, onProgress: context.onProgress });
  const model = await get(backbone.model);
  const tokenizerFile = await get(backbone.tokenizer);
  const tokenizer = tokenizerFromJson(new TextDecoder().decode(tokenizerFile.bytes));
  checkVocabulary(tokenizer, model.bytes, {
    tokenizer: backbone.tokenizer.file,
    model: backbone.model.file,
  });
  // A check that fails after the model's session exists releases it (withSessions).
  const runner = await withSessions(await webBackend(), async (createSession) => {
    const built = createCrossEncoder(await createSession(model.bytes), tokenizer, {
      maxLength: backbone.maxLength,
    });
    if (built.hidden !== backbone.outputs.hidden)
      throw new Error(
        `${BUNDLE_URL}/${backbone.model.file} gives hidden state ${String(built.hidden)} but the manifest declares ${String(backbone.outputs.hidden)}: ${AGAIN}`,
      );
    return built;
  });
  const files: [string, typeof model][] = [
    [backbone.model.file, model],
    [backbone.tokenizer.file, tokenizerFile],
  ];
  const k = manifest.grades.length;
  return {
    loaded: {
      kind: 'cross-encoder',
      // As an encoder bundle: the manifest names every file's sha256 with the rule and the detectors.
      sha256:
        context.manifestSha256 ?? `cross-encoder ${backbone.model.sha256} (manifest not hashed)`,
      modelBytes: files.reduce((n, [, f]) => n + f.bytes.byteLength, context.manifestBytes),
      loadMs: performance.now() - context.startedAt,
      cachedFiles: files.filter(([, f]) => f.cached).map(([name]) => name),
      detectorScores: Object.keys(decisions.detectors),
      grades: manifest.grades,
      decision: describeDecision(decisions.decision, manifest.grades),
    },
    async score(query, items) {
      const scores = await runner.score(items.map((item) => ({ query, item })));
      if (items.length > 0 && scores.grades !== backbone.outputs.count)
        throw new Error(
          `${BUNDLE_URL}/${backbone.model.file} gives ${scores.grades} logits but the manifest declares ${backbone.outputs.count}: ${AGAIN}`,
        );
      const outputs = await crossEncoderBundleOutputs(scores, {
        ...decisions,
        logitMapping: manifest.logitMapping,
        grades: k,
      });
      return playgroundRows(outputs, k);
    },
  };
}
