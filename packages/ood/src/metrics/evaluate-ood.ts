import { auroc, averagePrecision } from '@gradeshift/core';
import { assertFinite, assertNonEmpty } from '@gradeshift/core/math';

import { assertTpr, idKeepCount } from '../calibration/threshold-at-tpr';
import { detectionError } from './detection-error';

/** Input of {@link evaluateOod}. */
export interface EvaluateOodOptions {
  /** Scores of ID test samples; higher = more OOD (the `OodDetector` convention). */
  idScores: ArrayLike<number>;
  /** Scores of OOD test samples; higher = more OOD. */
  oodScores: ArrayLike<number>;
  /** ID true-positive rate of the operating point. @default 0.95 */
  tpr?: number;
}

/** The standard OOD detection metrics of one (ID, OOD) pair. */
export interface OodEvaluation {
  /** P(ID scores lower than OOD) + ½ P(tie). Symmetric in the positive class. */
  auroc: number;
  /** Average precision with ID positive and confidence = −score. */
  auprIn: number;
  /** Average precision with OOD positive and the raw score. */
  auprOut: number;
  /** Fraction of OOD samples kept as ID (`score ≤ threshold`) at the operating point: FPR@95TPR by default. */
  fprAtTpr: number;
  /** The target TPR. */
  tpr: number;
  /** The fraction of ID samples actually kept at `threshold` (≥ `tpr`; above it with ties or small n). */
  tprAchieved: number;
  /** The OOD-score threshold of the operating point: flagged OOD iff `score > threshold`. */
  threshold: number;
  /** `min_τ ½(1 − TPR) + ½·FPR` over all thresholds. */
  detectionError: number;
  /** Number of ID samples. */
  nId: number;
  /** Number of OOD samples. */
  nOod: number;
}

/**
 * Evaluates an OOD detector on ID and OOD test scores (higher score = more OOD).
 *
 * Conventions (methods §5):
 * - **ID is the positive class** for AUROC, AUPR-In and FPR@TPR, with confidence = −score, as in the
 *   Mahalanobis (Lee et al. 2018) and KNN (Sun et al. 2022) code and OpenOOD. AUPR-Out takes OOD as positive
 *   with the raw score (−confidence, never OpenOOD's `1 − conf`).
 * - AUPR is sklearn's step-wise `average_precision_score` (ties grouped), not OpenOOD's trapezoid.
 * - **FPR@TPR uses a rank threshold**: `threshold = s₍ₘ₎`, the m-th smallest ID score with `m = ceil(tpr·n_ID)`,
 *   so at least `tpr` of ID samples are kept (`score ≤ threshold`); FPR is the fraction of OOD samples also
 *   kept. This equals the KNN code's `sorted_known[round(0.05·n)]` and OpenOOD's `sort(ind)[-floor(0.95·n)]`
 *   when `0.05·n_ID` is an integer and no OOD score ties the threshold (that code counts a tied OOD sample as
 *   rejected; here it is kept, the same rule as for ID samples and `flagOod`).
 *   This is **not** the OOD-positive FPR@95 of google/uncertainty-baselines or energy_ood `--out_as_pos`.
 *
 * @param options - ID and OOD scores and the target TPR
 * @returns {@link OodEvaluation}
 * @throws RangeError on an empty array, a non-finite score or `tpr ∉ (0, 1]`
 * @see https://github.com/deeplearning-wisc/knn-ood/blob/master/util/metrics.py
 * @see https://github.com/Jingkang50/OpenOOD/blob/main/openood/evaluators/metrics.py
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.average_precision_score.html
 */
export function evaluateOod(options: EvaluateOodOptions): OodEvaluation {
  const { idScores, oodScores, tpr = 0.95 } = options;
  assertNonEmpty(idScores, 'idScores');
  assertNonEmpty(oodScores, 'oodScores');
  assertFinite(idScores, 'idScores');
  assertFinite(oodScores, 'oodScores');
  assertTpr(tpr);
  const nId = idScores.length;
  const nOod = oodScores.length;
  const scores = new Float64Array(nId + nOod);
  const negated = new Float64Array(nId + nOod);
  const isId = new Uint8Array(nId + nOod);
  const isOod = new Uint8Array(nId + nOod);
  for (let i = 0; i < nId; i++) {
    scores[i] = idScores[i] ?? 0;
    isId[i] = 1;
  }
  for (let i = 0; i < nOod; i++) {
    scores[nId + i] = oodScores[i] ?? 0;
    isOod[nId + i] = 1;
  }
  // Confidence = −score; negation is exact, so ties and ranks are preserved.
  for (let i = 0; i < scores.length; i++) negated[i] = -(scores[i] ?? 0);

  const sortedId = scores.slice(0, nId).sort();
  const threshold = sortedId[idKeepCount(nId, tpr) - 1] ?? Number.NaN;
  let keptId = 0;
  for (let i = 0; i < nId; i++) if ((idScores[i] ?? 0) <= threshold) keptId++;
  let keptOod = 0;
  for (let i = 0; i < nOod; i++) if ((oodScores[i] ?? 0) <= threshold) keptOod++;

  return {
    auroc: auroc(negated, isId),
    auprIn: averagePrecision(negated, isId),
    auprOut: averagePrecision(scores, isOod),
    fprAtTpr: keptOod / nOod,
    tpr,
    tprAchieved: keptId / nId,
    threshold,
    detectionError: detectionError(idScores, oodScores).error,
    nId,
    nOod,
  };
}
