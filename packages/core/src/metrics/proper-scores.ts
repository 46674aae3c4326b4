/**
 * Strictly proper scoring rules for grade probabilities: the multi-class Brier score and the negative
 * log-likelihood (methods.md §6). Lower is better for both.
 */
import { assertFiniteNumber } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { sum } from '../math/sum';
import { assertProbsAndLabels } from './check-inputs';

/**
 * Multi-class Brier score: mean over samples of Σ_c (p_ic − 1[y_i = c])², in [0, 2].
 * (Brier's original multi-class form; scikit-learn's `brier_score_loss` is the binary case, half of this for K = 2.)
 *
 * @param probs - n × K grade probabilities (rows sum to 1)
 * @param labels - true grades in `[0, K)`
 * @throws RangeError when the sizes disagree, a probability is outside [0, 1] or a row does not sum to 1
 * @see Brier (1950), Verification of forecasts expressed in terms of probability, Monthly Weather Review 78(1).
 */
export function brierScore(probs: MatrixLike, labels: ArrayLike<number>): number {
  assertProbsAndLabels(probs, labels);
  const { rows: n, cols: k, data } = probs;
  const perSample = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const d = (data[i * k + c] ?? 0) - (labels[i] === c ? 1 : 0);
      s += d * d;
    }
    perSample[i] = s;
  }
  return sum(perSample) / n;
}

/** Options for {@link negativeLogLikelihood}. */
export interface NegativeLogLikelihoodOptions {
  /** Floor applied to p(true grade) so a confident miss costs −log(eps) instead of Infinity. @default 1e-15 */
  eps?: number;
}

/**
 * Mean negative log-likelihood −mean_i log max(p_{i, y_i}, eps), in nats.
 * Equals `sklearn.metrics.log_loss(y, probs, labels=range(K))` whenever no probability is below eps
 * (scikit-learn also clips the other classes and renormalises each row).
 *
 * @param probs - n × K grade probabilities (rows sum to 1)
 * @param labels - true grades in `[0, K)`
 * @throws RangeError as {@link brierScore}, or for eps outside (0, 1)
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.log_loss.html
 */
export function negativeLogLikelihood(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: NegativeLogLikelihoodOptions = {},
): number {
  assertProbsAndLabels(probs, labels);
  const { eps = 1e-15 } = options;
  assertFiniteNumber(eps, 'options.eps');
  if (!(eps > 0 && eps < 1)) throw new RangeError(`options.eps must be in (0, 1) (got ${eps})`);
  const { rows: n, cols: k, data } = probs;
  const perSample = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = data[i * k + (labels[i] ?? 0)] ?? 0;
    perSample[i] = -Math.log(Math.max(p, eps));
  }
  return sum(perSample) / n;
}
