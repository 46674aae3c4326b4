import { describe, expect, it } from 'vitest';

import { charNgramIds, fnv1a32 } from './char-ngrams';

describe('fnv1a32', () => {
  it('matches hand-worked values and the FNV reference test vectors', () => {
    // Empty input: the offset basis.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    // 'a' = 0x61: (0x811c9dc5 ^ 0x61) = 0x811c9da4; × 0x01000193 mod 2³² = 0xe40c292c.
    expect(fnv1a32('a')).toBe(0xe40c292c);
    // FNV reference test vectors (draft-eastlake-fnv, FNV-1a 32): "b", "foobar".
    expect(fnv1a32('b')).toBe(0xe70c2de5);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of non-ASCII text', () => {
    // /usr/bin/python3: h=0x811c9dc5; for b in s.encode(): h=((h^b)*0x01000193)&0xffffffff
    expect(fnv1a32('é')).toBe(0x1e9de8c1); // bytes c3 a9
    expect(fnv1a32('𠀀')).toBe(0x47f94ca5); // bytes f0 a0 80 80
    expect(fnv1a32('<a>')).toBe(0x8c9cd1f0);
  });
});

describe('charNgramIds', () => {
  const buckets = 2 ** 31 - 1;

  it('hashes the n-grams of <token>, trigrams first, then longer ones', () => {
    expect(Array.from(charNgramIds('a', { buckets }))).toEqual([fnv1a32('<a>') % buckets]);
    expect(Array.from(charNgramIds('ab', { buckets }))).toEqual(
      ['<ab', 'ab>', '<ab>'].map((g) => fnv1a32(g) % buckets),
    );
    expect(Array.from(charNgramIds('𠀀', { buckets }))).toEqual([fnv1a32('<𠀀>') % buckets]);
  });

  it('has 3L − 3 n-grams for n = 3..5 and a token of L ≥ 2 characters; a cap drops the longest first', () => {
    expect(charNgramIds('bracket', { buckets })).toHaveLength(18);
    const capped = charNgramIds('bracket', { buckets, maxNgrams: 8 });
    const trigrams = ['<br', 'bra', 'rac', 'ack', 'cke', 'ket', 'et>'].map(
      (g) => fnv1a32(g) % buckets,
    );
    expect(Array.from(capped)).toEqual([...trigrams, fnv1a32('<bra') % buckets]);
    expect(charNgramIds('', { buckets })).toHaveLength(0);
  });

  it('is deterministic, stays in [0, buckets) and lets a misspelling share n-grams with the word', () => {
    const a = charNgramIds('brakcet', { buckets: 1000 });
    expect(charNgramIds('brakcet', { buckets: 1000 })).toEqual(a);
    for (const id of a) expect(id >= 0 && id < 1000).toBe(true);
    const right = new Set(charNgramIds('bracket', { buckets }));
    const shared = Array.from(charNgramIds('brakcet', { buckets })).filter((id) => right.has(id));
    // '<br', 'bra', 'et>', '<bra'
    expect(shared).toHaveLength(4);
  });

  it('rejects bad options', () => {
    expect(() => charNgramIds('a', { buckets: 0 })).toThrow(/buckets/);
    expect(() => charNgramIds('a', { buckets: 10, minN: 4, maxN: 3 })).toThrow(/maxN/);
    expect(() => charNgramIds('a', { buckets: 10, maxNgrams: -1 })).toThrow(/maxNgrams/);
  });
});
