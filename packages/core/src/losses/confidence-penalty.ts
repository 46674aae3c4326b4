/**
 * Confidence penalty: the negative entropy of the predicted grade distribution (Pereyra et al. 2017).
 */
import type { MatrixLike } from '../math/matrix';
import { logSoftmax } from '../math/softmax';
import { assertLossLogits } from './check-inputs';
import { normalizeRowWeights, weightedSum } from './reduce';
import type { LossResult, SampleWeightOptions } from './types';

/** Options for {@link confidencePenalty}. */
export type ConfidencePenaltyOptions = SampleWeightOptions;

/**
 * Confidence penalty ℓᵢ = −H(pᵢ) = Σ_c p_c log p_c with p = softmax(zᵢ), reduced by the (sample-weighted)
 * mean over the batch. Minimising it raises the entropy, countering over-confident predictions; add it
 * with a small weight β (≈ 0.1–1) to a classification loss. Values lie in [−log K, 0].
 * Gradient through the softmax: ∂ℓ/∂z_k = p_k (log p_k + H(p)) (the "+1" of d(p log p)/dp cancels because
 * Σ_k ∂p_k/∂z = 0).
 * Matches `-scipy.stats.entropy(softmax(logits, axis=1), axis=1)` averaged over rows.
 * @param logits - grade logits, n × K (K ≥ 2), finite
 * @param options - sample weights
 * @returns the loss and its gradient w.r.t. `logits`
 * @throws RangeError on an empty batch, non-finite logits or bad sample weights
 * @example
 * confidencePenalty(matrixFromRows([[0, 0, 0]])).value; // −log 3
 * @see https://arxiv.org/abs/1701.06548
 */
export function confidencePenalty(
  logits: MatrixLike,
  options: ConfidencePenaltyOptions = {},
): LossResult {
  assertLossLogits(logits);
  const { rows: n, cols: k } = logits;
  const w = normalizeRowWeights(options.sampleWeights, logits);
  // log p from log-softmax is finite even where p underflows to 0, so p·log p is 0, never 0·(−∞) = NaN.
  const logp = logSoftmax(logits);
  const losses = new Float64Array(n);
  const grad = logp; // overwritten row by row
  for (let i = 0; i < n; i++) {
    let negH = 0;
    for (let c = 0; c < k; c++) {
      const lp = logp.data[i * k + c] ?? 0;
      negH += Math.exp(lp) * lp;
    }
    losses[i] = negH;
    const wi = w[i] ?? 0;
    for (let c = 0; c < k; c++) {
      const lp = logp.data[i * k + c] ?? 0;
      grad.data[i * k + c] = wi * Math.exp(lp) * (lp - negH);
    }
  }
  return { value: weightedSum(w, losses), grad };
}
