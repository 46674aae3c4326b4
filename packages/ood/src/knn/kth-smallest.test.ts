import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { kthSmallestInPlace } from './kth-smallest';

describe('kthSmallestInPlace', () => {
  it('equals the k-th entry of a full sort (fast-check, seeded; duplicates included)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: -5, max: 5 }).map((v) => v / 2),
          { minLength: 1, maxLength: 60 },
        ),
        fc.nat(),
        (values, pick) => {
          const k = 1 + (pick % values.length);
          const sorted = [...values].sort((a, b) => a - b);
          expect(kthSmallestInPlace(Float64Array.from(values), k)).toBe(sorted[k - 1]);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('handles sorted, reversed and constant inputs, and a prefix length', () => {
    const up = Float64Array.from({ length: 1000 }, (_, i) => i);
    expect(kthSmallestInPlace(up.slice(), 500)).toBe(499);
    expect(kthSmallestInPlace(up.slice().reverse(), 1)).toBe(0);
    expect(kthSmallestInPlace(new Float64Array(1000).fill(3), 700)).toBe(3);
    expect(kthSmallestInPlace(Float64Array.from([9, 8, 7, -1]), 3, 3)).toBe(9);
  });

  it('rejects k outside [1, length]', () => {
    expect(() => kthSmallestInPlace(Float64Array.from([1, 2]), 0)).toThrow(RangeError);
    expect(() => kthSmallestInPlace(Float64Array.from([1, 2]), 3)).toThrow(/\[1, 2\]/);
  });
});
