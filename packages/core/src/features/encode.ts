/**
 * Encoding a token list with a {@link Vocabulary}: fixed-length word ids, and per token the embedding rows
 * that make its vector (its own row, or the hashed char n-gram bucket rows of an unknown token).
 */
import { assertInteger } from '../math/check';
import { charNgramIds } from './char-ngrams';
import { isNumberToken } from './number-token';
import { UNK_ID } from './special-tokens';
import { slabInt32 } from './typed-slab';
import type { Vocabulary } from './vocabulary';

/** Options for {@link encodeTokens}. */
export interface EncodeOptions {
  /** L, ids returned; later tokens are dropped, missing ones are padding (id 0). @default 32 */
  maxLength?: number;
  /**
   * Most bucket rows kept per unknown token (the longest n-grams are dropped first; see
   * {@link charNgramIds}). Match it to the scorer's slots per token.
   * @default 8
   */
  maxSubwordIds?: number;
}

/** Result of {@link encodeTokens}. */
export interface EncodedTokens {
  /** L word ids: a token's id, 1 (`<unk>`) for an unknown token, 0 (`<pad>`) after `length`. */
  readonly ids: Int32Array;
  /** Number of real tokens, min(tokens.length, L). */
  readonly length: number;
  /**
   * Per kept token, the embedding rows whose mean is its vector: `[id]` for a known token, the rows
   * `size + bucket` of its char n-grams for an unknown word, `[1]` (`<unk>`) for an unknown number token or
   * when the vocabulary has no sub-words. This is the input of the scorer's token-slot packing.
   */
  readonly slots: readonly (readonly number[])[];
}

/** Default of {@link EncodeOptions.maxLength}. */
export const DEFAULT_MAX_LENGTH = 32;
/** Default of {@link EncodeOptions.maxSubwordIds}. */
export const DEFAULT_MAX_SUBWORD_IDS = 8;

/**
 * Encodes tokens with a vocabulary.
 * @param vocabulary - the vocabulary (its `subwords` config decides the bucket rows)
 * @param tokens - tokens, e.g. from {@link tokenize}
 * @param options - L and the cap on bucket rows per unknown token
 * @returns ids, length and per-token slots
 * @throws RangeError for a bad `maxLength` / `maxSubwordIds`; TypeError for a non-string token
 * @example createVocabulary({ tokens: ['<pad>', '<unk>', 'angle'] }).encode(['angle', 'brakcet'], { maxLength: 4 }).ids // [2, 1, 0, 0]
 * @see https://fasttext.cc/docs/en/faqs.html (vectors of out-of-vocabulary words)
 */
export function encodeTokens(
  vocabulary: Vocabulary,
  tokens: readonly string[],
  options: EncodeOptions = {},
): EncodedTokens {
  const { maxLength = DEFAULT_MAX_LENGTH, maxSubwordIds = DEFAULT_MAX_SUBWORD_IDS } = options;
  assertInteger(maxLength, 'options.maxLength', { min: 1 });
  assertInteger(maxSubwordIds, 'options.maxSubwordIds', { min: 1 });
  const ids = slabInt32(maxLength);
  const length = Math.min(tokens.length, maxLength);
  const slots: number[][] = [];
  const subwords = vocabulary.subwords;
  for (let i = 0; i < length; i++) {
    const token = tokens[i];
    if (typeof token !== 'string')
      throw new TypeError(`tokens[${i}] must be a string (got ${typeof token})`);
    const id = vocabulary.idOf(token);
    ids[i] = id;
    // A number's n-grams ("<14", "437") carry no meaning; numbers are compared by the term-match features.
    if (id !== UNK_ID || subwords === undefined || isNumberToken(token)) {
      slots.push([id]);
      continue;
    }
    const buckets = charNgramIds(token, { ...subwords, maxNgrams: maxSubwordIds });
    const rows: number[] = [];
    for (const b of buckets) rows.push(vocabulary.size + b);
    slots.push(rows.length > 0 ? rows : [id]);
  }
  return { ids, length, slots };
}
