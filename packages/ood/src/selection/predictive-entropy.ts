import { assertFinite, assertMatrix, type MatrixLike } from '@gradeshift/core/math';

/** Largest tolerated |Σₖ p − 1| of a probability row (Float32 softmax outputs drift by ~1e-7). */
const SUM_TOLERANCE = 1e-4;

/**
 * Predictive entropy `H(p) = −Σₖ pₖ ln pₖ` (nats) of each row of a probability matrix, with `0 · ln 0 = 0`.
 * @param probs - n × K class probabilities, rows summing to 1 (±1e-4)
 * @returns n entropies in `[0, ln K]`
 * @throws RangeError on a malformed matrix, a non-finite or negative entry, or a row not summing to 1
 * @see https://en.wikipedia.org/wiki/Entropy_(information_theory)
 */
export function predictiveEntropy(probs: MatrixLike): Float64Array {
  assertMatrix(probs, 'probs');
  assertFinite(probs.data, 'probs.data');
  const { rows, cols, data } = probs;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let h = 0;
    let total = 0;
    for (let k = 0; k < cols; k++) {
      const p = data[i * cols + k] ?? 0;
      if (p < 0) throw new RangeError(`probs[${i}][${k}] must be ≥ 0 (got ${p})`);
      total += p;
      if (p > 0) h -= p * Math.log(p);
    }
    if (Math.abs(total - 1) > SUM_TOLERANCE)
      throw new RangeError(`probs row ${i} must sum to 1 (got ${total})`);
    out[i] = h;
  }
  return out;
}
