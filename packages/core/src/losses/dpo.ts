/**
 * DPO preference loss on single-token grade outputs, against a frozen reference model (LREF de-biasing).
 */
import { logSigmoid, sigmoid } from '../math/log-sum-exp';
import { createMatrix, type MatrixLike } from '../math/matrix';
import { logSoftmax } from '../math/softmax';
import {
  assertGradeLabels,
  assertLossLogits,
  assertPositiveOption,
  assertSameShape,
} from './check-inputs';
import { normalizeRowWeights, weightedSum } from './reduce';
import type { LossResult, SampleWeightOptions } from './types';

/** The frozen reference and the preferred/dispreferred grade of each row, for {@link dpoLoss}. */
export interface DpoPreferences {
  /** Logits of the frozen reference model (the SFT model), the same n × K shape as the policy logits. */
  readonly referenceLogits: MatrixLike;
  /** Preferred grade y⁺ per row (the true grade), integer in [0, K−1]. */
  readonly chosen: ArrayLike<number>;
  /** Dispreferred grade y⁻ per row (e.g. the over-optimistic top-1), integer in [0, K−1], ≠ chosen. */
  readonly rejected: ArrayLike<number>;
}

/** Options for {@link dpoLoss}. */
export interface DpoLossOptions extends SampleWeightOptions {
  /** Inverse temperature β of the implicit reward (larger keeps the policy closer to the reference). @default 0.1 */
  beta?: number;
}

/**
 * Direct Preference Optimisation loss ℓᵢ = −log σ(β[(log π(y⁺) − log π_ref(y⁺)) − (log π(y⁻) − log π_ref(y⁻))]),
 * reduced by the (sample-weighted) mean over rows. The label is a single token, so log π(y|x) =
 * log_softmax(logits)[y]; the log-normaliser cancels in the difference, hence the gradient w.r.t. the policy
 * logits is −β·σ(−uᵢ)·(onehot(y⁺) − onehot(y⁻)), scaled by the row weight, where uᵢ is the σ argument.
 * The reference is frozen: no gradient flows to it. log σ is computed as −softplus(−u), stable for large |u|.
 * Used by LREF (methods.md §2.4) to push down over-optimistic grades; see {@link createPreferencePairs}.
 * @param policyLogits - logits of the model being trained, n × K (K ≥ 2), finite
 * @param preferences - reference logits (n × K) and the chosen/rejected grade per row
 * @param options - β and sample weights
 * @returns the loss and its gradient w.r.t. `policyLogits`
 * @throws RangeError on an empty batch, non-finite logits, a shape mismatch, a grade out of range,
 * chosen equal to rejected in a row, β ≤ 0 or bad sample weights
 * @example
 * const pairs = createPreferencePairs(refLogits, labels);
 * const { value, grad } = dpoLoss(selectRows(policyLogits, pairs.rows), {
 *   referenceLogits: selectRows(refLogits, pairs.rows), chosen: pairs.chosen, rejected: pairs.rejected,
 * });
 * @see https://arxiv.org/abs/2305.18290
 * @see https://arxiv.org/abs/2503.09223
 */
export function dpoLoss(
  policyLogits: MatrixLike,
  preferences: DpoPreferences,
  options: DpoLossOptions = {},
): LossResult {
  const { referenceLogits, chosen, rejected } = preferences;
  assertLossLogits(policyLogits, 'policyLogits');
  assertLossLogits(referenceLogits, 'referenceLogits');
  assertSameShape(policyLogits, referenceLogits, ['policyLogits', 'referenceLogits']);
  assertGradeLabels(chosen, policyLogits, 'chosen');
  assertGradeLabels(rejected, policyLogits, 'rejected');
  const { beta = 0.1, sampleWeights } = options;
  assertPositiveOption(beta, 'options.beta');
  const { rows: n, cols: k } = policyLogits;
  for (let i = 0; i < n; i++) {
    if (chosen[i] === rejected[i])
      throw new RangeError(
        `chosen[${i}] and rejected[${i}] must differ (both ${String(chosen[i])})`,
      );
  }
  const w = normalizeRowWeights(sampleWeights, policyLogits);
  const lp = logSoftmax(policyLogits);
  const lr = logSoftmax(referenceLogits);
  const losses = new Float64Array(n);
  const grad = createMatrix(n, k);
  for (let i = 0; i < n; i++) {
    const yp = i * k + (chosen[i] ?? 0);
    const ym = i * k + (rejected[i] ?? 0);
    const margin =
      (lp.data[yp] ?? 0) - (lr.data[yp] ?? 0) - ((lp.data[ym] ?? 0) - (lr.data[ym] ?? 0));
    const u = beta * margin;
    losses[i] = -logSigmoid(u);
    // d(−log σ(u))/du = −σ(−u); du/dz = β (onehot(y⁺) − onehot(y⁻)) since the log-softmax normaliser cancels.
    const g = -(w[i] ?? 0) * beta * sigmoid(-u);
    grad.data[yp] = g;
    grad.data[ym] = -g;
  }
  return { value: weightedSum(w, losses), grad };
}
