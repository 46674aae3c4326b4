/**
 * Shared result and option types of the batched losses over grade logits (n × K, row-major).
 */
import type { Matrix } from '../math/matrix';

/** A batch loss and its gradient with respect to the logits it was computed from. */
export interface LossResult {
  /** The reduced loss (a weighted mean over the batch; see each loss for its pairs/weights convention). */
  readonly value: number;
  /** ∂value/∂logits, the same shape as the logits (n × K), Float64. */
  readonly grad: Matrix;
}

/** Per-sample weights shared by the pointwise losses. */
export interface SampleWeightOptions {
  /**
   * Non-negative weight per row (length n, not all zero). The batch reduction is the weighted mean
   * Σ wᵢ ℓᵢ / Σ wᵢ, i.e. the weights are normalised by their sum, as in `sklearn.metrics.log_loss(sample_weight=…)`
   * (`numpy.average`). Without weights every row counts 1, giving the plain mean over the batch.
   * @default undefined (all ones)
   */
  sampleWeights?: ArrayLike<number>;
}
