/**
 * The Playground worker's scorer of a word-vector bundle (manifest.json + model.onnx): core's `createBundleScorer`
 * on onnxruntime-web, with the manifest's detectors restored by `@gradeshift/ood`, as the API loads it.
 */
import { createBundleScorer, describeDecision, parseManifest } from '@gradeshift/core';
import { loadBundleDetectors } from '@gradeshift/ood';

import { fetchBundleFile } from './bundle-files';
import { playgroundRows, type LoaderContext, type PlaygroundScorer } from './playground-rows';
import { webBackend } from './web-backend';

/**
 * Loads a word-vector bundle whose manifest was fetched.
 * @throws Error for a manifest that does not check or a model that does not load
 */
export async function loadWordVectorScorer(context: LoaderContext): Promise<PlaygroundScorer> {
  const manifest = parseManifest(context.manifest);
  const model = await fetchBundleFile('model.onnx', {
    sha256: manifest.model.sha256,
    onProgress: context.onProgress,
  });
  const session = await (await webBackend()).createSession(model.bytes);
  const detectors = loadBundleDetectors(manifest.ood);
  const scorer = createBundleScorer({ manifest, session, detectors });
  const grades = manifest.grades.map((g) => g.name);
  return {
    loaded: {
      kind: 'word-vector',
      sha256: manifest.model.sha256,
      modelBytes: context.manifestBytes + model.bytes.byteLength,
      loadMs: performance.now() - context.startedAt,
      cachedFiles: model.cached ? ['model.onnx'] : [],
      detectorScores: Object.keys(detectors),
      grades,
      decision: describeDecision(manifest.decision, grades),
    },
    async score(query, items) {
      const scores = await scorer.scorePairs(query, [...items]);
      return playgroundRows({ ...scores, ood: Object.entries(scores.ood) }, grades.length);
    },
  };
}
