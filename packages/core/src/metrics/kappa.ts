/**
 * Weighted Cohen's kappa between true and predicted grades (methods.md §6).
 */
import type { MatrixLike } from '../math/matrix';
import { assertConfusionMatrix } from './check-inputs';

/** Disagreement weight w_ij of grades i and j in {@link weightedKappa}. */
export type KappaWeights = 'quadratic' | 'linear' | 'none';

/** Options for {@link weightedKappa}. */
export interface WeightedKappaOptions {
  /**
   * `'quadratic'`: w_ij = (i − j)² (QWK); `'linear'`: |i − j|; `'none'`: 1[i ≠ j] (plain Cohen's kappa).
   * Scaling by (K − 1)² or K − 1 cancels in the ratio.
   * @default 'quadratic'
   */
  weights?: KappaWeights;
}

function weight(i: number, j: number, weights: KappaWeights): number {
  switch (weights) {
    case 'quadratic':
      return (i - j) * (i - j);
    case 'linear':
      return Math.abs(i - j);
    case 'none':
      return i === j ? 0 : 1;
  }
}

/**
 * Weighted kappa `κ = 1 − Σ w_ij O_ij / Σ w_ij E_ij`, with O the confusion counts and E_ij = r_i·c_j / n the
 * counts expected from the marginals alone. 1 = perfect agreement, 0 = chance level, < 0 = worse than chance.
 *
 * Matches `sklearn.metrics.cohen_kappa_score(y, ŷ, labels=range(K), weights='quadratic' | 'linear' | None)`.
 * Passing all K grades matters: scikit-learn weights by the index within `labels`, so with its default
 * (only the grades present) a missing middle grade would shrink the distances.
 * One deliberate difference: when the expected disagreement is 0 (every label and prediction is the same
 * single grade) scikit-learn returns NaN; here that perfect agreement returns 1.
 *
 * @param confusion - K × K counts, rows = true grade (from {@link confusionMatrix}; weighted counts work too)
 * @throws RangeError when `confusion` is not square, has a negative or non-finite count, or is all zero
 * @example weightedKappa(confusionMatrix(labels, predictions, 3)) // quadratic weighted kappa
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.cohen_kappa_score.html
 * @see Cohen, J. (1968). Weighted kappa. Psychological Bulletin 70(4), 213–220.
 */
export function weightedKappa(confusion: MatrixLike, options: WeightedKappaOptions = {}): number {
  const n = assertConfusionMatrix(confusion);
  const { weights = 'quadratic' } = options;
  const k = confusion.rows;
  const cm = confusion.data;
  const rowSums = new Float64Array(k);
  const colSums = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = cm[i * k + j] ?? 0;
      rowSums[i] = (rowSums[i] ?? 0) + c;
      colSums[j] = (colSums[j] ?? 0) + c;
    }
  }
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weight(i, j, weights);
      observed += w * (cm[i * k + j] ?? 0);
      // E_ij = r_i c_j / n; divide once at the end so integer counts stay exact.
      expected += w * (rowSums[i] ?? 0) * (colSums[j] ?? 0);
    }
  }
  // Zero expected disagreement forces zero observed disagreement (O_ij ≤ min(r_i, c_j)): perfect agreement.
  if (expected === 0) return 1;
  return 1 - (observed * n) / expected;
}
