import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createRng } from '../math/prng';
import { comparePaired, pairedBootstrap } from './paired-test';
import { pairedTTest } from './paired-t-test';
import { signFlipTest } from './sign-flip-test';

interface PairedCase {
  a: number[];
  b: number[];
  t: number;
  p: number;
  df: number;
  sign_flip_p?: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/metrics.json', import.meta.url), 'utf8'),
) as { paired: PairedCase[] };

describe('pairedTTest (golden: scipy.stats.ttest_rel via tests/scripts/golden_metrics.py)', () => {
  golden.paired.forEach((c, ci) => {
    it(`case ${ci} (n = ${c.a.length}): statistic, df and p-value`, () => {
      const r = pairedTTest(c.a, c.b);
      expect(r.t).toBeDeepCloseTo(c.t, { abs: 1e-13, rel: 1e-12 });
      expect(r.pValue).toBeDeepCloseTo(c.p, { abs: 1e-15, rel: 1e-12 });
      expect(r.df).toBe(c.df);
    });
  });

  it('works out a small case by hand', () => {
    // d = [1, 2, 3]: mean 2, sd 1, se 1/√3, t = 2√3, df 2; two-sided p for df = 2 is 1 − t/√(2 + t²) = 1 − √(12/14).
    const r = pairedTTest([2, 4, 6], [1, 2, 3]);
    expect(r).toMatchObject({ n: 3, df: 2, meanDifference: 2, standardDeviation: 1 });
    expect(r.t).toBeCloseTo(2 * Math.sqrt(3), 14);
    expect(r.pValue).toBeCloseTo(1 - Math.sqrt(12 / 14), 14);
  });

  it('handles zero variance: identical models give p = 1', () => {
    expect(pairedTTest([0.3, 0.5], [0.3, 0.5])).toMatchObject({ t: 0, pValue: 1 });
    expect(pairedTTest([1, 1], [0, 0])).toMatchObject({ t: Infinity, pValue: 0 });
  });
});

describe('signFlipTest', () => {
  golden.paired
    .filter((c) => c.sign_flip_p !== undefined)
    .forEach((c) => {
      it(`n = ${c.a.length}: exact p matches scipy.stats.permutation_test((a − b,), mean, permutation_type='samples')`, () => {
        const r = signFlipTest(c.a, c.b);
        expect(r.exact).toBe(true);
        expect(r.pValue).toBeCloseTo(c.sign_flip_p!, 14);
      });
    });

  it('Monte-Carlo p is within 4 standard errors of the exact p, and never 0', () => {
    const c = golden.paired[3]!; // n = 12
    const exact = signFlipTest(c.a, c.b).pValue;
    const mc = signFlipTest(c.a, c.b, { maxExact: 0, resamples: 20_000, seed: 3 });
    expect(mc.exact).toBe(false);
    expect(Math.abs(mc.pValue - exact)).toBeLessThan(4 * Math.sqrt((exact * (1 - exact)) / 20_000));
    // An extreme observed sum: every flip is smaller, so p = 1/(B + 1) rather than 0.
    const big = signFlipTest(Array(40).fill(1), Array(40).fill(0), { resamples: 99 });
    expect(big.pValue).toBeCloseTo(1 / 100, 15);
  });

  it('the Gray-code enumeration agrees with brute force over all 2^n sign patterns', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 10 }),
        (ints) => {
          const d = ints.map((v) => v / 4);
          const obs = Math.abs(d.reduce((s, v) => s + v, 0));
          let hits = 0;
          for (let mask = 0; mask < 2 ** d.length; mask++) {
            const s = d.reduce((acc, v, i) => acc + ((mask >> i) & 1 ? -v : v), 0);
            if (Math.abs(s) >= obs - 1e-12) hits++;
          }
          expect(signFlipTest(d, new Array<number>(d.length).fill(0)).pValue).toBeCloseTo(
            hits / 2 ** d.length,
            14,
          );
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('enumerates 2^20 patterns exactly and fast, keeping the tie with the mirrored pattern', () => {
    const rng = createRng(4);
    const a = Array.from({ length: 21 }, () => Math.round(rng.next() * 1000) / 1000);
    const b = a.map((v, i) => (i === 0 ? v : v + (rng.next() - 0.45) / 10));
    const r = signFlipTest(a, b);
    expect(r.exact).toBe(true);
    expect(r.permutations).toBe(2 ** 19); // one zero difference dropped, the global flip folded in
    // The observed pattern itself always counts, so p ≥ 2^−19.
    expect(r.pValue).toBeGreaterThanOrEqual(2 ** -19);
    expect(r.pValue).toBeLessThanOrEqual(1);
  });

  it('returns p = 1 when the models are identical', () => {
    expect(signFlipTest([0.1, 0.2], [0.1, 0.2])).toMatchObject({
      pValue: 1,
      exact: true,
      meanDifference: 0,
    });
  });
});

describe('pairedBootstrap and comparePaired', () => {
  it('bootstraps the mean difference by query and agrees with the t-test on the direction', () => {
    const c = golden.paired[0]!;
    const boot = pairedBootstrap(c.a, c.b, { seed: 1 });
    const t = pairedTTest(c.a, c.b);
    expect(boot.estimate).toBeCloseTo(t.meanDifference, 15);
    expect(boot.lower).toBeLessThan(boot.estimate);
    expect(boot.upper).toBeGreaterThan(boot.estimate);
    // The bootstrap SE is the plug-in SE of the mean, a little below the t-test's (ddof 1) one for n = 8.
    expect(boot.standardError / t.standardError).toBeGreaterThan(0.7);
    expect(boot.standardError / t.standardError).toBeLessThan(1.1);
  });

  it('runs all three tests on the same values', () => {
    const c = golden.paired[1]!;
    const r = comparePaired(c.a, c.b, { bootstrap: { resamples: 500, seed: 2 } });
    expect(r.tTest.pValue).toBeCloseTo(c.p, 12);
    expect(r.signFlip.pValue).toBeCloseTo(c.sign_flip_p!, 14);
    expect(r.bootstrap.distribution.length).toBe(500);
    expect(r.meanDifference).toBe(r.tTest.meanDifference);
  });
});

describe('bad input', () => {
  it('rejects lengths that disagree, naming both sizes', () => {
    expect(() => pairedTTest([1, 2, 3], [1, 2])).toThrow(
      new RangeError('a and b must have the same length (got 3 and 2)'),
    );
    expect(() => signFlipTest([1], [1, 2])).toThrow(
      /a and b must have the same length \(got 1 and 2\)/,
    );
    expect(() => pairedBootstrap([1, 2], [1])).toThrow(/got 2 and 1/);
  });

  it('rejects NaN, too few pairs, empty input and bad options', () => {
    expect(() => pairedTTest([1, Number.NaN], [1, 2])).toThrow(/a\[1\] must be finite/);
    expect(() => pairedTTest([1], [2])).toThrow(/at least 2 pairs \(got 1\)/);
    expect(() => signFlipTest([], [])).toThrow(/must not be empty/);
    expect(() => signFlipTest([1, 2], [1, Number.POSITIVE_INFINITY])).toThrow(
      /b\[1\] must be finite/,
    );
    expect(() => signFlipTest([1, 2], [0, 0], { maxExact: 31 })).toThrow(/options.maxExact/);
    expect(() => pairedBootstrap([1, 2], [Number.NaN, 0])).toThrow(/b\[0\] must be finite/);
  });
});
