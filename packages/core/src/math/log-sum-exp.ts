/**
 * log(Σ exp(x_i)) computed stably: m + log Σ exp(x_i − m) with m = max(x).
 * Matches `scipy.special.logsumexp`. Returns −Infinity for an empty slice, like SciPy.
 * @param values - the inputs
 * @param start - first index (default 0)
 * @param end - one past the last index (default `values.length`)
 */
export function logSumExp(
  values: ArrayLike<number>,
  start = 0,
  end: number = values.length,
): number {
  let m = -Infinity;
  for (let i = start; i < end; i++) if (values[i]! > m) m = values[i]!;
  if (m === -Infinity) return -Infinity;
  // Subtracting the max keeps every exp() in (0, 1], so nothing overflows.
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(values[i]! - m);
  return m + Math.log(s);
}

/** log(1 + exp(x)) without overflow. */
export function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** log σ(x) = −softplus(−x), stable for large |x|. */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

/** σ(x) = 1 / (1 + exp(−x)), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
