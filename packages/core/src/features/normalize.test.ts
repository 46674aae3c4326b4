import { describe, expect, it } from 'vitest';

import { normalizeText } from './normalize';

describe('normalizeText', () => {
  it('lower-cases ASCII and keeps punctuation for the tokenizer', () => {
    expect(normalizeText('1/2 In. X 4 IN. #SC-141')).toBe('1/2 in. x 4 in. #sc-141');
  });

  it('applies NFKC, folds diacritics and maps fractions, × and typographic quotes', () => {
    expect(normalizeText('Café 1½ in. × 2,000 lb.')).toBe('cafe 1 1/2 in. x 2000 lb.');
    expect(normalizeText('ＤｅＷａｌｔ ﬁ ²')).toBe('dewalt fi 2');
    expect(normalizeText('‘a’ “b” 6′ 2″ 1⁄4')).toBe('\'a\' "b" 6\' 2" 1/4');
    expect(normalizeText('Ñandú', { foldDiacritics: false })).toBe('ñandú');
  });

  it('removes thousands separators only between a digit and exactly three digits', () => {
    expect(normalizeText('1,500 10,000,000 pvc fittings, 6 1,2 1,2345')).toBe(
      '1500 10000000 pvc fittings, 6 1,2 1,2345',
    );
  });

  it('cuts long input without splitting a surrogate pair', () => {
    expect(normalizeText('abcdef', { maxInputLength: 3 })).toBe('abc');
    // '😀' is two code units; a cut after its first unit drops it whole.
    expect(normalizeText('ab😀', { maxInputLength: 3 })).toBe('ab');
  });

  it('rejects a non-string and a bad length cap', () => {
    expect(() => normalizeText(undefined as unknown as string)).toThrow(/text must be a string/);
    expect(() => normalizeText('a', { maxInputLength: 0 })).toThrow(RangeError);
  });
});
