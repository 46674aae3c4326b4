import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { prepareText } from './prepare-text';
import { sparseDot, tfidfVector } from './sparse-vector';
import { buildTermStatistics } from './term-statistics';
import { createTermWeighting } from './term-weighting';
import { weightText } from './weighted-text';

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/lexical.json', import.meta.url), 'utf8'),
) as {
  tfidf: {
    corpus: string[][];
    pairs: [string[], string[]][];
    wordCosine: number[];
    charCosine: number[];
    charVocabularySize: number;
  };
};

describe('tfidfVector', () => {
  it('weighs (1 + ln tf)·idf, sorts the keys and normalises', () => {
    // tf(a) = 2, tf(b) = 1, idf(a) = 2, idf(b) = 1: weights 2(1 + ln 2) and 1.
    const v = tfidfVector(['b', 'a', 'a'], (t) => (t === 'a' ? 2 : 1));
    const a = 2 * (1 + Math.log(2));
    const norm = Math.hypot(a, 1);
    expect(v.keys).toEqual(['a', 'b']);
    expect(v.values).toBeDeepCloseTo(Float64Array.of(a / norm, 1 / norm), { abs: 1e-15, rel: 0 });
  });

  it('drops terms without an idf and gives the empty vector for an empty bag', () => {
    expect(tfidfVector(['x', 'y'], (t) => (t === 'y' ? 3 : undefined))).toEqual({
      keys: ['y'],
      values: Float64Array.of(1),
    });
    expect(tfidfVector([], () => 1)).toEqual({ keys: [], values: new Float64Array(0) });
    expect(tfidfVector(['x'], () => undefined).keys).toEqual([]);
  });
});

describe('sparseDot', () => {
  it('sums the products of shared keys', () => {
    const a = { keys: ['a', 'b', 'd'], values: Float64Array.of(1, 2, 3) };
    const b = { keys: ['b', 'c', 'd'], values: Float64Array.of(5, 7, 11) };
    // Shared: b (2·5) and d (3·11).
    expect(sparseDot(a, b)).toBe(43);
    expect(sparseDot(a, { keys: [], values: new Float64Array(0) })).toBe(0);
  });
});

describe('weightText', () => {
  it("gives scikit-learn's word and char_wb TF-IDF cosines", () => {
    // TfidfVectorizer(analyzer=str.split | 'char_wb' (3, 5), sublinear_tf=True[, min_df=2]).fit(corpus),
    // cosine = row-wise dot product of transform(queries) and transform(items).
    const statistics = buildTermStatistics(golden.tfidf.corpus);
    expect(statistics.charNgrams.length).toBe(golden.tfidf.charVocabularySize);
    const w = createTermWeighting(statistics);
    golden.tfidf.pairs.forEach(([q, t], i) => {
      const wq = weightText(prepareText(q.join(' ')), w);
      const wt = weightText(prepareText(t.join(' ')), w);
      expect(wq.tokens).toEqual(q);
      expect(sparseDot(wq.wordVector, wt.wordVector)).toBeCloseTo(golden.tfidf.wordCosine[i]!, 12);
      expect(sparseDot(wq.charVector, wt.charVector)).toBeCloseTo(golden.tfidf.charCosine[i]!, 12);
    });
  });

  it('keeps the prepared fields and adds one IDF per token', () => {
    const p = prepareText('Angle Bracket');
    const wt = weightText(p, createTermWeighting(buildTermStatistics([['angle'], ['deck']])));
    expect(wt).toMatchObject({ tokens: p.tokens, joined: p.joined });
    // "angle": df 1 of N = 2 → ln(3/2) + 1; "bracket" unseen → ln(3) + 1.
    expect(wt.idf).toBeDeepCloseTo(Float64Array.of(Math.log(1.5) + 1, Math.log(3) + 1), {
      abs: 1e-15,
      rel: 0,
    });
  });
});
