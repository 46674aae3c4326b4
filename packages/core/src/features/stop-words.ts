/**
 * A small English stop-word list for term matching. Only function words that carry no product meaning are
 * listed: words such as "over" ("deck over"), "off", "up", "out" or "x" (dimensions) are kept on purpose.
 */

/**
 * The default stop words (19 words): articles, the commonest prepositions and conjunctions, and forms of
 * "to be". The unit "in." is rewritten to "inch" before stop words are removed, so "1/2 in." keeps its unit.
 * @see https://en.wikipedia.org/wiki/Stop_word
 */
export const DEFAULT_STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'the',
  'to',
  'with',
]);
