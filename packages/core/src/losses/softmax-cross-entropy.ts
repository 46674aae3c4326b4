/**
 * Softmax cross-entropy over grade logits, with optional class and sample weights.
 */
import type { MatrixLike } from '../math/matrix';
import { logSoftmax } from '../math/softmax';
import { assertGradeLabels, assertLossLogits, assertNonNegativeWeights } from './check-inputs';
import { normalizeRowWeights, weightedSum } from './reduce';
import type { LossResult, SampleWeightOptions } from './types';

/** Options for {@link softmaxCrossEntropy}. */
export interface SoftmaxCrossEntropyOptions extends SampleWeightOptions {
  /**
   * Non-negative weight per class (length K), with `torch.nn.CrossEntropyLoss(weight=…)` semantics: the
   * reduction is the weighted mean Σ w_{yᵢ} ℓᵢ / Σ w_{yᵢ}. Combined with `sampleWeights` s, each row
   * weighs sᵢ·w_{yᵢ} and the mean divides by Σ sᵢ·w_{yᵢ}.
   * @default undefined (all ones)
   */
  classWeights?: ArrayLike<number>;
}

/**
 * Batched softmax cross-entropy ℓᵢ = −log softmax(zᵢ)_{yᵢ} = logsumexp(zᵢ) − z_{i,yᵢ}, reduced by a weighted
 * mean whose weights are normalised by their sum (see {@link SoftmaxCrossEntropyOptions.classWeights}).
 * The gradient row i is ŵᵢ (pᵢ − onehot(yᵢ)).
 * Matches `sklearn.metrics.log_loss(labels, softmax(logits), sample_weight=s·w[labels])` (away from its
 * probability clipping) and `torch.nn.functional.cross_entropy(logits, labels, weight=w)`.
 * @param logits - grade logits, n × K (K ≥ 2), finite
 * @param labels - integer grade per row in [0, K−1]
 * @param options - class and sample weights
 * @returns the loss and its gradient w.r.t. `logits`
 * @throws RangeError on an empty batch, non-finite logits, a label out of range, a length mismatch,
 * negative weights, or effective weights that sum to zero
 * @example
 * const { value, grad } = softmaxCrossEntropy(matrixFromRows([[2, 0, -1]]), [0]);
 * @see https://scikit-learn.org/stable/modules/generated/sklearn.metrics.log_loss.html
 * @see https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
 */
export function softmaxCrossEntropy(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  options: SoftmaxCrossEntropyOptions = {},
): LossResult {
  assertLossLogits(logits);
  assertGradeLabels(labels, logits);
  const { rows: n, cols: k } = logits;
  const { classWeights, sampleWeights } = options;
  if (classWeights !== undefined) assertNonNegativeWeights(classWeights, k, 'classWeights');

  // Effective row weight sᵢ·w_{yᵢ}; normalised by its sum below (torch `weight` semantics).
  let raw: Float64Array | ArrayLike<number> | undefined = sampleWeights;
  if (classWeights !== undefined) {
    if (sampleWeights !== undefined) assertNonNegativeWeights(sampleWeights, n, 'sampleWeights');
    const eff = new Float64Array(n);
    for (let i = 0; i < n; i++)
      eff[i] = (sampleWeights?.[i] ?? 1) * (classWeights[labels[i] ?? 0] ?? 0);
    raw = eff;
  }
  const w = normalizeRowWeights(
    raw,
    logits,
    classWeights === undefined ? 'sampleWeights' : 'sampleWeights × classWeights[labels]',
  );

  // Log-softmax subtracts the row max first, so ±50 (or larger) logits neither overflow nor lose the tail.
  const logp = logSoftmax(logits);
  const losses = new Float64Array(n);
  const grad = logp; // reuse the buffer: overwritten row by row with ŵᵢ (pᵢ − onehot(yᵢ))
  for (let i = 0; i < n; i++) {
    const y = labels[i] ?? 0;
    const wi = w[i] ?? 0;
    losses[i] = -(logp.data[i * k + y] ?? 0);
    for (let c = 0; c < k; c++) {
      const lp = logp.data[i * k + c] ?? 0;
      // p − 1 = expm1(log p) keeps full precision when p is close to 1.
      grad.data[i * k + c] = wi * (c === y ? Math.expm1(lp) : Math.exp(lp));
    }
  }
  return { value: weightedSum(w, losses), grad };
}
