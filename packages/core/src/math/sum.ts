/**
 * Compensated summation (Kahan–Babuška / Neumaier), so long reductions keep full Float64 precision.
 * @see https://en.wikipedia.org/wiki/Kahan_summation_algorithm#Further_enhancements
 * Matches `math.fsum` to within one ulp for typical inputs.
 */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = s + x;
    // Neumaier: compensate with whichever operand lost its low-order bits.
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

/** Arithmetic mean with compensated summation. @throws RangeError for an empty input. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('values must not be empty');
  return sum(values) / values.length;
}

/** Dot product of two equal-length vectors, accumulated in Float64. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length)
    throw new RangeError(`a and b must have the same length (got ${a.length} and ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
