import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { regularizedIncompleteBeta } from './incomplete-beta';
import { logBeta, logGamma } from './log-gamma';
import { studentTCdf, studentTSurvival, studentTTwoSided } from './student-t';

/** Rows hold the arguments, then scipy's values, then 40-digit mpmath values (see the generator). */
interface SpecialGolden {
  gammaln: [number, number, number][];
  betaln: [number, number, number, number][];
  betainc: [number, number, number, number, number][];
  t: [number, number, number, number, number, number, number, number][];
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { special: SpecialGolden };

describe('special functions (golden: scipy.special / scipy.stats.t via tests/scripts/golden_metrics.py)', () => {
  it.each(golden.special.gammaln)(
    'logGamma(%d) matches scipy.special.gammaln and mpmath.loggamma',
    (x, scipy, exact) => {
      expect(logGamma(x)).toBeDeepCloseTo(exact, { abs: 4e-15, rel: 1e-15 });
      expect(logGamma(x)).toBeDeepCloseTo(scipy, { abs: 4e-15, rel: 1e-15 });
    },
  );

  it.each(golden.special.betaln)(
    'logBeta(%d, %d) matches mpmath.log(mpmath.beta) (and scipy.special.betaln to 1e-9)',
    (a, b, scipy, exact) => {
      expect(logBeta(a, b)).toBeDeepCloseTo(exact, { abs: 4e-15, rel: 1e-14 });
      // scipy 1.10's betaln(0.5, 1e6) is off by 1.5e-10 relative.
      expect(logBeta(a, b)).toBeDeepCloseTo(scipy, { abs: 4e-15, rel: 1e-9 });
    },
  );

  it.each(golden.special.betainc)(
    'regularizedIncompleteBeta(x = %d, a = %d, b = %d) matches mpmath.betainc (and scipy.special.betainc)',
    (x, a, b, scipy, exact) => {
      expect(regularizedIncompleteBeta(x, a, b)).toBeDeepCloseTo(exact, {
        abs: 1e-300,
        rel: 2e-14,
      });
      expect(regularizedIncompleteBeta(x, a, b)).toBeDeepCloseTo(scipy, {
        abs: 1e-300,
        rel: 1e-12,
      });
    },
  );

  it.each(golden.special.t)(
    't = %d, df = %d: sf, cdf and two-sided tail match scipy.stats.t and mpmath',
    (t, df, ...want) => {
      // Relative error grows like df·1e-16 (see incomplete-beta.ts).
      const tol = { abs: 1e-300, rel: Math.max(1e-14, 2e-16 * df) };
      const got = [studentTSurvival(t, df), studentTCdf(t, df), studentTTwoSided(t, df)];
      expect(got).toBeDeepCloseTo(want.slice(0, 3), tol); // scipy.stats.t.sf, .cdf, 2·sf(|t|)
      expect(got).toBeDeepCloseTo(want.slice(3), tol); // mpmath
    },
  );
});

describe('hand-worked values and identities', () => {
  it('df = 1 is the Cauchy distribution: P(T > t) = ½ − atan(t)/π', () => {
    for (const t of [-3, -0.5, 0, 0.7, 2, 50])
      expect(studentTSurvival(t, 1)).toBeCloseTo(0.5 - Math.atan(t) / Math.PI, 14);
  });

  it('df = 2 has P(T > t) = ½(1 − t/√(2 + t²))', () => {
    for (const t of [0.1, 1, 4])
      expect(studentTSurvival(t, 2)).toBeCloseTo(0.5 * (1 - t / Math.sqrt(2 + t * t)), 14);
  });

  it('keeps far-tail precision and handles infinite t', () => {
    // Cauchy tail: P(T > t) = atan(1/t)/π ≈ 1/(πt) for t = 1e100.
    expect(studentTSurvival(1e100, 1)).toBeDeepCloseTo(1 / (Math.PI * 1e100), {
      abs: 0,
      rel: 1e-14,
    });
    expect(studentTSurvival(Infinity, 3)).toBe(0);
    expect(studentTCdf(-Infinity, 3)).toBe(0);
    expect(studentTTwoSided(0, 5)).toBe(1);
  });

  it('I_x(a, b) + I_{1−x}(b, a) = 1, I_x(1, 1) = x, logGamma(n) = log((n − 1)!)', () => {
    expect(
      regularizedIncompleteBeta(0.3, 2.5, 4) + regularizedIncompleteBeta(0.7, 4, 2.5),
    ).toBeCloseTo(1, 14);
    expect(regularizedIncompleteBeta(0.37, 1, 1)).toBeCloseTo(0.37, 14);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(logGamma(6)).toBeCloseTo(Math.log(120), 14);
  });
});

describe('bad input', () => {
  it('rejects NaN and out-of-domain arguments, naming them', () => {
    expect(() => studentTSurvival(Number.NaN, 3)).toThrow(/t must be a number \(got NaN\)/);
    expect(() => studentTCdf(1, 0)).toThrow(/df must be > 0 \(got 0\)/);
    expect(() => studentTTwoSided(1, Infinity)).toThrow(/df must be a finite number/);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/x and y must lie in \[0, 1\]/);
    expect(() => regularizedIncompleteBeta(0.5, -1, 1)).toThrow(
      /a and b must be > 0 \(got -1 and 1\)/,
    );
    expect(() => logGamma(0)).toThrow(/x must be > 0/);
  });
});
