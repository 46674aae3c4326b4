/**
 * A fixed set of padded character n-grams (the fitted `char_wb` vocabulary of term statistics) as integer ids,
 * looked up straight from a token's UTF-16 code units: no substring, string hash or Map probe per n-gram. Ids
 * follow the code-unit order of the n-grams, so sorting ids sorts the n-grams the way `<` compares strings.
 */
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
const HASH_OFFSET = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

// FNV-1a over UTF-16 code units; any well-mixed hash works, as keys are compared in full on a hit.
const step = (hash: number, unit: number): number => Math.imul(hash ^ unit, HASH_PRIME);

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
  // Rank in code-unit order (`<`, the default sort); term statistics are stored sorted, so usually identity.
  let order = Array.from(ngrams.keys());
  if (ngrams.some((g, i) => i > 0 && (ngrams[i - 1] ?? '') >= g))
    order = order.sort((a, b) => {
      const x = ngrams[a] ?? '';
      const y = ngrams[b] ?? '';
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  const n = ngrams.length;
  let capacity = 16;
  while (capacity < 2 * n) capacity *= 2;
  const mask = capacity - 1;
  const slotId = new Int32Array(capacity).fill(-1);
  const slotHash = new Int32Array(capacity);
  const units = new Uint16Array(n * TFIDF_CHAR_MAX_N);
  const lengths = new Uint8Array(n);
  const idValues = new Float64Array(n);
  let size = 0;

  // The text being looked up, in code units: an n-gram to insert, or a padded token.
  let text = new Uint16Array(64);
  const find = (hash: number, length: number, start: number): number => {
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slotId[slot] ?? -1;
      if (id < 0) return -slot - 1;
      if (slotHash[slot] !== hash || lengths[id] !== length) continue;
      let p = 0;
      const base = id * TFIDF_CHAR_MAX_N;
      while (p < length && units[base + p] === text[start + p]) p++;
      if (p === length) return id;
    }
  };

  for (const i of order) {
    const gram = ngrams[i] ?? '';
    // Padded n-grams are 2 (an empty token) to 5 code units long; others can never be looked up.
    if (gram.length < 1 || gram.length > TFIDF_CHAR_MAX_N) continue;
    let hash = HASH_OFFSET;
    for (let p = 0; p < gram.length; p++) {
      text[p] = gram.charCodeAt(p);
      hash = step(hash, text[p] ?? 0);
    }
    const found = find(hash, gram.length, 0);
    if (found >= 0) {
      idValues[found] = values[i] ?? Number.NaN;
      continue;
    }
    const slot = -found - 1;
    slotId[slot] = size;
    slotHash[slot] = hash;
    lengths[size] = gram.length;
    for (let p = 0; p < gram.length; p++) units[size * TFIDF_CHAR_MAX_N + p] = gram.charCodeAt(p);
    idValues[size] = values[i] ?? Number.NaN;
    size++;
  }

  // The ids of one token, appended to scratch from `count` on; returns the new count.
  const appendTokenIds = (token: string, count: number): number => {
    // The token padded with a space at each end, as paddedCharNgrams pads it.
    const w = token.length + 2;
    if (text.length < w) text = new Uint16Array(Math.max(w, text.length * 2));
    text[0] = SPACE;
    for (let p = 0; p < token.length; p++) text[p + 1] = token.charCodeAt(p);
    text[w - 1] = SPACE;
    const need = count + (TFIDF_CHAR_MAX_N - TFIDF_CHAR_MIN_N + 1) * w;
    if (scratch.length < need) {
      const grown = new Int32Array(Math.max(need, scratch.length * 2));
      grown.set(scratch.subarray(0, count));
      scratch = grown;
    }
    if (w <= TFIDF_CHAR_MIN_N) {
      // paddedCharNgrams keeps a padded token no longer than the shortest n whole, once.
      let hash = HASH_OFFSET;
      for (let p = 0; p < w; p++) hash = step(hash, text[p] ?? 0);
      const id = find(hash, w, 0);
      if (id >= 0) scratch[count++] = id;
      return count;
    }
    // Every window of each length n = 3…5 that fits (when w is shorter than 5, w itself is the last n-gram,
    // as in paddedCharNgrams); the hash of the n-gram extends that of the (n − 1)-gram at the same start.
    for (let start = 0; start + TFIDF_CHAR_MIN_N <= w; start++) {
      let hash = HASH_OFFSET;
      for (let p = 0; p < TFIDF_CHAR_MIN_N - 1; p++) hash = step(hash, text[start + p] ?? 0);
      for (let len = TFIDF_CHAR_MIN_N; len <= TFIDF_CHAR_MAX_N && start + len <= w; len++) {
        hash = step(hash, text[start + len - 1] ?? 0);
        const id = find(hash, len, start);
        if (id >= 0) scratch[count++] = id;
      }
    }
    return count;
  };

  // Each distinct token's ids are kept (texts repeat a small vocabulary of tokens); the memo is dropped whole
  // when it holds TOKEN_MEMO_SIZE tokens.
  const memo = new Map<string, Int32Array>();
  const ngramIds = (tokens: readonly string[]): Int32Array => {
    let count = 0;
    for (const token of tokens) {
      const ids = memo.get(token);
      if (ids === undefined) {
        const end = appendTokenIds(token, count);
        if (memo.size >= TOKEN_MEMO_SIZE) memo.clear();
        memo.set(token, scratch.slice(count, end));
        count = end;
        continue;
      }
      if (scratch.length < count + ids.length) {
        const grown = new Int32Array(Math.max(count + ids.length, scratch.length * 2));
        grown.set(scratch.subarray(0, count));
        scratch = grown;
      }
      scratch.set(ids, count);
      count += ids.length;
    }
    return scratch.subarray(0, count);
  };

  return Object.freeze({ size, values: idValues.subarray(0, size), ngramIds });
}
