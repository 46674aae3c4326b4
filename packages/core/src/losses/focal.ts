/**
 * Focal loss over grade logits (Lin et al. 2017), multi-class form.
 */
import type { MatrixLike } from '../math/matrix';
import { logSoftmax } from '../math/softmax';
import {
  assertGradeLabels,
  assertLossLogits,
  assertNonNegativeWeights,
  assertPositiveOption,
} from './check-inputs';
import { normalizeRowWeights, weightedSum } from './reduce';
import type { LossResult, SampleWeightOptions } from './types';

/** Options for {@link focalLoss}. */
export interface FocalLossOptions extends SampleWeightOptions {
  /** Focusing parameter γ ≥ 0; γ = 0 gives (α-weighted) cross-entropy. @default 2 */
  gamma?: number;
  /**
   * Non-negative α per class (length K), a factor inside each row's loss. Unlike the `classWeights` of
   * {@link softmaxCrossEntropy}, the mean does NOT divide by Σ α_{yᵢ}: it divides by n (or by Σ sampleWeights),
   * following the paper's per-example formula.
   * @default undefined (α_c = 1)
   */
  alpha?: ArrayLike<number>;
}

/**
 * Focal loss ℓᵢ = −α_{yᵢ} (1 − p_{yᵢ})^γ log p_{yᵢ} with p = softmax(zᵢ), reduced by the (sample-weighted)
 * mean over the batch. Easy, confident rows are down-weighted. Not ordinal-aware.
 * With u = log p_y, 1 − p_y = −expm1(u) is computed without cancellation, and
 * ∂ℓ/∂u = α (1 − p)^γ (γ·p·u/(1 − p) − 1), whose ratio u/(1 − p) tends to −1 as p → 1 (handled exactly),
 * so the gradient stays finite for γ < 1 too; ∂u/∂z = onehot(y) − p.
 * @param logits - grade logits, n × K (K ≥ 2), finite
 * @param labels - integer grade per row in [0, K−1]
 * @param options - γ, per-class α and sample weights
 * @returns the loss and its gradient w.r.t. `logits`
 * @throws RangeError on an empty batch, non-finite logits, a label out of range, a length mismatch,
 * γ < 0 or negative weights
 * @example
 * const { value, grad } = focalLoss(logits, labels, { gamma: 2 });
 * @see https://arxiv.org/abs/1708.02002
 */
export function focalLoss(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  options: FocalLossOptions = {},
): LossResult {
  assertLossLogits(logits);
  assertGradeLabels(labels, logits);
  const { gamma = 2, alpha, sampleWeights } = options;
  assertPositiveOption(gamma, 'options.gamma', true);
  const { rows: n, cols: k } = logits;
  if (alpha !== undefined) assertNonNegativeWeights(alpha, k, 'options.alpha');
  const w = normalizeRowWeights(sampleWeights, logits);
  const logp = logSoftmax(logits);
  const losses = new Float64Array(n);
  const grad = logp; // overwritten row by row
  for (let i = 0; i < n; i++) {
    const y = labels[i] ?? 0;
    const a = alpha === undefined ? 1 : (alpha[y] ?? 0);
    const u = logp.data[i * k + y] ?? 0;
    const p = Math.exp(u);
    const oneMinusP = -Math.expm1(u); // 1 − p without cancellation near p = 1
    const mod = oneMinusP ** gamma; // 0 ** 0 = 1, so γ = 0 is plain CE even at p = 1
    // u / (1 − p) → −1 as p → 1 (u ≈ −(1 − p)); use the limit where 1 − p underflows to 0.
    const ratio = oneMinusP === 0 ? -1 : u / oneMinusP;
    losses[i] = -a * mod * u;
    const dLdu = a * mod * (gamma * p * ratio - 1);
    const wi = w[i] ?? 0;
    for (let c = 0; c < k; c++) {
      const pc = Math.exp(logp.data[i * k + c] ?? 0);
      // ∂u/∂z_c = onehot(y)_c − p_c; for c = y that is 1 − p.
      grad.data[i * k + c] = wi * dLdu * (c === y ? oneMinusP : -pc);
    }
  }
  return { value: weightedSum(w, losses), grad };
}
