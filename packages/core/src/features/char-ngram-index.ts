/**
 * A fixed set of padded character n-grams (the fitted `char_wb` vocabulary of term statistics) as integer ids,
 * looked up straight from a token's UTF-16 code units: no substring, string hash or Map probe per n-gram. Ids
 * follow the code-unit order of the n-grams, so sorting ids sorts the n-grams the way `<` compares strings.
 */
import { CharNgramTable, HASH_OFFSET, hashStep } from './char-ngram-table';
import { TFIDF_CHAR_MAX_N, TFIDF_CHAR_MIN_N } from './padded-char-ngrams';

/** Padded character n-grams mapped to ids in code-unit order, with one value (e.g. an IDF) per id. */
export interface CharNgramIndex {
  /** Distinct n-grams (ids are 0 … size − 1). */
  readonly size: number;
  /** The value of each id. */
  readonly values: Float64Array;
  /**
   * The ids of the padded n-grams of `tokens` that the index holds, one per occurrence (the n-grams of
   * `paddedCharNgrams(tokens)` without those it lacks), in a buffer reused by the next call.
   */
  ngramIds(tokens: readonly string[]): Int32Array;
}

const SPACE = 32;

let scratch = new Int32Array(1024);

/** Most distinct tokens whose ids an index keeps. */
const TOKEN_MEMO_SIZE = 200_000;

/**
 * Indexes padded character n-grams (`n` = 3…5 as {@link paddedCharNgrams} makes them) with their values.
 * @param ngrams - distinct n-grams, e.g. `TermStatistics.charNgrams` (any order; a repeated one keeps its last value)
 * @param values - one value per n-gram
 * @returns the index; an n-gram's id is its rank in code-unit order
 * @throws RangeError when the lengths differ
 * @example createCharNgramIndex([' ab', 'ab '], [1, 2]).ngramIds(['ab']) // Int32Array [0, 1, …]
 */
export function createCharNgramIndex(
  ngrams: readonly string[],
  values: ArrayLike<number>,
): CharNgramIndex {
  if (ngrams.length !== values.length)
    throw new RangeError(
      `ngrams and values must have the same length (got ${ngrams.length} and ${values.length})`,
    );
  const table = new CharNgramTable(ngrams.length);
  for (const i of codeUnitOrder(ngrams)) {
    const gram = ngrams[i] ?? '';
    // Padded n-grams are 2 (an empty token) to 5 code units long; others can never be looked up.
    if (gram.length < 1 || gram.length > TFIDF_CHAR_MAX_N) continue;
    table.insert(gram, values[i] ?? Number.NaN);
  }
  // Each distinct token's ids are kept (texts repeat a small vocabulary of tokens); the memo is dropped whole
  // when it holds TOKEN_MEMO_SIZE tokens.
  const memo = new Map<string, Int32Array>();
  const ngramIds = (tokens: readonly string[]): Int32Array => tokensNgramIds(table, memo, tokens);
  return Object.freeze({
    size: table.size,
    values: table.values.subarray(0, table.size),
    ngramIds,
  });
}

/** The indices of `ngrams` in code-unit order (`<`, the default sort); ties keep their input order. */
function codeUnitOrder(ngrams: readonly string[]): number[] {
  const order = Array.from(ngrams.keys());
  // Term statistics are stored sorted, so this is usually the identity.
  if (!ngrams.some((g, i) => i > 0 && (ngrams[i - 1] ?? '') >= g)) return order;
  return order.sort((a, b) => {
    const x = ngrams[a] ?? '';
    const y = ngrams[b] ?? '';
    return x < y ? -1 : x > y ? 1 : a - b;
  });
}

/** Grows the shared id buffer to hold `need` ids, keeping its first `count`. */
function reserveScratch(need: number, count: number): void {
  if (scratch.length >= need) return;
  const grown = new Int32Array(Math.max(need, scratch.length * 2));
  grown.set(scratch.subarray(0, count));
  scratch = grown;
}

/** The ids of every token's n-grams, in order, from the memo or the table; a view of the shared buffer. */
function tokensNgramIds(
  table: CharNgramTable,
  memo: Map<string, Int32Array>,
  tokens: readonly string[],
): Int32Array {
  let count = 0;
  for (const token of tokens) {
    const ids = memo.get(token);
    if (ids === undefined) {
      const end = appendTokenIds(table, token, count);
      if (memo.size >= TOKEN_MEMO_SIZE) memo.clear();
      memo.set(token, scratch.slice(count, end));
      count = end;
      continue;
    }
    reserveScratch(count + ids.length, count);
    scratch.set(ids, count);
    count += ids.length;
  }
  return scratch.subarray(0, count);
}

/** The ids of one token's padded n-grams, appended to the shared buffer from `count` on; returns the new count. */
function appendTokenIds(table: CharNgramTable, token: string, count: number): number {
  // The token padded with a space at each end, as paddedCharNgrams pads it.
  const w = token.length + 2;
  table.reserveText(w);
  const { text } = table;
  text[0] = SPACE;
  for (let p = 0; p < token.length; p++) text[p + 1] = token.charCodeAt(p);
  text[w - 1] = SPACE;
  reserveScratch(count + (TFIDF_CHAR_MAX_N - TFIDF_CHAR_MIN_N + 1) * w, count);
  if (w <= TFIDF_CHAR_MIN_N) {
    // paddedCharNgrams keeps a padded token no longer than the shortest n whole, once.
    let hash = HASH_OFFSET;
    for (let p = 0; p < w; p++) hash = hashStep(hash, text[p] ?? 0);
    const id = table.find(hash, w, 0);
    if (id >= 0) scratch[count++] = id;
    return count;
  }
  // Every window of each length n = 3…5 that fits (when w is shorter than 5, w itself is the last n-gram,
  // as in paddedCharNgrams); the hash of the n-gram extends that of the (n − 1)-gram at the same start.
  for (let start = 0; start + TFIDF_CHAR_MIN_N <= w; start++) {
    let hash = HASH_OFFSET;
    for (let p = 0; p < TFIDF_CHAR_MIN_N - 1; p++) hash = hashStep(hash, text[start + p] ?? 0);
    for (let len = TFIDF_CHAR_MIN_N; len <= TFIDF_CHAR_MAX_N && start + len <= w; len++) {
      hash = hashStep(hash, text[start + len - 1] ?? 0);
      const id = table.find(hash, len, start);
      if (id >= 0) scratch[count++] = id;
    }
  }
  return count;
}
