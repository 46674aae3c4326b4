/**
 * A text tokenised once for term matching: content tokens, their numeric values, the spaceless join and the
 * character-trigram set. Prepare a query once and each catalogue title once, then match any pair cheaply.
 */
import { charTrigramKeys } from './char-trigrams';
import { numberTokenValue } from './number-token';
import { DEFAULT_STOP_WORDS } from './stop-words';
import { tokenize, type TokenizeOptions } from './tokenize';
import { slabFloat64 } from './typed-slab';

/** A text ready for {@link termMatchFeatures}. */
export interface PreparedText {
  /** Content tokens: stop words removed, unless that would leave none (then all tokens). */
  readonly tokens: readonly string[];
  /** Value of each token when it is a number token, NaN otherwise (same length as `tokens`). */
  readonly values: Float64Array;
  /** The tokens joined without separator, for substring and phrase tests ("shower head" → "showerhead"). */
  readonly joined: string;
  /** Sorted distinct character-trigram keys of `' ' + tokens.join(' ') + ' '`. */
  readonly trigrams: Float64Array;
  /**
   * How many leading `tokens` form the head segment: those before the first {@link HEAD_BOUNDARY_WORDS} word
   * ("Northline Vero 1-Handle Shower Faucet Trim Kit | in Chrome"); a product title names its product type at the end
   * of it. All tokens when there is no boundary word or nothing precedes it.
   */
  readonly headLength: number;
}

/**
 * Words that end a title's head segment (the product's name) and start its qualifiers: finish, accessories,
 * purpose. Matched as whole tokens after unit rewriting, so "60 in." (a unit) is no boundary.
 */
export const HEAD_BOUNDARY_WORDS: ReadonlySet<string> = new Set([
  'in',
  'with',
  'for',
  'featuring',
  'includes',
  'including',
]);

/** Options for {@link prepareText}: the tokenizer options, with stop words on and a 64-token cap. */
export interface PrepareTextOptions extends TokenizeOptions {
  /** @default DEFAULT_STOP_WORDS */
  stopWords?: ReadonlySet<string>;
  /** @default 64 */
  maxTokens?: number;
}

/** Default of {@link PrepareTextOptions.maxTokens}: far above a product title's ~12 tokens. */
export const DEFAULT_PREPARE_MAX_TOKENS = 64;

/**
 * Tokenises `text` for term matching.
 * @param text - a query or an item title
 * @param options - tokenizer options (stop words default to {@link DEFAULT_STOP_WORDS})
 * @returns the prepared text
 * @throws TypeError when `text` is not a string
 * @example prepareText('Rain Shower Head').joined // 'rainshowerhead'
 */
export function prepareText(text: string, options: PrepareTextOptions = {}): PreparedText {
  const {
    stopWords = DEFAULT_STOP_WORDS,
    maxTokens = DEFAULT_PREPARE_MAX_TOKENS,
    ...tokenizeOptions
  } = options;
  const all = tokenize(text, { ...tokenizeOptions, maxTokens });
  let tokens = all.filter((t) => !stopWords.has(t));
  let headLength = 0;
  for (const t of all) {
    if (HEAD_BOUNDARY_WORDS.has(t)) break;
    if (!stopWords.has(t)) headLength++;
  }
  // A query made only of stop words ("on/off") still has something to match.
  if (tokens.length === 0) tokens = all;
  if (headLength === 0 || headLength > tokens.length) headLength = tokens.length;
  const values = slabFloat64(tokens.length);
  for (let i = 0; i < tokens.length; i++) values[i] = numberTokenValue(tokens[i] ?? '');
  return {
    tokens,
    values,
    joined: tokens.join(''),
    trigrams: charTrigramKeys(` ${tokens.join(' ')} `),
    headLength,
  };
}
