import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { kthLargestShifted } from './kth-largest-shifted';

/** The reference: compute every g_j in Float64, sort descending, take the k-th. */
function bySort(
  values: Float32Array | Float64Array,
  offset: number,
  shift: Float64Array,
  k: number,
): number {
  const g = Array.from(shift, (s, j) => (values[offset + j] ?? 0) - s);
  return g.sort((a, b) => b - a)[k - 1] ?? Number.NaN;
}

describe('kthLargestShifted', () => {
  it('equals the k-th entry of a full descending sort (fast-check, seeded; duplicates, offsets, Float32 rows)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -6, max: 6 }), { minLength: 1, maxLength: 80 }),
        fc.nat(),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (ints, pick, offset, float32) => {
          const n = ints.length;
          const k = 1 + (pick % n);
          // Values on a coarse grid (many ties), behind `offset` leading entries of another row.
          const raw = [...Array.from({ length: offset }, () => 99), ...ints.map((v) => v / 4)];
          const values = float32 ? Float32Array.from(raw) : Float64Array.from(raw);
          const shift = Float64Array.from(ints, (_, j) => (j % 3) / 8);
          const got = kthLargestShifted({ values, offset }, shift, new Float64Array(k));
          expect(got).toBe(bySort(values, offset, shift, k));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('handles ascending (every entry enters the heap), descending and constant rows, and k = 1 and k = n', () => {
    const n = 1000;
    const zero = new Float64Array(n);
    const up = Float64Array.from({ length: n }, (_, i) => i);
    const down = up.slice().reverse();
    expect(kthLargestShifted({ values: up, offset: 0 }, zero, new Float64Array(10))).toBe(990);
    expect(kthLargestShifted({ values: down, offset: 0 }, zero, new Float64Array(10))).toBe(990);
    expect(kthLargestShifted({ values: up, offset: 0 }, zero, new Float64Array(1))).toBe(999);
    expect(kthLargestShifted({ values: up, offset: 0 }, zero, new Float64Array(n))).toBe(0);
    expect(
      kthLargestShifted(
        { values: new Float64Array(n).fill(3), offset: 0 },
        zero,
        new Float64Array(700),
      ),
    ).toBe(3);
    // The shift reverses the order: g_j = j − 2j = −j, so the 3rd largest is −2.
    expect(
      kthLargestShifted(
        { values: up, offset: 0 },
        Float64Array.from(up, (v) => 2 * v),
        new Float64Array(3),
      ),
    ).toBe(-2);
  });

  it('rejects k outside [1, n]', () => {
    const values = Float64Array.from([1, 2]);
    const shift = new Float64Array(2);
    expect(() => kthLargestShifted({ values, offset: 0 }, shift, new Float64Array(0))).toThrow(
      RangeError,
    );
    expect(() => kthLargestShifted({ values, offset: 0 }, shift, new Float64Array(3))).toThrow(
      'k must be an integer in [1, 2] (got 3)',
    );
  });
});
