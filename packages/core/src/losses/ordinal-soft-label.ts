/**
 * Ordinal soft labels (SORD): cross-entropy against targets that decay with the distance between grades.
 */
import { exhaustiveSwitchError } from '../errors';
import { createMatrix, type Matrix, type MatrixLike } from '../math/matrix';
import { logSoftmax } from '../math/softmax';
import {
  assertContinuousGrades,
  assertGradeRange,
  assertLossLogits,
  assertPositiveOption,
} from './check-inputs';
import { normalizeRowWeights, weightedSum } from './reduce';
import type { LossResult, SampleWeightOptions } from './types';

/** Distance φ between a label and a grade: `'squared'` (y − c)² or `'absolute'` |y − c|. */
export type OrdinalDistance = 'squared' | 'absolute';

/** Options for {@link sordTargets}. */
export interface SordTargetOptions {
  /** Sharpness α in q_c ∝ exp(−α·φ(y, c)); larger is closer to one-hot. @default 2 */
  alpha?: number;
  /** The distance φ. @default 'squared' */
  distance?: OrdinalDistance;
}

/** Options for {@link ordinalSoftLabelLoss}. */
export interface OrdinalSoftLabelOptions extends SordTargetOptions, SampleWeightOptions {}

function phi(d: number, distance: OrdinalDistance): number {
  switch (distance) {
    case 'squared':
      return d * d;
    case 'absolute':
      return Math.abs(d);
    default:
      return exhaustiveSwitchError(distance);
  }
}

function buildTargets(labels: ArrayLike<number>, k: number, options: SordTargetOptions): Matrix {
  const { alpha = 2, distance = 'squared' } = options;
  assertPositiveOption(alpha, 'options.alpha');
  if (distance !== 'squared' && distance !== 'absolute') {
    throw new RangeError(
      `options.distance must be 'squared' or 'absolute' (got ${String(distance)})`,
    );
  }
  const n = labels.length;
  const scores = createMatrix(n, k);
  for (let i = 0; i < n; i++) {
    const y = labels[i] ?? 0;
    for (let c = 0; c < k; c++) scores.data[i * k + c] = -alpha * phi(c - y, distance);
  }
  // Normalising through log-softmax (max subtracted) keeps tiny far-grade targets exact instead of underflowing early.
  const q = logSoftmax(scores);
  for (let j = 0; j < q.data.length; j++) q.data[j] = Math.exp(q.data[j] ?? 0);
  return q;
}

/**
 * SORD soft targets q_c = exp(−α·φ(y, c)) / Σ_j exp(−α·φ(y, j)), one row per label (n × K).
 * Labels may be fractional, e.g. a mean rating mapped to [0, K−1] (Home Depot's 1–3 mean → relevance − 1).
 * With α = 2 and the squared distance, y = 0 and K = 3 give q ≈ (0.8805, 0.1192, 0.0003).
 * @param labels - grade per row in [0, K−1], integer or continuous
 * @param k - number of grades K ≥ 2
 * @param options - sharpness and distance
 * @returns the targets, n × K, each row summing to 1
 * @throws RangeError for K < 2, an empty or out-of-range label list, or α ≤ 0
 * @example
 * sordTargets([0, 1.5], 3); // rows ≈ [0.881, 0.119, 0.0003] and [0.009, 0.495, 0.495]
 * @see https://openaccess.thecvf.com/content_CVPR_2019/html/Diaz_Soft_Labels_for_Ordinal_Regression_CVPR_2019_paper.html
 */
export function sordTargets(
  labels: ArrayLike<number>,
  k: number,
  options: SordTargetOptions = {},
): Matrix {
  if (!Number.isInteger(k) || k < 2)
    throw new RangeError(`k must be an integer ≥ 2 (got ${String(k)})`);
  if (typeof labels !== 'object' || labels === null)
    throw new TypeError('labels must be an array of grades');
  if (labels.length < 1)
    throw new RangeError(`labels must not be empty (got 0 labels for K = ${k})`);
  assertGradeRange(labels, k);
  return buildTargets(labels, k, options);
}

/**
 * Ordinal soft-label cross-entropy (SORD): ℓᵢ = −Σ_c q_{ic} log p_{ic} with q = {@link sordTargets}(y) and
 * p = softmax(zᵢ); reduced by the (sample-weighted) mean over the batch. Because Σ_c q_c = 1 the gradient
 * row i is ŵᵢ (pᵢ − qᵢ). Far-grade mistakes cost more than near-grade ones, and the soft targets counter
 * over-confidence.
 * @param logits - grade logits, n × K (K ≥ 2), finite
 * @param labels - grade per row in [0, K−1], integer or continuous
 * @param options - sharpness, distance and sample weights
 * @returns the loss and its gradient w.r.t. `logits`
 * @throws RangeError on an empty batch, non-finite logits, a label out of range, a length mismatch,
 * α ≤ 0 or negative sample weights
 * @example
 * const { value, grad } = ordinalSoftLabelLoss(logits, [0, 2, 1.33], { alpha: 2 });
 * @see https://openaccess.thecvf.com/content_CVPR_2019/html/Diaz_Soft_Labels_for_Ordinal_Regression_CVPR_2019_paper.html
 */
export function ordinalSoftLabelLoss(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  options: OrdinalSoftLabelOptions = {},
): LossResult {
  assertLossLogits(logits);
  assertContinuousGrades(labels, logits);
  const { rows: n, cols: k } = logits;
  const w = normalizeRowWeights(options.sampleWeights, logits);
  const q = buildTargets(labels, k, options);
  const logp = logSoftmax(logits);
  const losses = new Float64Array(n);
  const grad = logp; // overwritten row by row with ŵᵢ (pᵢ − qᵢ)
  for (let i = 0; i < n; i++) {
    const wi = w[i] ?? 0;
    let l = 0;
    for (let c = 0; c < k; c++) {
      const j = i * k + c;
      const lp = logp.data[j] ?? 0;
      const qc = q.data[j] ?? 0;
      l -= qc * lp;
      grad.data[j] = wi * (Math.exp(lp) - qc);
    }
    losses[i] = l;
  }
  return { value: weightedSum(w, losses), grad };
}
