import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { paddedCharNgrams } from './padded-char-ngrams';

const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/lexical.json', import.meta.url), 'utf8'),
) as { tfidf: { charWb: Record<string, string[]> } };

describe('paddedCharNgrams', () => {
  it("matches scikit-learn's char_wb analyzer", () => {
    // TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 5)).build_analyzer()(text)
    for (const [text, expected] of Object.entries(golden.tfidf.charWb)) {
      expect(paddedCharNgrams(text.split(' '))).toEqual(expected);
    }
  });

  it('counts a short token once and keeps repeated n-grams', () => {
    // ' a ' is shorter than 4 and 5: it is counted once, and the 4- and 5-grams are skipped.
    expect(paddedCharNgrams(['a'])).toEqual([' a ']);
    expect(paddedCharNgrams(['aa', 'aa'], { minN: 3, maxN: 3 })).toEqual([
      ' aa',
      'aa ',
      ' aa',
      'aa ',
    ]);
    expect(paddedCharNgrams([])).toEqual([]);
  });

  it('rejects a bad n-gram range', () => {
    expect(() => paddedCharNgrams(['ab'], { minN: 4, maxN: 3 })).toThrow(RangeError);
    expect(() => paddedCharNgrams(['ab'], { minN: 0 })).toThrow('options.minN');
  });
});
