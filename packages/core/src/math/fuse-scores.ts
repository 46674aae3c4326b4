import { assertFinite } from './check';

/** How {@link fuseScores} combines the detectors' ID percentiles. */
export type FuseMethod = 'mean' | 'max';

/** Options for {@link fuseScores}. */
export interface FuseScoresOptions {
  /** `'mean'` (a consensus of detectors) or `'max'` (any one detector suffices: higher recall). @default 'mean' */
  method?: FuseMethod;
}

/**
 * Fuses several detectors' ID percentiles of the same samples into one: `u(x) = mean_j u_j(x)` (default) or
 * `max_j u_j(x)` (DASA step 4, methods §1.4). Percentiles, unlike raw scores, share one scale.
 * @param percentiles - one array per detector, each of the same length, values in [0, 1]
 * @param options - see {@link FuseScoresOptions}
 * @returns the fused percentile of each sample
 * @throws RangeError when no detector is given, lengths differ, or a value is outside [0, 1]
 * @example fuseScores([[0.9, 0.2], [1, 0.4]]) // Float64Array [0.95, 0.3]
 */
export function fuseScores(
  percentiles: readonly ArrayLike<number>[],
  options: FuseScoresOptions = {},
): Float64Array {
  const { method = 'mean' } = options;
  const first = percentiles[0];
  if (first === undefined)
    throw new RangeError('percentiles must hold at least one detector (got 0)');
  const n = first.length;
  const out = new Float64Array(n).fill(method === 'max' ? -Infinity : 0);
  percentiles.forEach((u, j) => {
    if (u.length !== n) {
      throw new RangeError(
        `percentiles[0] and percentiles[${j}] must have the same length (got ${n} and ${u.length})`,
      );
    }
    assertFinite(u, `percentiles[${j}]`);
    for (let i = 0; i < n; i++) {
      const v = u[i] ?? 0;
      if (v < 0 || v > 1)
        throw new RangeError(`percentiles[${j}][${i}] must be in [0, 1] (got ${v})`);
      out[i] = method === 'max' ? Math.max(out[i] ?? 0, v) : (out[i] ?? 0) + v;
    }
  });
  if (method === 'mean') for (let i = 0; i < n; i++) out[i] = (out[i] ?? 0) / percentiles.length;
  return out;
}
