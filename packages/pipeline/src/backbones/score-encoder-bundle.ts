/**
 * `gradeshift score --model <encoder bundle>`: pairs scored with an encoder bundle into the same rows as a scorer
 * bundle's (probabilities, expected grade, the grade under the bundle's decision rule, rank within the query, and
 * each OOD score with its ID percentile and flag at the bundle's threshold).
 */
import { encoderBundleOutputs } from '@gradeshift/core';
import { createOrtGemm } from '@gradeshift/core/node';

import type { UnlabeledPair } from '../data/dataset';
import {
  rankPairsWithinQueries,
  topGradeProbs,
  type ScoredPairs,
} from '../pipeline/score-bundle-pairs';
import type { ProgressSink } from '../stages/progress';
import { ENCODER_BUNDLE_FORMAT, openEncoderBundle, type OpenEncoderBundle } from './encoder-bundle';
import { manifestFormat } from './manifest-format';

/** Whether a folder holds an encoder bundle (its manifest names the encoder bundle format). */
export function isEncoderBundle(dir: string): boolean {
  return manifestFormat(dir) === ENCODER_BUNDLE_FORMAT;
}

/**
 * Scores pairs with an opened encoder bundle: the head's logits become float64 probabilities, the expected grade,
 * the grade by the bundle's decision rule, each pair's rank among its query's pairs, and every OOD score of its
 * manifest. The one step behind `gradeshift score` and the API's encoder models.
 * @param bundle - the opened bundle ({@link openEncoderBundle})
 * @param pairs - the pairs, in input order
 * @param options - progress of the encoder's runs
 */
export async function scoreOpenEncoderBundle(
  bundle: OpenEncoderBundle,
  pairs: readonly { readonly query: string; readonly item: string }[],
  options: { progress?: ProgressSink } = {},
): Promise<ScoredPairs> {
  const scores = await bundle.score(
    pairs,
    options.progress === undefined ? {} : { progress: options.progress },
  );
  // As the run's evaluation reads them: float64 softmax of the logits, expected grade, rule, detectors.
  const { probs, expected, predicted, ood } = await encoderBundleOutputs(scores, bundle.decisions);
  const rank = new Int32Array(pairs.length);
  rankPairsWithinQueries(pairs, { expected, top: topGradeProbs(probs, scores.grades) }, rank);
  return { grades: bundle.manifest.grades, probs, expected, predicted, rank, ood };
}

/**
 * Scores pairs with an encoder bundle: probabilities from the head's logits, the grade by the bundle's decision
 * rule, and every OOD score of its manifest.
 * @throws Error for a bundle that does not open (see `openEncoderBundle`)
 */
export async function scoreEncoderBundlePairs(
  dir: string,
  pairs: readonly UnlabeledPair[],
  options: { progress?: ProgressSink; threads?: number } = {},
): Promise<ScoredPairs> {
  // The KNN banks' products on onnxruntime, as the run's evaluation computed them.
  const gemm = createOrtGemm();
  const bundle = await openEncoderBundle(dir, {
    cacheDir: null,
    gemm,
    ...(options.threads === undefined ? {} : { threads: Math.max(1, options.threads) }),
  }).catch(async (error: unknown) => {
    await gemm.dispose();
    throw error;
  });
  try {
    return await scoreOpenEncoderBundle(
      bundle,
      pairs,
      options.progress === undefined ? {} : { progress: options.progress },
    );
  } finally {
    await bundle.dispose();
    await gemm.dispose();
  }
}
