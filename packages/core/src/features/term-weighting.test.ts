import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { buildTermStatistics } from './term-statistics';
import { createTermWeighting, inverseDocumentFrequency } from './term-weighting';

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/lexical.json', import.meta.url), 'utf8'),
) as { tfidf: { corpus: string[][]; wordIdf: Record<string, number> } };

describe('inverseDocumentFrequency', () => {
  it('is ln((1 + N) / (1 + df)) + 1', () => {
    // N = 3, df = 1: ln(4 / 2) + 1.
    expect(inverseDocumentFrequency(1, 3)).toBeCloseTo(Math.log(2) + 1, 15);
    // A term in every document still weighs 1; an unseen one weighs ln(1 + N) + 1.
    expect(inverseDocumentFrequency(3, 3)).toBe(1);
    expect(inverseDocumentFrequency(0, 3)).toBeCloseTo(Math.log(4) + 1, 15);
  });
});

describe('createTermWeighting', () => {
  it("matches scikit-learn's smoothed idf_", () => {
    // TfidfVectorizer(analyzer=str.split, sublinear_tf=True).fit(corpus).idf_
    const w = createTermWeighting(buildTermStatistics(golden.tfidf.corpus));
    for (const [term, idf] of Object.entries(golden.tfidf.wordIdf)) {
      expect(w.wordIdf(term)).toBeCloseTo(idf, 12);
    }
    expect(w.fitted).toBe(true);
    expect(w.maxIdf).toBeCloseTo(Math.log(11) + 1, 12);
    expect(w.wordIdf('unseen')).toBe(w.maxIdf);
  });

  it('looks terms up in a Map: "constructor" is an unseen word, not a prototype property', () => {
    const w = createTermWeighting(buildTermStatistics([['angle'], ['angle', 'bracket']]));
    expect(w.wordIdf('constructor')).toBe(w.maxIdf);
    expect(w.wordIdf('__proto__')).toBe(w.maxIdf);
    expect(w.charIdf('constructor')).toBeUndefined();
  });

  it('drops pruned character n-grams and keeps the mean length', () => {
    const w = createTermWeighting(buildTermStatistics([['angle'], ['angle', 'bracket']]));
    // ' an' is in both documents; ' br' only in one (below minCharDocuments = 2).
    expect(w.charIdf(' an')).toBe(1);
    expect(w.charIdf(' br')).toBeUndefined();
    expect(w.meanTokens).toBe(1.5);
  });

  it('weighs every term 1 without statistics', () => {
    const w = createTermWeighting();
    expect(w).toMatchObject({ fitted: false, maxIdf: 1, meanTokens: undefined });
    expect(w.wordIdf('anything')).toBe(1);
    expect(w.charIdf(' an')).toBe(1);
  });
});
