import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { packScorerBatch } from '../scorer/pack-token-slots';
import { scorerBatchFeeds, toInt64Ids } from './batch-feeds';
import { SCORER_ONNX_INPUTS } from './onnx-names';
import { SMALL_BUNDLE_CONFIG } from './test-fixtures';

describe('toInt64Ids', () => {
  it('widens ids exactly as BigInt does, up to 2^31 − 1', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 50 }), (ids) => {
        const input = Int32Array.from(ids);
        expect(toInt64Ids(input)).toEqual(BigInt64Array.from(ids, BigInt));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects a negative id', () => {
    expect(() => toInt64Ids(Int32Array.of(4, -1))).toThrow('ids[1] must be ≥ 0 (got -1)');
  });
});

describe('scorerBatchFeeds', () => {
  it('names and shapes the five graph inputs', () => {
    const pairs = [
      {
        query: [[2], [40, 41]],
        item: [[3]],
        lexical: new Array<number>(SMALL_BUNDLE_CONFIG.lexicalDim).fill(0.5),
      },
      { query: [], item: [], lexical: new Array<number>(SMALL_BUNDLE_CONFIG.lexicalDim).fill(0) },
    ];
    const batch = packScorerBatch(pairs, SMALL_BUNDLE_CONFIG);
    const feeds = scorerBatchFeeds(batch, {
      config: SMALL_BUNDLE_CONFIG,
      inputs: SCORER_ONNX_INPUTS,
    });
    expect(feeds['query_ids']?.dims).toEqual([2, 5, 4]);
    expect(feeds['item_weights']?.dims).toEqual([2, 8, 4]);
    expect(feeds['lexical']?.dims).toEqual([2, 26]);
    expect(Array.from(feeds['query_ids']?.data as BigInt64Array).slice(0, 6)).toEqual([
      2n,
      0n,
      0n,
      0n,
      40n,
      41n,
    ]);
    expect(feeds['query_weights']?.data).toBe(batch.queryWeights);
  });
});
