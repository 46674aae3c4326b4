import { describe, expect, it } from 'vitest';

import { differenceOfDraws } from '../stages/split-metrics';
import { meanWithInterval } from './curve-statistics';
import { oversampleOf } from './fine-tune-on-selection';

describe('meanWithInterval', () => {
  it('gives the mean, its 95% t-interval and the one-sample t-test p-value, as SciPy', () => {
    // python3 -c "from scipy import stats; import numpy as np; x=np.array([0.01,-0.02,0.03,0.005,0.0]);
    //   print(x.mean(), stats.t.interval(0.95, 4, loc=x.mean(), scale=stats.sem(x)), stats.ttest_1samp(x,0).pvalue)"
    // (SciPy 1.17.1): 0.005 (-0.017384416062106493, 0.02738441606210649) 0.568728448649082
    const r = meanWithInterval([0.01, -0.02, 0.03, 0.005, 0]);
    expect(r.value).toBeCloseTo(0.005, 15);
    expect(r.lo).toBeCloseTo(-0.017384416062106493, 9);
    expect(r.hi).toBeCloseTo(0.02738441606210649, 9);
    expect(r.p).toBeCloseTo(0.568728448649082, 9);
  });

  it('has no interval for one value', () => {
    expect(meanWithInterval([0.2])).toEqual({ value: 0.2, lo: null, hi: null, p: null });
  });
});

describe('differenceOfDraws', () => {
  it("takes the percentile interval of draw-by-draw differences (NumPy's linear interpolation)", () => {
    // np.percentile(np.sort(a - b), [2.5, 97.5]) for the draws below: -0.0165, 0.1365
    const a = Float64Array.from([0.5, 0.6, 0.55, 0.52, 0.58, 0.61, 0.49, 0.57]);
    const b = Float64Array.from([0.45, 0.5, 0.47, 0.52, 0.44, 0.49, 0.51, 0.48]);
    const d = differenceOfDraws({ a: 0.55, b: 0.48 }, { a, b });
    expect(d.value).toBeCloseTo(0.07, 15);
    expect(d.lo).toBeCloseTo(-0.0165, 12);
    expect(d.hi).toBeCloseTo(0.1365, 12);
    // Differences ≤ 0: two of eight (one is exactly 0); ≥ 0: seven. p = 2·(1 + 2)/9.
    expect(d.p).toBeCloseTo((2 * 3) / 9, 12);
  });

  it('refuses distributions of different lengths', () => {
    expect(() =>
      differenceOfDraws({ a: 0, b: 0 }, { a: new Float64Array(3), b: new Float64Array(2) }),
    ).toThrow(/same, non-zero length/);
  });
});

describe('oversampleOf', () => {
  it('repeats picks ten times unless they would outweigh the replayed ID pairs', () => {
    expect(oversampleOf(264, 38_000)).toBe(10);
    expect(oversampleOf(2_630, 8_000)).toBe(3);
    expect(oversampleOf(9_000, 8_000)).toBe(1);
    expect(oversampleOf(0, 8_000)).toBe(0);
  });
});
