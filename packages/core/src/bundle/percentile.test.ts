import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { idPercentiles } from './percentile';

describe('idPercentiles', () => {
  it('is the right-continuous ECDF of the held-out scores', () => {
    // Hand-worked: of [1, 2, 2, 4], 0 scores are ≤ 0, 1 is ≤ 1, 3 are ≤ 2 (ties count), 3 are ≤ 3, all 4 are ≤ 5.
    expect(Array.from(idPercentiles([1, 2, 2, 4], [0, 1, 2, 3, 5]))).toEqual([
      0, 0.25, 0.75, 0.75, 1,
    ]);
  });

  it('counts the held-out scores ≤ each score (property)', () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 40 }),
        fc.array(finite, { maxLength: 10 }),
        (held, scores) => {
          const sorted = [...held].sort((a, b) => a - b);
          const expected = scores.map((s) => sorted.filter((v) => v <= s).length / sorted.length);
          expect(Array.from(idPercentiles(sorted, scores))).toEqual(expected);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects an empty calibration and non-finite scores', () => {
    expect(() => idPercentiles([], [1])).toThrow('sorted must not be empty');
    expect(() => idPercentiles([1], [Number.NaN])).toThrow('scores[0] must be finite');
  });
});
