/**
 * A prepared text with its corpus weights: the IDF of each token and the word and character TF-IDF vectors.
 * Weigh a query once and each catalogue title once; pairs then only merge sorted vectors.
 */
import type { PreparedText } from './prepare-text';
import { tfidfVector, type SparseVector } from './sparse-vector';
import type { TermWeighting } from './term-weighting';
import { slabFloat64 } from './typed-slab';

/** A {@link PreparedText} with the weights {@link termMatchFeatures} needs for its IDF features. */
export interface WeightedText extends PreparedText {
  /** IDF of each token (same length as `tokens`). */
  readonly idf: Float64Array;
  /** Sublinear TF-IDF vector of the tokens, L2-normalised. */
  readonly wordVector: SparseVector;
  /** Sublinear TF-IDF vector of the padded character 3–5-grams of the tokens, L2-normalised. */
  readonly charVector: SparseVector;
  /** The weighting these weights come from (its largest IDF and mean length normalise the features). */
  readonly weighting: TermWeighting;
}

/** `true` when `text` already carries weights. */
export function isWeightedText(text: PreparedText): text is WeightedText {
  return 'charVector' in text;
}

/**
 * Adds corpus weights to a prepared text.
 * @param text - from `prepareText`
 * @param weighting - from `createTermWeighting` (the uniform weighting gives plain TF vectors)
 * @returns a new object; `text` is not modified
 * @example weightText(prepareText('angle bracket'), createTermWeighting()).idf // [1, 1]
 */
export function weightText(text: PreparedText, weighting: TermWeighting): WeightedText {
  const idf = slabFloat64(text.tokens.length);
  for (let i = 0; i < idf.length; i++) idf[i] = weighting.wordIdf(text.tokens[i] ?? '');
  // Fields listed rather than spread: V8 builds the object with one fixed shape, several times faster.
  return {
    tokens: text.tokens,
    values: text.values,
    joined: text.joined,
    trigrams: text.trigrams,
    headLength: text.headLength,
    idf,
    wordVector: tfidfVector(text.tokens, (t) => weighting.wordIdf(t)),
    charVector: weighting.charVector(text.tokens),
    weighting,
  };
}
