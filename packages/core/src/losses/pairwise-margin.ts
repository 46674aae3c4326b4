/**
 * Pairwise ordinal margin on the expected grade s = Σ_c c·p_c (GenFR-style, methods.md §7.7).
 */
import { expectedGrades } from '../grades/predict';
import { createMatrix, type MatrixLike } from '../math/matrix';
import { softmax } from '../math/softmax';
import {
  assertContinuousGrades,
  assertLossLogits,
  assertPositiveOption,
  assertRowCount,
} from './check-inputs';
import type { LossResult } from './types';

/** Options for {@link pairwiseMarginLoss}. */
export interface PairwiseMarginOptions {
  /** Margin per grade of difference: a pair with y_i − y_j = d must have s_i − s_j ≥ δ·d. @default 0.3 */
  delta?: number;
  /**
   * Query (group) id per row. When given, pairs are formed only between rows of the same group, as in
   * learning-to-rank; otherwise every in-batch pair counts.
   * @default undefined (one group)
   */
  groups?: ArrayLike<number | string>;
}

function rowsByGroup(groups: ArrayLike<number | string> | undefined, n: number): number[][] {
  if (groups === undefined) return [Array.from({ length: n }, (_, i) => i)];
  const buckets = new Map<number | string, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups[i];
    if (
      (typeof g !== 'number' && typeof g !== 'string') ||
      (typeof g === 'number' && Number.isNaN(g))
    ) {
      throw new TypeError(`groups[${i}] must be a number or a string (got ${String(g)})`);
    }
    const bucket = buckets.get(g);
    if (bucket === undefined) buckets.set(g, [i]);
    else bucket.push(i);
  }
  return [...buckets.values()];
}

/**
 * Pairwise margin loss L = mean over pairs (i, j) with y_i > y_j of max(0, δ·(y_i − y_j) − (s_i − s_j)),
 * where s = Σ_c c·p_c is the expected grade of p = softmax(z). The mean divides by the number of ordered
 * pairs (including those already satisfied, which contribute 0). With no pair at all (one grade in the
 * batch, or singleton groups) the loss is 0 with a zero gradient. Rows are unweighted.
 * The gradient flows through the softmax: ∂s_i/∂z_{ic} = p_{ic}(c − s_i). At a hinge kink (exactly on the
 * margin) the subgradient 0 is used.
 * @param logits - grade logits, n × K (K ≥ 2), finite
 * @param labels - grade per row in [0, K−1], integer or continuous
 * @param options - margin δ and optional query groups
 * @returns the loss and its gradient w.r.t. `logits`
 * @throws RangeError on an empty batch, non-finite logits, a label out of range, a length mismatch or δ < 0;
 * TypeError for a group id that is neither a number nor a string
 * @example
 * const { value } = pairwiseMarginLoss(logits, labels, { delta: 0.3, groups: queryIds });
 * @see https://arxiv.org/abs/2412.12504 (DaRL goals; the margin-on-expected-grade design is gradeshift's, methods.md §1.3)
 * @see https://en.wikipedia.org/wiki/Hinge_loss
 */
export function pairwiseMarginLoss(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  options: PairwiseMarginOptions = {},
): LossResult {
  assertLossLogits(logits);
  assertContinuousGrades(labels, logits);
  const { delta = 0.3, groups } = options;
  assertPositiveOption(delta, 'options.delta', true);
  const { rows: n, cols: k } = logits;
  if (groups !== undefined) assertRowCount(groups, logits, 'groups');

  const probs = softmax(logits);
  const s = expectedGrades(probs);
  const gradS = new Float64Array(n); // ∂L/∂s_i, divided by the pair count at the end
  let pairs = 0;
  let total = 0;
  for (const rows of rowsByGroup(groups, n)) {
    for (const i of rows) {
      const yi = labels[i] ?? 0;
      for (const j of rows) {
        const yj = labels[j] ?? 0;
        if (!(yi > yj)) continue;
        pairs++;
        const h = delta * (yi - yj) - ((s[i] ?? 0) - (s[j] ?? 0));
        if (h > 0) {
          total += h;
          gradS[i] = (gradS[i] ?? 0) - 1;
          gradS[j] = (gradS[j] ?? 0) + 1;
        }
      }
    }
  }
  const grad = createMatrix(n, k);
  if (pairs === 0) return { value: 0, grad };
  for (let i = 0; i < n; i++) {
    const g = (gradS[i] ?? 0) / pairs;
    if (g === 0) continue;
    const si = s[i] ?? 0;
    for (let c = 0; c < k; c++) grad.data[i * k + c] = g * (probs.data[i * k + c] ?? 0) * (c - si);
  }
  return { value: total / pairs, grad };
}
