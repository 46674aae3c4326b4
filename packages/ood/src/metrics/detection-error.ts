import { assertFinite, assertNonEmpty } from '@gradeshift/core/math';

/** Result of {@link detectionError}. */
export interface DetectionError {
  /** `min_τ ½(1 − TPR(τ)) + ½ FPR(τ)`, in [0, 0.5]. */
  error: number;
  /** An OOD-score threshold attaining it (kept as ID iff `score ≤ threshold`); the largest score when nothing beats 0.5. */
  threshold: number;
}

/**
 * Detection error, the lowest misclassification rate over all thresholds with equal class priors:
 * `min_τ ½(1 − TPR) + ½·FPR`, ID positive (kept as ID iff `score ≤ τ`). Lee et al. report
 * `DTACC = 1 − detection error`. Every distinct score is tried, plus "keep none" (error ½).
 * Matches `min(0.5·(1 − tpr) + 0.5·fpr)` over `sklearn.metrics.roc_curve(is_id, −scores)`.
 * @param idScores - ID scores (higher = more OOD)
 * @param oodScores - OOD scores (higher = more OOD)
 * @throws RangeError on an empty array or a non-finite score
 * @see https://github.com/pokaxpoka/deep_Mahalanobis_detector/blob/master/calculate_log.py
 */
export function detectionError(
  idScores: ArrayLike<number>,
  oodScores: ArrayLike<number>,
): DetectionError {
  assertNonEmpty(idScores, 'idScores');
  assertNonEmpty(oodScores, 'oodScores');
  assertFinite(idScores, 'idScores');
  assertFinite(oodScores, 'oodScores');
  const id = Float64Array.from(idScores).sort();
  const ood = Float64Array.from(oodScores).sort();
  const nId = id.length;
  const nOod = ood.length;
  let best = 0.5;
  let threshold = Math.max(id[nId - 1] ?? 0, ood[nOod - 1] ?? 0);
  let i = 0;
  let j = 0;
  // Walk the distinct values of both ascending arrays; after each, i and j count the kept samples.
  while (i < nId || j < nOod) {
    const v = Math.min(i < nId ? (id[i] ?? 0) : Infinity, j < nOod ? (ood[j] ?? 0) : Infinity);
    while (i < nId && id[i] === v) i++;
    while (j < nOod && ood[j] === v) j++;
    const err = 0.5 * (1 - i / nId) + 0.5 * (j / nOod);
    if (err < best) {
      best = err;
      threshold = v;
    }
  }
  return { error: best, threshold };
}
