import { describe, expect, it } from 'vitest';

import { compareScores, type ScoreRow } from './compare-scores';

const row = (p: number, ood: Record<string, number>, predicted = 1): ScoreRow => ({
  probs: [1 - p, p],
  expected: p,
  predicted,
  ood,
});

describe('compareScores', () => {
  it('finds the largest difference per field and overall', () => {
    const a = [row(0.5, { energy: -3, knn: 0.2 }), row(0.25, { energy: -1, knn: 0.1 })];
    const b = [row(0.5, { energy: -3.5, knn: 0.2 }), row(0.5, { energy: -1, knn: 0.1 }, 0)];
    const c = compareScores(a, b);
    expect(c.byField).toEqual({ probs: 0.25, expected: 0.25, energy: 0.5, knn: 0 });
    expect(c.maxAbsDiff).toBe(0.5);
    expect(c.maxScaledDiff).toBe(0.25);
    expect(c.predictedMismatches).toBe(1);
    expect(c.oneSided).toEqual([]);
  });

  it('lists OOD scores only one side has and leaves them out of the maximum', () => {
    const c = compareScores([row(0.5, { energy: 1, knn: 9 })], [row(0.5, { energy: 1 })]);
    expect(c.oneSided).toEqual(['knn']);
    expect(c.byField).toEqual({ probs: 0, expected: 0, energy: 0 });
    expect(c.maxAbsDiff).toBe(0);
  });

  it('scales differences of values above 1 by their size', () => {
    const c = compareScores([row(0.5, { mahalanobis: 300 })], [row(0.5, { mahalanobis: 300.03 })]);
    expect(c.maxAbsDiff).toBeCloseTo(0.03, 9);
    expect(c.maxScaledDiff).toBeCloseTo(1e-4, 9);
  });

  it('refuses different row or grade counts and non-finite values', () => {
    expect(() => compareScores([row(0.5, {})], [])).toThrow(/same pairs \(got 1 and 0\)/);
    expect(() =>
      compareScores([row(0.5, {})], [{ probs: [1], expected: 0, predicted: 0, ood: {} }]),
    ).toThrow(/same grades/);
    expect(() => compareScores([row(0.5, { e: 1 })], [row(0.5, { e: Number.NaN })])).toThrow(
      /ood\.e is not finite/,
    );
  });
});
