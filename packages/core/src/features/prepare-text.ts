/**
 * A text tokenised once for term matching: content tokens, their numeric values, the spaceless join and the
 * character-trigram set. Prepare a query once and each catalogue title once, then match any pair cheaply.
 */
import { charTrigramKeys } from './char-trigrams';
import { numberTokenValue } from './number-token';
import { DEFAULT_STOP_WORDS } from './stop-words';
import { tokenize, type TokenizeOptions } from './tokenize';

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
}

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
  // A query made only of stop words ("on/off") still has something to match.
  if (tokens.length === 0) tokens = all;
  const values = new Float64Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) values[i] = numberTokenValue(tokens[i] ?? '');
  return {
    tokens,
    values,
    joined: tokens.join(''),
    trigrams: charTrigramKeys(` ${tokens.join(' ')} `),
  };
}
