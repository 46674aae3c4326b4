/**
 * Subword tokenization for transformer encoders: a Hugging Face `tokenizer.json` (passed as parsed
 * data, so this file stays free of the file system) run by `@huggingface/tokenizers`, the pure-JS
 * port of the Rust library, which works alike in Node and the browser. Truncation (longest first)
 * happens between tokenization and the post-processor, as in Python `tokenizers`, so ids, type ids
 * and attention masks match it (checked against a golden set, see `tests/scripts/generate_tokenizer_golden.py`).
 */
import { Tokenizer } from '@huggingface/tokenizers';

import { CoreError } from '../errors';
import { truncationLengths } from './truncation-lengths';

/** One tokenized text or text pair, unpadded. */
export interface SubwordEncoding {
  /** Token ids, special tokens included. */
  readonly ids: readonly number[];
  /** Segment of each token: 0 for the first text, 1 for the second of a pair. */
  readonly typeIds: readonly number[];
  /** 1 per real token (an unpadded encoding is all ones). */
  readonly attentionMask: readonly number[];
}

/** Options of {@link SubwordTokenizer.encode}. */
export interface SubwordEncodeOptions {
  /** Second text of a pair (a query's item): type id 1. */
  readonly pair?: string | undefined;
  /** Longest encoding, special tokens included; longer inputs are truncated longest first. @default the tokenizer's `maxLength` */
  readonly maxLength?: number | undefined;
}

/** The ids of the special tokens an encoder needs. */
export interface SubwordSpecialIds {
  readonly pad: number;
  readonly unk: number;
}

/** A tokenizer for one transformer encoder. */
export interface SubwordTokenizer {
  /** Number of ids (the largest id + 1), to compare with the model's embedding table. */
  readonly vocabSize: number;
  readonly special: SubwordSpecialIds;
  /** Default truncation length. */
  readonly maxLength: number;
  /** Tokenizes one text, or a pair with `options.pair`. */
  encode(text: string, options?: SubwordEncodeOptions): SubwordEncoding;
}

/** Options of {@link createSubwordTokenizer}. */
export interface CreateSubwordTokenizerOptions {
  /** `tokenizer_config.json`, when the model has one. @default {} */
  readonly config?: Record<string, unknown>;
  /** Default truncation length. @default the JSON's `truncation.max_length`, else 512 */
  readonly maxLength?: number;
  /** Where the JSON came from, for error messages. @default 'tokenizer.json' */
  readonly source?: string;
}

type PostProcess = (
  a: string[],
  b: string[] | null,
  special: boolean,
) => { tokens: string[]; token_type_ids?: number[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string or number at `json[section][key]`, when there is one. */
function setting(json: Record<string, unknown>, section: string, key: string): unknown {
  const value = json[section];
  return isRecord(value) ? value[key] : undefined;
}

function specialId(tokenizer: Tokenizer, token: string, source: string): number {
  const id = tokenizer.token_to_id(token);
  if (id === undefined)
    throw new CoreError(
      'INVALID_ARGUMENT',
      `${source}: special token ${token} is not in the vocabulary; use the tokenizer.json exported with the model`,
    );
  return id;
}

/**
 * Builds a tokenizer from a parsed `tokenizer.json`.
 * @param json - the parsed `tokenizer.json` of a Hugging Face model.
 * @throws CoreError `INVALID_ARGUMENT` naming the source when the JSON is not a tokenizer or lacks a
 * special token its post-processor or padding needs.
 * @example const tokenizer = createSubwordTokenizer(JSON.parse(text)); tokenizer.encode('drill', { pair: 'Acme 18 V drill' });
 */
export function createSubwordTokenizer(
  json: unknown,
  options: CreateSubwordTokenizerOptions = {},
): SubwordTokenizer {
  const source = options.source ?? 'tokenizer.json';
  if (!isRecord(json) || !isRecord(json['model']) || !Array.isArray(json['added_tokens']))
    throw new CoreError(
      'INVALID_ARGUMENT',
      `${source}: not a Hugging Face tokenizer.json (needs "model" and "added_tokens")`,
    );
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json, options.config ?? {});
  } catch (error) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `${source}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const processor = tokenizer.post_processor as unknown as PostProcess | null;
  const process: PostProcess = processor ?? ((a, b) => ({ tokens: [...a, ...(b ?? [])] }));
  const singleOverhead = process([], null, true).tokens.length;
  const pairTokens = process([], [], true).tokens;
  for (const token of pairTokens) specialId(tokenizer, token, source);
  const padToken = setting(json, 'padding', 'pad_token');
  const unkToken = setting(json, 'model', 'unk_token');
  const jsonMax = setting(json, 'truncation', 'max_length');
  const special = {
    pad: specialId(tokenizer, typeof padToken === 'string' ? padToken : '[PAD]', source),
    unk: specialId(tokenizer, typeof unkToken === 'string' ? unkToken : '[UNK]', source),
  };
  const vocab = tokenizer.get_vocab(true);
  let vocabSize = 0;
  for (const id of vocab.values()) vocabSize = Math.max(vocabSize, id + 1);
  const defaultMax = options.maxLength ?? (typeof jsonMax === 'number' ? jsonMax : 512);

  return {
    vocabSize,
    special,
    maxLength: defaultMax,
    encode(text, encodeOptions = {}) {
      const maxLength = encodeOptions.maxLength ?? defaultMax;
      const first = tokenizer.tokenize(text);
      const second =
        encodeOptions.pair === undefined ? null : tokenizer.tokenize(encodeOptions.pair);
      const overhead = second === null ? singleOverhead : pairTokens.length;
      if (maxLength < overhead)
        throw new CoreError(
          'INVALID_ARGUMENT',
          `maxLength ${maxLength} leaves no room for the ${overhead} special tokens`,
        );
      const [n1, n2] = truncationLengths(maxLength - overhead, first.length, second?.length ?? 0);
      const { tokens, token_type_ids } = process(
        first.slice(0, n1),
        second === null ? null : second.slice(0, n2),
        true,
      );
      const ids = tokens.map((token) => tokenizer.token_to_id(token) ?? special.unk);
      return { ids, typeIds: token_type_ids ?? ids.map(() => 0), attentionMask: ids.map(() => 1) };
    },
  };
}
