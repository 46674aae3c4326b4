import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { createPreferencePairs, type PreferenceDirection } from './preference-pairs';

describe('createPreferencePairs', () => {
  // K = 5 (LREF: Irrelevant 0 … Exact 4). Rows: right; over-optimistic (true 2, top-1 3, true at rank 2);
  // pessimistic (true 3, top-1 1); over-optimistic with the true grade at rank 4.
  const scores = matrixFromRows([
    [0, 1, 5, 2, 0],
    [0, 1, 4, 5, 0],
    [0, 6, 1, 2, 0],
    [3, 1, 0, 2, 9],
  ]);
  const labels = [2, 2, 3, 1];

  it('keeps wrong, over-optimistic top-1 predictions: chosen = true grade, rejected = top-1', () => {
    const pairs = createPreferencePairs(scores, labels);
    expect(Array.from(pairs.rows)).toEqual([1, 3]);
    expect(Array.from(pairs.chosen)).toEqual([2, 1]);
    expect(Array.from(pairs.rejected)).toEqual([3, 4]);
  });

  it("direction 'any' also keeps pessimistic errors", () => {
    const pairs = createPreferencePairs(scores, labels, { direction: 'any' });
    expect(Array.from(pairs.rows)).toEqual([1, 2, 3]);
    expect(Array.from(pairs.rejected)).toEqual([3, 1, 4]);
  });

  it('topK keeps rows whose true grade is among the top-k (LREF: chosen found in the top-k beams)', () => {
    expect(Array.from(createPreferencePairs(scores, labels, { topK: 2 }).rows)).toEqual([1]);
    expect(Array.from(createPreferencePairs(scores, labels, { topK: 4 }).rows)).toEqual([1, 3]);
    expect(createPreferencePairs(scores, labels, { topK: 1 }).rows.length).toBe(0);
  });

  it('ties go to the lower grade, so a tie with the true grade is not an error', () => {
    const pairs = createPreferencePairs(matrixFromRows([[0, 3, 3]]), [1]);
    expect(pairs.rows.length).toBe(0);
    expect(
      Array.from(createPreferencePairs(matrixFromRows([[0, 3, 3]]), [2], { topK: 2 }).rows),
    ).toEqual([]); // top-1 is 1 < 2: pessimistic
  });

  it('rejects bad input', () => {
    expect(() => createPreferencePairs(scores, [2, 2, 3])).toThrow(
      /labels and logits rows must have the same length \(got 3 and 4\)/,
    );
    expect(() => createPreferencePairs(scores, [2, 2, 3, 5])).toThrow(
      /labels\[3\] must be an integer grade in \[0, 4\]/,
    );
    expect(() => createPreferencePairs(scores, labels, { topK: 0 })).toThrow(
      /options.topK must be an integer ≥ 1 \(got 0\)/,
    );
    expect(() =>
      createPreferencePairs(scores, labels, { direction: 'up' as PreferenceDirection }),
    ).toThrow(/options.direction/);
    expect(() => createPreferencePairs(matrixFromRows([[Number.NaN, 0]]), [0])).toThrow(
      /scores\[0\]\[0\] must be finite/,
    );
  });
});
