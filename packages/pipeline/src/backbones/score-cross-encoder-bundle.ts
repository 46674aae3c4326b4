/**
 * `gradeshift score --model <cross-encoder bundle>`: pairs scored with a cross-encoder bundle into the same rows as
 * the other bundles' (probabilities, expected grade, the grade under the bundle's decision rule, rank within the
 * query, each OOD score with its ID percentile and flag at the bundle's threshold), computed as
 * `evaluate --cross-encoder` computed them for the same pairs.
 */
import { join } from 'node:path';

import { CROSS_ENCODER_BUNDLE_FORMAT, crossEncoderBundleOutputs } from '@gradeshift/core';
import { createOrtGemm } from '@gradeshift/core/node';

import { BundleError } from '../bundle/bundle-error';
import type { UnlabeledPair } from '../data/dataset';
import {
  rankPairsWithinQueries,
  topGradeProbs,
  type ScoredPairs,
} from '../pipeline/score-bundle-pairs';
import type { ProgressSink } from '../stages/progress';
import { openCrossEncoderBundle, type OpenCrossEncoderBundle } from './cross-encoder-bundle';
import { manifestFormat } from './manifest-format';

/**
 * Whether a folder holds a cross-encoder bundle (its manifest names the cross-encoder bundle format).
 * @param dir - the folder
 */
export function isCrossEncoderBundle(dir: string): boolean {
  return manifestFormat(dir) === CROSS_ENCODER_BUNDLE_FORMAT;
}

/**
 * Scores pairs with an opened cross-encoder bundle: the model's logits mapped to the grades (float64
 * probabilities), the expected grade, the grade by the bundle's decision rule, each pair's rank among its query's
 * pairs, and every OOD score of its manifest. The one step behind `gradeshift score` and the API's cross-encoder
 * models.
 * @param bundle - the opened bundle ({@link openCrossEncoderBundle})
 * @param pairs - the pairs, in input order
 * @param options - progress of the model's runs
 * @throws BundleError `MODEL_MISMATCH` for a model whose logit count is not the manifest's
 */
export async function scoreOpenCrossEncoderBundle(
  bundle: OpenCrossEncoderBundle,
  pairs: readonly { readonly query: string; readonly item: string }[],
  options: { progress?: ProgressSink } = {},
): Promise<ScoredPairs> {
  const { manifest } = bundle;
  const scores = await bundle.backbone.score(
    pairs,
    options.progress === undefined ? {} : { progress: options.progress },
  );
  if (pairs.length > 0 && scores.grades !== manifest.backbone.outputs.count)
    throw new BundleError(
      'MODEL_MISMATCH',
      {
        path: join(bundle.backbone.dir, manifest.backbone.model.file),
        reason: `the model gives ${scores.grades} logits but the manifest declares ${manifest.backbone.outputs.count}`,
      },
      { hint: 'export the bundle again (evaluate --cross-encoder … --bundle-out <dir>)' },
    );
  const k = manifest.grades.length;
  const { probs, expected, predicted, ood } = await crossEncoderBundleOutputs(
    { ...scores, hidden: scores.spaces['relevance'] ?? null },
    { ...bundle.decisions, logitMapping: manifest.logitMapping, grades: k },
  );
  const rank = new Int32Array(pairs.length);
  rankPairsWithinQueries(pairs, { expected, top: topGradeProbs(probs, k) }, rank);
  return { grades: manifest.grades, probs, expected, predicted, rank, ood };
}

/**
 * Scores pairs with a cross-encoder bundle: the model's logits mapped to the grades, the grade by the bundle's
 * decision rule, and every OOD score of its manifest.
 * @param dir - the bundle folder
 * @param pairs - the pairs, in output order
 * @param options - progress and onnxruntime's intra-op threads (at least 1)
 * @throws BundleError for a bundle that does not open (`openCrossEncoderBundle`) or a model whose logit count is
 *   not the manifest's
 */
export async function scoreCrossEncoderBundlePairs(
  dir: string,
  pairs: readonly UnlabeledPair[],
  options: { progress?: ProgressSink; threads?: number } = {},
): Promise<ScoredPairs> {
  // The KNN banks' products on onnxruntime, as the evaluation computed them.
  const gemm = createOrtGemm();
  const bundle = await openCrossEncoderBundle(dir, {
    gemm,
    ...(options.threads === undefined ? {} : { threads: Math.max(1, options.threads) }),
  }).catch(async (error: unknown) => {
    await gemm.dispose();
    throw error;
  });
  try {
    return await scoreOpenCrossEncoderBundle(
      bundle,
      pairs,
      options.progress === undefined ? {} : { progress: options.progress },
    );
  } finally {
    await bundle.dispose();
    await gemm.dispose();
  }
}
