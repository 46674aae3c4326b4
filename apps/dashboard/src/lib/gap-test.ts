/**
 * The ID − OOD gap of a metric as a test of its own: an interval and a p-value for the difference. ID and OOD
 * test pairs come from disjoint queries, so their query-bootstrap estimates are independent: each 95% percentile
 * interval gives a standard error se = (hi − lo) / (2 · 1.95996), the gap's is √(se_id² + se_ood²), and the
 * difference is tested with Welch's t (Welch–Satterthwaite degrees of freedom over the two query counts), the
 * interval being gap ± t₀.₉₇₅(df) · se. An approximation from the report's intervals (no per-query data needed);
 * the paired per-query test between two runs is `runs.compare`'s.
 */
import { studentTCdf, studentTTwoSided } from '@gradeshift/core';

const Z975 = 1.959963984540054;

/** A metric of one split: its value, 95% interval and how many queries it was resampled over. */
export interface SplitEstimate {
  readonly value: number;
  readonly lo?: number | null | undefined;
  readonly hi?: number | null | undefined;
  readonly queries: number;
}

/** The gap's test. */
export interface GapTest {
  /** ID − OOD. */
  readonly gap: number;
  readonly se: number;
  readonly df: number;
  /** 95% interval of the gap. */
  readonly lo: number;
  readonly hi: number;
  /** Two-sided p-value of "no gap". */
  readonly p: number;
}

/** The t quantile q with P(T ≤ q) = prob (bisection on core's CDF; prob in (0.5, 1)). */
export function tQuantile(prob: number, df: number): number {
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < prob) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i += 1) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < prob) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The gap's interval and p-value, or null when either split lacks an interval or a spread. */
export function gapTest(id: SplitEstimate, ood: SplitEstimate): GapTest | null {
  const seOf = (e: SplitEstimate) =>
    e.lo === null || e.lo === undefined || e.hi === null || e.hi === undefined
      ? null
      : (e.hi - e.lo) / (2 * Z975);
  const seId = seOf(id);
  const seOod = seOf(ood);
  if (seId === null || seOod === null || id.queries < 2 || ood.queries < 2) return null;
  const variance = seId ** 2 + seOod ** 2;
  if (!(variance > 0)) return null;
  const se = Math.sqrt(variance);
  const df = variance ** 2 / (seId ** 4 / (id.queries - 1) + seOod ** 4 / (ood.queries - 1));
  const gap = id.value - ood.value;
  const half = tQuantile(0.975, df) * se;
  return { gap, se, df, lo: gap - half, hi: gap + half, p: studentTTwoSided(gap / se, df) };
}
