import { buildVocabulary } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

import { buildEmbeddingMatrix } from './embedding-matrix';
import { deriveSubwordVectors, subwordVector } from './subword-vectors';
import type { EmbeddingTable } from './types';

// Enough buckets that none of the n-grams of 'zzz' collides with those of the words. '12x' (not in the
// vocabulary) fills the bucket of '<12', so only the number rule keeps the token '12' at zero.
const layout = { buckets: 10_007, minN: 3, maxN: 5 };

function sampleTable(): EmbeddingTable {
  const words = {
    dims: 2,
    words: ['bracket', 'angle', '12x'],
    vectors: Float32Array.of(1, 0, 0, 1, 3, 3),
  };
  return {
    ...words,
    source: { name: 't', version: '1' },
    subwords: deriveSubwordVectors(words, { ...layout, maxWordsPerBucket: 8 }),
  };
}

describe('buildEmbeddingMatrix', () => {
  const table = sampleTable();
  // ids: 0 <pad>, 1 <unk>, 2 12, 3 angle, 4 bracket, 5 brakcet, 6 zzz (ties broken by code-unit order).
  const vocabulary = buildVocabulary(
    new Map([
      ['bracket', 1],
      ['angle', 1],
      ['brakcet', 1],
      ['12', 1],
      ['zzz', 1],
    ]),
    { subwords: layout },
  );

  it('places pretrained, sub-word and bucket rows in the vocabulary id space', () => {
    expect(vocabulary.tokens).toEqual([
      '<pad>',
      '<unk>',
      '12',
      'angle',
      'bracket',
      'brakcet',
      'zzz',
    ]);
    expect(subwordVector(table.subwords, '12')).toBeDefined();
    const m = buildEmbeddingMatrix(vocabulary, table);
    expect(m).toMatchObject({
      rows: 7 + 10_007,
      cols: 2,
      counts: { pretrained: 2, subword: 1, zero: 4 },
    });
    const row = (i: number): number[] => Array.from(m.data.subarray(i * 2, i * 2 + 2));
    expect(row(0)).toEqual([0, 0]);
    expect(row(1)).toEqual([0, 0]);
    expect(row(2)).toEqual([0, 0]);
    expect(row(3)).toEqual([0, 1]);
    expect(row(4)).toEqual([1, 0]);
    expect(row(5)).toEqual(Array.from(subwordVector(table.subwords, 'brakcet')!));
    expect(row(6)).toEqual([0, 0]);
    expect(m.data.subarray(7 * 2)).toEqual(table.subwords.vectors);
  });

  it('rejects a vocabulary with another bucket layout', () => {
    const other = buildVocabulary(new Map([['angle', 1]]), {
      subwords: { ...layout, buckets: 10_008 },
    });
    expect(() => buildEmbeddingMatrix(other, table)).toThrow(/must match the table's/);
  });
});
