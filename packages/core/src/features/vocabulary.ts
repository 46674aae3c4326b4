/**
 * A token vocabulary (token → id) with reserved ids and optional hashed sub-word buckets, serialisable as
 * JSON so the browser scores with exactly the ids the model was trained on.
 *
 * Id space of the embedding table it indexes (`embeddingRows` = size + buckets rows):
 * - 0 = `<pad>`, 1 = `<unk>`, then the corpus tokens 2..size−1;
 * - size + b = char n-gram bucket b (see {@link charNgramIds}), used for tokens not in the vocabulary.
 */
import { assertInteger } from '../math/check';
import { encodeTokens, type EncodedTokens, type EncodeOptions } from './encode';
import { PAD_ID, PAD_TOKEN, UNK_ID, UNK_TOKEN } from './special-tokens';

/** Hashed char n-gram buckets for unknown tokens. */
export interface SubwordConfig {
  /** B, number of buckets. */
  readonly buckets: number;
  /** Shortest n-gram (code points, `<` `>` markers included). */
  readonly minN: number;
  /** Longest n-gram. */
  readonly maxN: number;
}

/** The JSON form of a {@link Vocabulary}. */
export interface VocabularyJson {
  readonly kind: 'gradeshift.vocabulary';
  readonly version: 1;
  /** Token of each id; `tokens[0] = '<pad>'`, `tokens[1] = '<unk>'`. */
  readonly tokens: readonly string[];
  readonly subwords: SubwordConfig | null;
}

/** A vocabulary; see the module comment for the id space. */
export interface Vocabulary {
  /** Token of each id. */
  readonly tokens: readonly string[];
  /** Number of token ids (reserved ids included). */
  readonly size: number;
  readonly subwords: SubwordConfig | undefined;
  /** Rows of the embedding table the ids index: size + buckets. */
  readonly embeddingRows: number;
  /** Id of `token`, or {@link UNK_ID}. */
  idOf(token: string): number;
  /** `true` when `token` has its own id. */
  has(token: string): boolean;
  /** Encodes tokens as fixed-length ids plus per-token embedding-row slots; see {@link encodeTokens}. */
  encode(tokens: readonly string[], options?: EncodeOptions): EncodedTokens;
  toJSON(): VocabularyJson;
}

/** Options for {@link createVocabulary}. */
export interface CreateVocabularyOptions {
  /** Token of each id, starting with `<pad>`, `<unk>`; unique. */
  tokens: readonly string[];
  /** Sub-word buckets for unknown tokens. @default undefined (unknown tokens map to `<unk>` only) */
  subwords?: SubwordConfig;
}

function checkSubwords(subwords: SubwordConfig, name: string): void {
  assertInteger(subwords.buckets, `${name}.buckets`, { min: 1, max: 2 ** 31 - 1 });
  assertInteger(subwords.minN, `${name}.minN`, { min: 1 });
  assertInteger(subwords.maxN, `${name}.maxN`, { min: subwords.minN });
}

/**
 * Creates a vocabulary from its token list.
 * @throws TypeError when a token is not a string; RangeError when the reserved tokens are not at ids 0 and 1,
 * a token is repeated or empty, or the sub-word config is invalid
 * @example createVocabulary({ tokens: ['<pad>', '<unk>', 'bracket'] }).idOf('bracket') // 2
 */
export function createVocabulary(options: CreateVocabularyOptions): Vocabulary {
  const tokens = Object.freeze([...options.tokens]);
  if (tokens[PAD_ID] !== PAD_TOKEN || tokens[UNK_ID] !== UNK_TOKEN) {
    throw new RangeError(
      `tokens must start with "${PAD_TOKEN}", "${UNK_TOKEN}" (got ${JSON.stringify(tokens.slice(0, 2))})`,
    );
  }
  const ids = new Map<string, number>();
  tokens.forEach((token, id) => {
    if (typeof token !== 'string')
      throw new TypeError(`tokens[${id}] must be a string (got ${typeof token})`);
    if (token === '') throw new RangeError(`tokens[${id}] must not be empty`);
    if (ids.has(token))
      throw new RangeError(`tokens[${id}] repeats "${token}" (first at id ${ids.get(token)})`);
    ids.set(token, id);
  });
  const subwords =
    options.subwords === undefined ? undefined : Object.freeze({ ...options.subwords });
  if (subwords !== undefined) checkSubwords(subwords, 'options.subwords');
  const vocabulary: Vocabulary = {
    tokens,
    size: tokens.length,
    subwords,
    embeddingRows: tokens.length + (subwords?.buckets ?? 0),
    idOf: (token) => ids.get(token) ?? UNK_ID,
    has: (token) => ids.has(token),
    encode: (list, encodeOptions) => encodeTokens(vocabulary, list, encodeOptions),
    toJSON: () => ({
      kind: 'gradeshift.vocabulary',
      version: 1,
      tokens,
      subwords: subwords ?? null,
    }),
  };
  return Object.freeze(vocabulary);
}

/**
 * Restores a vocabulary from its JSON form (parsed), checking it.
 * @throws TypeError when `json` is not a gradeshift vocabulary of version 1; errors of {@link createVocabulary}
 */
export function vocabularyFromJson(json: unknown): Vocabulary {
  const v = json as Partial<VocabularyJson> | null;
  if (typeof v !== 'object' || v?.kind !== 'gradeshift.vocabulary') {
    throw new TypeError(
      'json must be a gradeshift vocabulary ({ kind: "gradeshift.vocabulary", … })',
    );
  }
  if (v.version !== 1)
    throw new TypeError(`unsupported vocabulary version ${String(v.version)} (expected 1)`);
  if (!Array.isArray(v.tokens)) throw new TypeError('json.tokens must be an array of strings');
  const subwords = v.subwords;
  if (subwords !== null && typeof subwords !== 'object') {
    throw new TypeError('json.subwords must be an object { buckets, minN, maxN } or null');
  }
  return createVocabulary(
    subwords === null ? { tokens: v.tokens } : { tokens: v.tokens, subwords },
  );
}
