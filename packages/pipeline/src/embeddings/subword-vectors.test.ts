import { charNgramIds, fnv1a32 } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

import { deriveSubwordVectors, subwordVector } from './subword-vectors';
import type { WordVectors } from './types';

const BUCKETS = 1009;
const layout = { buckets: BUCKETS, minN: 3, maxN: 5 };
const bucketOf = (gram: string): number => fnv1a32(gram) % BUCKETS;

function table(entries: readonly (readonly [string, readonly number[]])[]): WordVectors {
  return {
    dims: entries[0]![1].length,
    words: entries.map(([w]) => w),
    vectors: Float32Array.from(entries.flatMap(([, v]) => v)),
  };
}

describe('deriveSubwordVectors', () => {
  // "ab" → <ab ab> <ab>; "abc" → <ab abc bc> <abc abc> <abc>. Shared: "<ab" only (no collisions at B = 1009 for these).
  const words = table([
    ['ab', [1, 0]],
    ['abc', [0, 1]],
  ]);

  it('averages the vectors of the words holding each n-gram', () => {
    const all = new Set([...charNgramIds('ab', layout), ...charNgramIds('abc', layout)]);
    expect(all.size).toBe(3 + 6 - 1);
    const sub = deriveSubwordVectors(words, { ...layout, maxWordsPerBucket: 64 });
    const shared = bucketOf('<ab');
    expect(sub.counts[shared]).toBe(2);
    expect(Array.from(sub.vectors.subarray(shared * 2, shared * 2 + 2))).toEqual([0.5, 0.5]);
    const own = bucketOf('bc>');
    expect(sub.counts[own]).toBe(1);
    expect(Array.from(sub.vectors.subarray(own * 2, own * 2 + 2))).toEqual([0, 1]);
    let filled = 0;
    sub.counts.forEach((c) => (filled += c > 0 ? 1 : 0));
    expect(filled).toBe(8);
  });

  it('caps each bucket at the first words in source order, and counts a word once per bucket', () => {
    const capped = deriveSubwordVectors(words, { ...layout, maxWordsPerBucket: 1 });
    const shared = bucketOf('<ab');
    expect(capped.counts[shared]).toBe(1);
    expect(Array.from(capped.vectors.subarray(shared * 2, shared * 2 + 2))).toEqual([1, 0]);
    const repeat = deriveSubwordVectors(table([['aaaa', [2, 4]]]), {
      ...layout,
      maxWordsPerBucket: 64,
    });
    // "aaa" occurs twice in "<aaaa>" but the word counts once.
    expect(repeat.counts[bucketOf('aaa')]).toBe(1);
    expect(
      Array.from(repeat.vectors.subarray(bucketOf('aaa') * 2, bucketOf('aaa') * 2 + 2)),
    ).toEqual([2, 4]);
  });

  it('rejects a bad cap and a vectors array of the wrong size', () => {
    expect(() => deriveSubwordVectors(words, { ...layout, maxWordsPerBucket: 0 })).toThrow(
      /maxWordsPerBucket/,
    );
    expect(() =>
      deriveSubwordVectors(
        { ...words, vectors: new Float32Array(3) },
        { ...layout, maxWordsPerBucket: 1 },
      ),
    ).toThrow(/2×2 entries/);
  });
});

describe('subwordVector', () => {
  const cosine = (a: Float32Array, b: readonly number[]): number => {
    let dot = 0;
    let na = 0;
    let nb = 0;
    a.forEach((x, k) => {
      dot += x * b[k]!;
      na += x * x;
      nb += b[k]! ** 2;
    });
    return dot / Math.sqrt(na * nb);
  };

  it('gives a misspelling a vector nearest to the intended word', () => {
    const vocab: [string, number[]][] = [
      ['bracket', [1, 0, 0, 0]],
      ['shower', [0, 1, 0, 0]],
      ['faucet', [0, 0, 1, 0]],
      ['electric', [0, 0, 0, 1]],
    ];
    const sub = deriveSubwordVectors(table(vocab), { ...layout, maxWordsPerBucket: 64 });
    for (const [typo, right] of [
      ['brakcet', 'bracket'],
      ['showr', 'shower'],
      ['electirc', 'electric'],
    ] as const) {
      const v = subwordVector(sub, typo)!;
      const scores = vocab
        .map(([w, vec]) => [w, cosine(v, vec)] as const)
        .sort((a, b) => b[1] - a[1]);
      expect(scores[0]![0]).toBe(right);
    }
  });

  it('averages only non-empty buckets and returns undefined when all are empty', () => {
    const sub = deriveSubwordVectors(
      table([
        ['ab', [1, 0]],
        ['abc', [0, 1]],
      ]),
      { ...layout, maxWordsPerBucket: 64 },
    );
    // "abz" → <ab (0.5, 0.5), abz, bz>, <abz, abz>, <abz>: only "<ab" is non-empty.
    expect(Array.from(subwordVector(sub, 'abz')!)).toEqual([0.5, 0.5]);
    expect(subwordVector(sub, 'xyz')).toBeUndefined();
  });
});
