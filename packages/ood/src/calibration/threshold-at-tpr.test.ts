import { createRng } from '@gradeshift/core/math';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { flagOod, idKeepCount, thresholdAtTpr } from './threshold-at-tpr';

describe('thresholdAtTpr', () => {
  it('takes the ceil(tpr·n)-th smallest ID score', () => {
    // n = 20: keep 19, threshold = 19th smallest = 19
    const twenty = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(thresholdAtTpr(twenty)).toBe(19);
    // n = 10: ceil(9.5) = 10 → the maximum
    expect(thresholdAtTpr([5, 1, 2, 3, 4, 6, 7, 8, 9, 10])).toBe(10);
    // tpr = 0.5 of 4 → 2nd smallest
    expect(thresholdAtTpr([4, 3, 2, 1], 0.5)).toBe(2);
  });

  it('snaps binary noise in tpr·n (0.55·100 = 55.000…01) instead of keeping one more', () => {
    expect(0.55 * 100).not.toBe(55);
    expect(idKeepCount(100, 0.55)).toBe(55);
    expect(idKeepCount(60, 0.95)).toBe(57);
    expect(idKeepCount(137, 0.95)).toBe(131);
    expect(idKeepCount(3, 0.01)).toBe(1);
  });

  it('keeps at least tpr of the ID samples, with or without ties (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 80 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (xs, tpr) => {
          const thr = thresholdAtTpr(xs, tpr);
          const flags = flagOod(xs, thr);
          const kept = flags.reduce((a, f) => a + (f === 0 ? 1 : 0), 0);
          expect(kept / xs.length).toBeGreaterThanOrEqual(tpr - 1e-12);
          // and it is the smallest such threshold among the ID scores: one step lower keeps too few
          const lower = xs.filter((x) => x < thr);
          if (lower.length > 0) {
            expect(lower.length / xs.length).toBeLessThan(tpr - 1e-12);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('keeps close to 95% of fresh ID samples drawn from the same distribution', () => {
    const rng = createRng(3);
    const heldOut = Array.from({ length: 2000 }, () => rng.normal());
    const fresh = Array.from({ length: 20000 }, () => rng.normal());
    const flags = flagOod(fresh, thresholdAtTpr(heldOut));
    const kept = 1 - flags.reduce((a, f) => a + f, 0) / fresh.length;
    expect(Math.abs(kept - 0.95)).toBeLessThan(0.01);
  });

  it('rejects bad input', () => {
    expect(() => thresholdAtTpr([])).toThrow('idScores must not be empty');
    expect(() => thresholdAtTpr([1, Number.NaN])).toThrow('idScores[1] must be finite');
    expect(() => thresholdAtTpr([1, 2], 0)).toThrow('tpr must be in (0, 1] (got 0)');
    expect(() => thresholdAtTpr([1, 2], 1.5)).toThrow(RangeError);
    expect(() => flagOod([1, Infinity], 0)).toThrow('scores[1] must be finite');
    expect(() => flagOod([1], Number.NaN)).toThrow('threshold must be a finite number');
  });
});
