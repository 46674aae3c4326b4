/**
 * Character n-grams inside word boundaries, as scikit-learn's `analyzer='char_wb'` builds them: each token is
 * padded with one space on each side and cut into its n-grams of n = minN..maxN UTF-16 code units.
 */
import { assertInteger } from '../math/check';

/** Shortest n-gram of the character TF-IDF features. */
export const TFIDF_CHAR_MIN_N = 3;
/** Longest n-gram of the character TF-IDF features. */
export const TFIDF_CHAR_MAX_N = 5;

/** Options for {@link paddedCharNgrams}. */
export interface PaddedCharNgramOptions {
  /** Shortest n-gram, in UTF-16 code units (padding spaces included). @default 3 */
  minN?: number;
  /** Longest n-gram. @default 5 */
  maxN?: number;
}

/**
 * The n-grams of every token padded as `' ' + token + ' '`, token by token, by increasing n, left to right.
 * A padded token not longer than n yields itself once and ends that token's n-grams (scikit-learn's
 * `_char_wb_ngrams` counts a short word only once), so `'a'` gives `' a '` once for n = 3..5.
 * @param tokens - tokens without spaces (e.g. {@link PreparedText.tokens})
 * @param options - the n-gram lengths
 * @returns the n-grams, duplicates kept (they are term counts)
 * @throws RangeError for a bad n-gram range
 * @example paddedCharNgrams(['ab'], { minN: 3, maxN: 3 }) // [' ab', 'ab ']
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.feature_extraction.text.TfidfVectorizer.html
 */
export function paddedCharNgrams(
  tokens: readonly string[],
  options: PaddedCharNgramOptions = {},
): string[] {
  const { minN = TFIDF_CHAR_MIN_N, maxN = TFIDF_CHAR_MAX_N } = options;
  assertInteger(minN, 'options.minN', { min: 1 });
  assertInteger(maxN, 'options.maxN', { min: minN });
  const out: string[] = [];
  for (const token of tokens) {
    const w = ` ${token} `;
    for (let n = minN; n <= maxN; n++) {
      for (let start = 0; start + n <= w.length; start++) out.push(w.slice(start, start + n));
      if (w.length <= n) {
        // The whole padded token is the last n-gram; a shorter one is still counted, once.
        if (w.length < n) out.push(w);
        break;
      }
    }
  }
  return out;
}
