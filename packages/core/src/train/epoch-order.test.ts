import { describe, expect, it } from 'vitest';
import { createRng } from '../math/prng';
import { epochOrder } from './epoch-order';

const isPermutation = (order: Int32Array, n: number): boolean =>
  order.length === n && [...order].sort((a, b) => a - b).every((v, i) => v === i);

describe('epochOrder', () => {
  it('is the identity without an rng and a seeded permutation with one', () => {
    expect(Array.from(epochOrder(4))).toEqual([0, 1, 2, 3]);
    const a = epochOrder(50, { rng: createRng(3) });
    expect(isPermutation(a, 50)).toBe(true);
    expect(a).toEqual(epochOrder(50, { rng: createRng(3) }));
    expect(a).not.toEqual(epochOrder(50, { rng: createRng(4) }));
  });

  it('keeps each query group contiguous, in input order within the group (seeded property)', () => {
    const rng = createRng(11);
    for (let run = 0; run < 50; run++) {
      const n = 1 + rng.int(40);
      const groups = Array.from({ length: n }, () => `q${rng.int(8)}`);
      const order = epochOrder(n, { groups, rng });
      expect(isPermutation(order, n)).toBe(true);
      const seen = new Set<string>();
      let previous: string | undefined;
      let last = -1;
      for (const i of order) {
        const g = groups[i]!;
        if (g !== previous) {
          expect(seen.has(g)).toBe(false);
          seen.add(g);
          previous = g;
          last = -1;
        }
        expect(i).toBeGreaterThan(last);
        last = i;
      }
    }
    expect(Array.from(epochOrder(5, { groups: [2, 1, 2, 3, 1] }))).toEqual([0, 2, 1, 4, 3]);
    expect(() => epochOrder(3, { groups: [1] })).toThrow(
      /groups must have one entry per pair \(got 1 for 3 pairs\)/,
    );
  });
});
