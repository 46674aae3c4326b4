/**
 * Student's t distribution tails through the regularized incomplete beta function:
 * P(|T| ≥ |t|) = I_x(ν/2, ½) with x = ν / (ν + t²). Relative accuracy is ~1e-15 for small ν and degrades
 * like ν·1e-16 (≈ 1e-11 at ν = 10⁶, see `incomplete-beta.ts`), far below what a p-value needs.
 */
import { assertFiniteNumber } from '../math/check';
import { incompleteBetaPair, type IncompleteBetaPair } from './incomplete-beta';

function checkArgs(t: number, df: number): void {
  if (typeof t !== 'number' || Number.isNaN(t))
    throw new RangeError(`t must be a number (got ${String(t)})`);
  assertFiniteNumber(df, 'df');
  if (!(df > 0)) throw new RangeError(`df must be > 0 (got ${df})`);
}

/** I_x(ν/2, ½) and its complement for |t|, with x and 1 − x formed without overflow or cancellation. */
function tailPair(t: number, df: number): IncompleteBetaPair {
  const at = Math.abs(t);
  if (at === Infinity) return { lower: 0, upper: 1 };
  let x: number;
  let y: number;
  if (at * at < df) {
    const u = (at * at) / df;
    x = 1 / (1 + u);
    y = u / (1 + u);
  } else {
    // Scale by t² instead of ν so a huge t cannot overflow t² (v may underflow to 0: the tail is then 0).
    const r = Math.sqrt(df) / at;
    const v = r * r;
    x = v / (1 + v);
    y = 1 / (1 + v);
  }
  return incompleteBetaPair(x, y, { a: df / 2, b: 0.5 });
}

/**
 * Two-sided tail P(|T| ≥ |t|) of Student's t with ν = df degrees of freedom (the two-sided p-value of a t test).
 * Matches `2 * scipy.stats.t.sf(abs(t), df)`.
 *
 * @param t - the statistic (±Infinity allowed)
 * @param df - degrees of freedom ν > 0 (need not be an integer)
 * @throws RangeError for a NaN t or a df that is not finite and > 0
 * @see https://en.wikipedia.org/wiki/Student%27s_t-distribution#Cumulative_distribution_function
 */
export function studentTTwoSided(t: number, df: number): number {
  checkArgs(t, df);
  return tailPair(t, df).lower;
}

/**
 * Survival function P(T > t) of Student's t with ν = df. Matches `scipy.stats.t.sf(t, df)`; the upper tail
 * keeps full relative precision far out (e.g. 1e-200).
 *
 * @throws RangeError for a NaN t or a df that is not finite and > 0
 * @see https://docs.scipy.org/doc/scipy-1.10.1/reference/generated/scipy.stats.t.html
 */
export function studentTSurvival(t: number, df: number): number {
  checkArgs(t, df);
  const { lower, upper } = tailPair(t, df);
  return t >= 0 ? lower / 2 : 0.5 + upper / 2;
}

/**
 * Cumulative distribution P(T ≤ t) of Student's t with ν = df. Matches `scipy.stats.t.cdf(t, df)`.
 * @throws RangeError for a NaN t or a df that is not finite and > 0
 */
export function studentTCdf(t: number, df: number): number {
  checkArgs(t, df);
  return studentTSurvival(-t, df);
}
