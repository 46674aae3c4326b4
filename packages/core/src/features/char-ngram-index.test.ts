import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createCharNgramIndex } from './char-ngram-index';
import { paddedCharNgrams } from './padded-char-ngrams';
import { sparseDot, tfidfVector, tfidfVectorOfIds } from './sparse-vector';
import { buildTermStatistics } from './term-statistics';
import { createTermWeighting } from './term-weighting';

/** The n-gram strings of an index's ids, by looking every known n-gram up once. */
const names = (ngrams: readonly string[]) => {
  const sorted = [...new Set(ngrams)].sort();
  return (id: number) => sorted[id];
};

describe('createCharNgramIndex', () => {
  it('gives the ids of the padded n-grams it holds, ranked in code-unit order', () => {
    const ngrams = ['ab ', ' ab', ' a ', 'zz', ' abc', 'bc '];
    const index = createCharNgramIndex(ngrams, [1, 2, 3, 4, 5, 6]);
    expect(index.size).toBe(6);
    const name = names(ngrams);
    const found = Array.from(index.ngramIds(['ab', 'a', 'abc']), name).sort();
    // paddedCharNgrams(['ab', 'a', 'abc']) minus the n-grams the index lacks.
    const expected = paddedCharNgrams(['ab', 'a', 'abc'])
      .filter((g) => ngrams.includes(g))
      .sort();
    expect(found).toEqual(expected);
    // Values follow the ids: ' a ' (value 3) is the smallest n-gram.
    expect(index.values[0]).toBe(3);
  });

  it('keeps the last value of a repeated n-gram and skips lengths no padded n-gram has', () => {
    const index = createCharNgramIndex([' ab', 'toolong', ' ab', ''], [1, 2, 3, 4]);
    expect(index.size).toBe(1);
    expect(Array.from(index.values)).toEqual([3]);
    expect(Array.from(index.ngramIds(['ab']))).toEqual([0]);
  });

  it('refuses values of another length', () => {
    expect(() => createCharNgramIndex([' ab'], [])).toThrow(
      'ngrams and values must have the same length (got 1 and 0)',
    );
  });

  it('gives the TF-IDF vectors of the string path, to the bit', () => {
    // Tokens over a small alphabet (with an astral character, counted as two units) so n-grams repeat.
    const token = fc
      .array(fc.constantFrom('a', 'b', 'c', 'é', '1', '𝄞'), { minLength: 0, maxLength: 7 })
      .map((chars) => chars.join(''));
    const doc = fc.array(token, { maxLength: 6 });
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 8 }), doc, doc, (corpus, q, t) => {
        const statistics = buildTermStatistics(corpus, { minCharDocuments: 1 });
        const weighting = createTermWeighting(statistics);
        const charIdf = (g: string) => weighting.charIdf(g);
        const before = [
          tfidfVector(paddedCharNgrams(q), charIdf),
          tfidfVector(paddedCharNgrams(t), charIdf),
        ] as const;
        const after = [weighting.charVector(q), weighting.charVector(t)] as const;
        const name = names(statistics.charNgrams);
        expect(after[0].keys).toBeInstanceOf(Int32Array);
        expect(Array.from(after[0].keys as ArrayLike<number>, name)).toEqual(before[0].keys);
        expect(after[0].values).toEqual(before[0].values);
        expect(sparseDot(after[0], after[1])).toBe(sparseDot(before[0], before[1]));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('tfidfVectorOfIds', () => {
  it('weighs runs of equal ids as tfidfVector weighs runs of equal terms', () => {
    const v = tfidfVectorOfIds(Int32Array.of(1, 0, 0), Float64Array.of(2, 1));
    const s = tfidfVector(['b', 'a', 'a'], (x) => (x === 'a' ? 2 : 1));
    expect(v.keys).toEqual(Int32Array.of(0, 1));
    expect(v.values).toEqual(s.values);
  });

  it('refuses to merge a vector keyed by ids with one keyed by terms', () => {
    const ids = tfidfVectorOfIds(Int32Array.of(0), Float64Array.of(1));
    expect(() =>
      sparseDot(
        ids,
        tfidfVector(['a'], () => 1),
      ),
    ).toThrow(TypeError);
    expect(
      sparseDot(
        ids,
        tfidfVector([], () => 1),
      ),
    ).toBe(0);
  });
});
