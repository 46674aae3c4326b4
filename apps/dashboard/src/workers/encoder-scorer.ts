/**
 * The Playground worker's scorer of an encoder bundle: the manifest checked with core's
 * `parseEncoderBundleManifest` and `checkEncoderBundleDecisions` (detectors restored by `@gradeshift/ood`), the
 * encoder's model.onnx, tokenizer.json, head.onnx and term-statistics.json fetched and checked against their
 * sha256, the tokenizer built in the browser (`tokenizerFromJson`) and checked against the model's vocabulary,
 * the encoder and the head run on onnxruntime-web, and the pairs scored by core's `scoreEncoderBundleHead` and
 * `encoderBundleOutputs` — the code `gradeshift score` runs on onnxruntime-node.
 */
import {
  checkEncoderBundleDecisions,
  checkVocabulary,
  createTextEncoder,
  describeDecision,
  encoderBundleOutputs,
  parseEncoderBundleManifest,
  scoreEncoderBundleHead,
  termStatisticsFromJson,
  tokenizerFromJson,
  type EncoderBundleManifest,
} from '@gradeshift/core';
import { loadBundleDetectors } from '@gradeshift/ood';

import { BUNDLE_URL, fetchBundleFile, type BundleFile } from './bundle-files';
import { playgroundRows, type LoaderContext, type PlaygroundScorer } from './playground-rows';
import { withSessions } from './session-scope';
import { webBackend } from './web-backend';

/** The bundle's files the browser needs, fetched one after another (the encoder first: the largest). */
async function fetchFiles(
  manifest: EncoderBundleManifest,
  onProgress: LoaderContext['onProgress'],
): Promise<
  Record<'model' | 'tokenizer' | 'head', BundleFile> & {
    statistics: BundleFile | null;
    /** Every file fetched, by its name in the bundle. */
    all: [string, BundleFile][];
  }
> {
  const get = (entry: { file: string; sha256: string }) =>
    fetchBundleFile(entry.file, { sha256: entry.sha256, onProgress });
  const { backbone, head } = manifest;
  const model = await get(backbone.model);
  const tokenizer = await get(backbone.tokenizer);
  const headFile = await get(head);
  const statistics = head.termStatistics === null ? null : await get(head.termStatistics);
  const all: [string, BundleFile][] = [
    [backbone.model.file, model],
    [backbone.tokenizer.file, tokenizer],
    [head.file, headFile],
  ];
  if (statistics !== null && head.termStatistics !== null)
    all.push([head.termStatistics.file, statistics]);
  return { model, tokenizer, head: headFile, statistics, all };
}

/** The bytes as UTF-8 JSON text. */
const text = (file: BundleFile): string => new TextDecoder().decode(file.bytes);

/**
 * Loads an encoder bundle whose manifest was fetched.
 * @throws Error naming the manifest or the file that does not check, or the model without the declared output
 */
export async function loadEncoderScorer(context: LoaderContext): Promise<PlaygroundScorer> {
  const path = `${BUNDLE_URL}/manifest.json`;
  const manifest = parseEncoderBundleManifest(context.manifest, path);
  const decisions = checkEncoderBundleDecisions(manifest, path, (ood) => loadBundleDetectors(ood));
  const files = await fetchFiles(manifest, context.onProgress);
  const { backbone } = manifest;
  const tokenizer = tokenizerFromJson(text(files.tokenizer));
  checkVocabulary(tokenizer, files.model.bytes, {
    tokenizer: backbone.tokenizer.file,
    model: backbone.model.file,
  });
  const termStatistics =
    files.statistics === null ? null : termStatisticsFromJson(JSON.parse(text(files.statistics)));
  // A check that fails after the encoder's session exists releases it (withSessions).
  const { encoder, head } = await withSessions(await webBackend(), async (createSession) => {
    const built = createTextEncoder(await createSession(files.model.bytes), tokenizer, {
      maxLength: backbone.maxLength,
    });
    if (built.output !== backbone.output)
      throw new Error(
        `${BUNDLE_URL}/${backbone.model.file} gives ${built.output} but the manifest declares ${backbone.output}: export the model with that output (npm run models:minilm writes sentence_embedding and last_hidden_state)`,
      );
    return { encoder: built, head: await createSession(files.head.bytes) };
  });
  const { all } = files;
  return {
    loaded: {
      kind: 'encoder',
      // The bundle's identity as the API reports an encoder model's: manifest.json lists every file's sha256.
      sha256: context.manifestSha256 ?? `encoder ${backbone.model.sha256} (manifest not hashed)`,
      modelBytes: all.reduce((n, [, f]) => n + f.bytes.byteLength, context.manifestBytes),
      loadMs: performance.now() - context.startedAt,
      cachedFiles: all.filter(([, f]) => f.cached).map(([name]) => name),
      detectorScores: Object.keys(decisions.detectors),
      grades: manifest.grades,
      decision: describeDecision(decisions.decision, manifest.grades),
    },
    async score(query, items) {
      const pairs = items.map((item) => ({ query, item }));
      const scores = await scoreEncoderBundleHead(pairs, {
        manifest,
        embed: (texts) => encoder.embed(texts),
        head,
        termStatistics,
      });
      const outputs = await encoderBundleOutputs(scores, decisions);
      return playgroundRows(outputs, manifest.grades.length);
    },
  };
}
