/** Evenly spaced axis ticks on round steps (1, 2, 2.5 or 5 × 10^k) covering a range. */

/**
 * About `target` ticks covering [lo, hi], on a round step.
 * @example niceTicks(-0.013, 0.052) // [-0.02, 0, 0.02, 0.04, 0.06]
 */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0];
  if (hi - lo < 1e-12)
    return niceTicks(lo - 0.5 * (Math.abs(lo) || 1), hi + 0.5 * (Math.abs(hi) || 1), target);
  const raw = (hi - lo) / Math.max(1, target - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const ticks: number[] = [];
  // Integer multiples of the step, so 0.1 + 0.2 rounding never shows as 0.30000000000000004.
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}
