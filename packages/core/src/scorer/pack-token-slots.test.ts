import { describe, expect, it } from 'vitest';
import { packScorerBatch, packTokenSlots } from './pack-token-slots';
import { TINY_CONFIG } from './test-fixtures';

describe('packTokenSlots', () => {
  it('puts a known word in one slot with weight 1 and an unknown word as its buckets with weights 1/n', () => {
    const { ids, weights } = packTokenSlots([[17], [30001, 30007, 30412]], {
      maxTokens: 3,
      slots: 4,
    });
    expect(Array.from(ids)).toEqual([17, 0, 0, 0, 30001, 30007, 30412, 0, 0, 0, 0, 0]);
    expect(Array.from(weights)).toEqual([
      1,
      0,
      0,
      0,
      Math.fround(1 / 3),
      Math.fround(1 / 3),
      Math.fround(1 / 3),
      0,
      0,
      0,
      0,
      0,
    ]);
  });

  it('truncates tokens to maxTokens and ids to slots (weights 1/kept), and keeps explicit weights', () => {
    const packed = packTokenSlots([[1], [2, 3, 4, 5], [6]], { maxTokens: 2, slots: 2 });
    expect(Array.from(packed.ids)).toEqual([1, 0, 2, 3]);
    expect(Array.from(packed.weights)).toEqual([1, 0, 0.5, 0.5]);
    const explicit = packTokenSlots([[1, 2]], { maxTokens: 1, slots: 2, weights: [[0.25, 0.75]] });
    expect(Array.from(explicit.weights)).toEqual([0.25, 0.75]);
  });

  it('rejects negative or fractional ids, bad weights and mismatched weight shapes', () => {
    expect(() => packTokenSlots([[1], [-2]], { maxTokens: 2, slots: 1 })).toThrow(
      /tokens\[1\]\[0\] must be an integer/,
    );
    expect(() => packTokenSlots([[1.5]], { maxTokens: 2, slots: 1 })).toThrow(RangeError);
    expect(() =>
      packTokenSlots([[1]], { maxTokens: 1, slots: 1, weights: [[Number.NaN]] }),
    ).toThrow(/options\.weights\[0\]\[0\] must be a finite number ≥ 0 \(got NaN\)/);
    expect(() => packTokenSlots([[1]], { maxTokens: 1, slots: 1, weights: [] })).toThrow(
      /options\.weights and tokens must have the same length \(got 0 and 1\)/,
    );
    expect(() => packTokenSlots([[1]], { maxTokens: 0, slots: 1 })).toThrow(/options\.maxTokens/);
  });
});

describe('packScorerBatch', () => {
  it('lays pairs out row-major with the config sizes', () => {
    const batch = packScorerBatch(
      [
        { query: [[1]], item: [[2], [3]], lexical: [0.5, 1] },
        { query: [[4], [5, 6]], item: [], lexical: [0, 0.25] },
      ],
      TINY_CONFIG,
    );
    expect(batch.size).toBe(2);
    expect(batch.queryIds.length).toBe(2 * 3 * 3);
    expect(batch.itemIds.length).toBe(2 * 4 * 3);
    expect(batch.queryIds[9 + 3]).toBe(5); // pair 1, token 1, slot 0
    expect(batch.queryWeights[9 + 4]).toBe(0.5);
    expect(Array.from(batch.lexical)).toEqual([0.5, 1, 0, 0.25]);
    expect(() => packScorerBatch([{ query: [], item: [], lexical: [1] }], TINY_CONFIG)).toThrow(
      /pairs\[0\]\.lexical must have lexicalDim = 2 entries \(got 1\)/,
    );
  });
});
