import { describe, expect, it } from 'vitest';

import { gapTest, tQuantile } from './gap-test';

// Reference values from SciPy 1.x (Debian python3-scipy), the same formulas written out:
//   Z=1.959963984540054; s1=(h1-l1)/(2*Z); s2=(h2-l2)/(2*Z); var=s1*s1+s2*s2; se=sqrt(var)
//   df=var**2/(s1**4/(q1-1)+s2**4/(q2-1)); t=stats.t.ppf(0.975,df)
//   gap=v1-v2; (gap-t*se, gap+t*se); 2*stats.t.sf(abs(gap/se),df)
describe('gapTest', () => {
  it('matches SciPy for an OOD split that is better than ID', () => {
    const r = gapTest(
      { value: 0.4754, lo: 0.4413, hi: 0.5146, queries: 420 },
      { value: 0.5381, lo: 0.49, hi: 0.585, queries: 162 },
    );
    expect(r).not.toBeNull();
    expect(r!.gap).toBeCloseTo(-0.0627, 12);
    expect(r!.se).toBeCloseTo(0.030610564519993524, 12);
    expect(r!.df).toBeCloseTo(360.6447545068529, 8);
    expect(r!.lo).toBeCloseTo(-0.12289762200075979, 9);
    expect(r!.hi).toBeCloseTo(-0.002502377999240267, 9);
    expect(r!.p).toBeCloseTo(0.041252968420113625, 9);
  });

  it('matches SciPy for a large worse-on-OOD gap', () => {
    const r = gapTest(
      { value: 0.62, lo: 0.6, hi: 0.64, queries: 3000 },
      { value: 0.55, lo: 0.52, hi: 0.58, queries: 900 },
    );
    expect(r!.lo).toBeCloseTo(0.033919826752072835, 9);
    expect(r!.hi).toBeCloseTo(0.10608017324792707, 9);
    expect(r!.p).toBeCloseTo(0.0001465206003564504, 10);
  });

  it('has no answer without intervals or with too few queries', () => {
    expect(
      gapTest({ value: 0.5, queries: 10 }, { value: 0.4, lo: 0.3, hi: 0.5, queries: 10 }),
    ).toBe(null);
    expect(
      gapTest(
        { value: 0.5, lo: 0.4, hi: 0.6, queries: 1 },
        { value: 0.4, lo: 0.3, hi: 0.5, queries: 10 },
      ),
    ).toBe(null);
  });

  it('inverts the t CDF (SciPy stats.t.ppf(0.975, 7.5) = 2.333039626864974)', () => {
    expect(tQuantile(0.975, 7.5)).toBeCloseTo(2.333039626864974, 9);
  });
});
