import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { selectRandom } from './select-random';

describe('selectRandom', () => {
  it('picks `budget` distinct rows, deterministic per seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer(),
        (poolSize, b, seed) => {
          const budget = Math.min(b, poolSize);
          const r = selectRandom({ poolSize, budget, seed });
          expect(r.picked).toHaveLength(budget);
          expect(new Set(r.picked.map((p) => p.index)).size).toBe(budget);
          expect(
            r.picked.every((p, i) => p.rank === i + 1 && p.index >= 0 && p.index < poolSize),
          ).toBe(true);
          expect(selectRandom({ poolSize, budget, seed })).toEqual(r);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('depends on the seed', () => {
    const a = selectRandom({ poolSize: 1000, budget: 10, seed: 1 }).picked.map((p) => p.index);
    const b = selectRandom({ poolSize: 1000, budget: 10, seed: 2 }).picked.map((p) => p.index);
    expect(a).not.toEqual(b);
  });

  it('rejects bad input naming the sizes', () => {
    expect(() => selectRandom({ poolSize: 5, budget: 6, seed: 1 })).toThrow(
      'budget must not exceed the pool size (got budget 6 and pool size 5)',
    );
    expect(() => selectRandom({ poolSize: 5, budget: 0, seed: 1 })).toThrow(
      'budget must be a positive integer (got 0)',
    );
    expect(() => selectRandom({ poolSize: 0, budget: 1, seed: 1 })).toThrow(
      'poolSize must be an integer',
    );
    expect(() => selectRandom({ poolSize: 5, budget: 1, seed: Number.NaN })).toThrow(
      'seed must be a finite number',
    );
  });
});
