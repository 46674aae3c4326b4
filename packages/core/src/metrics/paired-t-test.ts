/**
 * Paired (dependent-samples) t-test on per-query metric values of two models.
 */
import { assertFinite, assertSameLength } from '../math/check';
import { sum } from '../math/sum';
import { studentTTwoSided } from './student-t';

/** Result of {@link pairedTTest}. */
export interface PairedTTestResult {
  /** Number of pairs n. */
  readonly n: number;
  /** Mean of d = a − b. */
  readonly meanDifference: number;
  /** Sample standard deviation (ddof = 1) of d. */
  readonly standardDeviation: number;
  /** Standard error sd / √n of the mean difference. */
  readonly standardError: number;
  /** t = mean(d) / (sd / √n). */
  readonly t: number;
  /** Degrees of freedom n − 1. */
  readonly df: number;
  /** Two-sided p-value P(|T_df| ≥ |t|). */
  readonly pValue: number;
}

/**
 * Paired t-test of H0: E[a − b] = 0, two-sided. Matches `scipy.stats.ttest_rel(a, b)` (statistic, pvalue).
 * When every difference is the same (sd = 0), scipy returns NaN; here t = 0 and p = 1 if the differences
 * are all 0, and t = ±Infinity with p = 0 otherwise.
 *
 * @param a - per-query metric of model A
 * @param b - per-query metric of model B, same queries in the same order
 * @throws RangeError for unequal lengths, fewer than 2 pairs, or a non-finite value
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.ttest_rel.html
 */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>): PairedTTestResult {
  assertSameLength(a, b, ['a', 'b']);
  if (a.length < 2)
    throw new RangeError(`a paired t-test needs at least 2 pairs (got ${a.length})`);
  assertFinite(a, 'a');
  assertFinite(b, 'b');
  const n = a.length;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = (a[i] ?? 0) - (b[i] ?? 0);
  const mean = sum(d) / n;
  // Two-pass variance: subtract the mean first, then sum squares (no E[x²] − E[x]² cancellation).
  const sq = d.map((v) => (v - mean) * (v - mean));
  const sd = Math.sqrt(sum(sq) / (n - 1));
  const se = sd / Math.sqrt(n);
  const df = n - 1;
  let t: number;
  if (se > 0) t = mean / se;
  else t = mean === 0 ? 0 : mean > 0 ? Infinity : -Infinity;
  return {
    n,
    meanDifference: mean,
    standardDeviation: sd,
    standardError: se,
    t,
    df,
    pValue: studentTTwoSided(t, df),
  };
}
