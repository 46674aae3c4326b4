import { describe, expect, it } from 'vitest';

import type { LabeledPair } from '../data/dataset';
import { createUnlabeledPool, revealLabels, UnlabeledPool } from './unlabeled-pool';

const pairs: LabeledPair[] = [
  { id: 'a', query: 'q1', item: 'x', grade: 2, rating: 2.67, line: 2 },
  { id: 'b', query: 'q1', item: 'y', grade: 0, rating: 1, line: 3 },
  { id: 'c', query: 'q2', item: 'z', grade: 1, line: 4 },
];

describe('UnlabeledPool', () => {
  it('holds no label: not in its pairs, its keys or its JSON', () => {
    const pool = createUnlabeledPool(pairs);
    expect(pool.pairs).toEqual([
      { id: 'a', query: 'q1', item: 'x', line: 2 },
      { id: 'b', query: 'q1', item: 'y', line: 3 },
      { id: 'c', query: 'q2', item: 'z', line: 4 },
    ]);
    const json = JSON.stringify(pool);
    expect(json).not.toMatch(/grade|rating|2\.67/);
    expect(Reflect.ownKeys(pool).map(String)).toEqual(['name', 'pairs', 'budget']);
    // @ts-expect-error: a pool pair has no grade (the type makes reading one a compile error)
    expect(pool.pairs[0]?.grade).toBeUndefined();
  });

  it('reveals labels only through revealLabels, counting distinct indices', () => {
    const pool = createUnlabeledPool(pairs);
    expect(pool.revealedCount).toBe(0);
    expect(revealLabels(pool, [2, 0])).toEqual([
      { index: 2, id: 'c', grade: 1 },
      { index: 0, id: 'a', grade: 2, rating: 2.67 },
    ]);
    expect(pool.revealedCount).toBe(2);
    revealLabels(pool, [0, 0, 2]);
    expect(pool.revealedCount).toBe(2);
    expect(pool.revealedIndices()).toEqual([0, 2]);
    expect(pool.isRevealed(1)).toBe(false);
  });

  it('enforces the annotation budget and rejects bad indices without revealing anything', () => {
    const pool = createUnlabeledPool(pairs, { budget: 2 });
    revealLabels(pool, [1]);
    expect(() => revealLabels(pool, [0, 2])).toThrow(/exceed the annotation budget \(2, 1 used\)/);
    expect(() => revealLabels(pool, [3])).toThrow(RangeError);
    expect(() => revealLabels(pool, [0.5])).toThrow(RangeError);
    expect(pool.revealedCount).toBe(1);
    expect(pool.remainingBudget).toBe(1);
    expect(() => createUnlabeledPool(pairs, { budget: -1 })).toThrow(RangeError);
  });

  it('has no labels to reveal for a pool built without createUnlabeledPool', () => {
    const fake = new UnlabeledPool(pairs, Infinity);
    expect(() => revealLabels(fake, [0])).toThrow(TypeError);
  });
});
