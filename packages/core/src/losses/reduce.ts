/**
 * The batch reduction shared by the pointwise losses: per-row weights normalised by their sum.
 * @internal
 */
import type { MatrixLike } from '../math/matrix';
import { sum } from '../math/sum';
import { assertNonNegativeWeights } from './check-inputs';

/**
 * Normalised row weights ŵᵢ = wᵢ / Σ w (uniform 1/n without weights), so that a loss is Σ ŵᵢ ℓᵢ and its
 * gradient row i is ŵᵢ ∇ℓᵢ.
 * @param weights - raw non-negative weights, one per row of `logits`, or `undefined`
 * @param logits - the batch the weights belong to (only its row count is read)
 * @param name - the argument name used in error messages
 * @throws RangeError for a wrong length, a negative or non-finite weight, or weights that sum to zero
 * @internal
 */
export function normalizeRowWeights(
  weights: ArrayLike<number> | undefined,
  logits: MatrixLike,
  name = 'sampleWeights',
): Float64Array {
  const n = logits.rows;
  if (weights === undefined) return new Float64Array(n).fill(1 / n);
  assertNonNegativeWeights(weights, n, name);
  const total = sum(weights);
  if (!(total > 0))
    throw new RangeError(`${name} must not all be zero (got ${n} weights summing to ${total})`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (weights[i] ?? 0) / total;
  return out;
}

/** Σ ŵᵢ ℓᵢ with compensated summation. @internal */
export function weightedSum(weights: Float64Array, values: Float64Array): number {
  const terms = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) terms[i] = (weights[i] ?? 0) * (values[i] ?? 0);
  return sum(terms);
}
