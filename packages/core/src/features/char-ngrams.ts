/**
 * fastText-style hashed character n-grams: a token is wrapped in `<` `>` boundary markers and every n-gram
 * of n = minN..maxN code points is hashed with 32-bit FNV-1a over its UTF-8 bytes, modulo a bucket count.
 * A misspelt or unseen word shares most of its n-grams with the word it resembles.
 */
import { assertInteger } from '../math/check';

/** FNV-1a 32-bit offset basis. @see http://www.isthe.com/chongo/tech/comp/fnv/index.html */
export const FNV1A32_OFFSET = 0x811c9dc5;
/** FNV-1a 32-bit prime. */
export const FNV1A32_PRIME = 0x01000193;

/** Feeds the UTF-8 bytes of one code point into an FNV-1a state (Math.imul keeps the product in 32 bits). */
function fnvCodePoint(hash: number, cp: number): number {
  if (cp < 0x80) return Math.imul(hash ^ cp, FNV1A32_PRIME);
  let h = hash;
  if (cp < 0x800) {
    h = Math.imul(h ^ (0xc0 | (cp >> 6)), FNV1A32_PRIME);
  } else if (cp < 0x10000) {
    h = Math.imul(h ^ (0xe0 | (cp >> 12)), FNV1A32_PRIME);
    h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV1A32_PRIME);
  } else {
    h = Math.imul(h ^ (0xf0 | (cp >> 18)), FNV1A32_PRIME);
    h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), FNV1A32_PRIME);
    h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV1A32_PRIME);
  }
  return Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV1A32_PRIME);
}

/**
 * 32-bit FNV-1a hash of the UTF-8 bytes of `text`, as an unsigned integer.
 * @example fnv1a32('a') // 0xe40c292c
 * @see https://datatracker.ietf.org/doc/html/draft-eastlake-fnv (FNV-1a)
 */
export function fnv1a32(text: string): number {
  let h = FNV1A32_OFFSET;
  for (const ch of text) h = fnvCodePoint(h, ch.codePointAt(0) ?? 0);
  return h >>> 0;
}

/** Options for {@link charNgramIds}. */
export interface CharNgramOptions {
  /** B, the number of hash buckets; ids are in [0, B). */
  buckets: number;
  /** Shortest n-gram, in code points (markers included). @default 3 */
  minN?: number;
  /** Longest n-gram. @default 5 */
  maxN?: number;
  /** Keep at most this many ids; the longest n-grams are dropped first. @default Infinity */
  maxNgrams?: number;
}

/** Default n-gram lengths (fastText's `-minn 3 -maxn 5` is 3..6; 3..5 keeps short tokens dense). */
export const DEFAULT_MIN_N = 3;
/** See {@link DEFAULT_MIN_N}. */
export const DEFAULT_MAX_N = 5;

/**
 * Bucket ids of the character n-grams of `<token>`, ordered by n (all trigrams first, left to right, then
 * the 4-grams, …), so a cap keeps the short n-grams, which survive misspellings best. Duplicated n-grams
 * keep their duplicates, as in fastText. The wrapped word itself counts when its length is within
 * [minN, maxN] (`x` → the single trigram `<x>`).
 * @param token - one token (typically from {@link tokenize})
 * @param options - buckets and n-gram lengths
 * @returns bucket ids in [0, buckets)
 * @throws RangeError for a bad bucket count or n-gram range
 * @example charNgramIds('ab', { buckets: 1000 }) // ids of '<ab', 'ab>', '<ab>'
 * @see Bojanowski et al. 2017, "Enriching Word Vectors with Subword Information", https://arxiv.org/abs/1607.04606
 */
export function charNgramIds(token: string, options: CharNgramOptions): Int32Array {
  const { buckets, minN = DEFAULT_MIN_N, maxN = DEFAULT_MAX_N, maxNgrams = Infinity } = options;
  assertInteger(buckets, 'options.buckets', { min: 1, max: 2 ** 31 - 1 });
  assertInteger(minN, 'options.minN', { min: 1 });
  assertInteger(maxN, 'options.maxN', { min: minN });
  if (!(maxNgrams >= 0))
    throw new RangeError(`options.maxNgrams must be ≥ 0 (got ${String(maxNgrams)})`);
  const cps: number[] = [60];
  for (const ch of token) cps.push(ch.codePointAt(0) ?? 0);
  cps.push(62);
  const w = cps.length;
  let total = 0;
  for (let n = minN; n <= maxN; n++) total += Math.max(0, w - n + 1);
  const out = new Int32Array(Math.min(total, maxNgrams));
  let k = 0;
  for (let n = minN; n <= maxN && k < out.length; n++) {
    for (let start = 0; start + n <= w && k < out.length; start++) {
      let h = FNV1A32_OFFSET;
      for (let p = start; p < start + n; p++) h = fnvCodePoint(h, cps[p] ?? 0);
      out[k++] = (h >>> 0) % buckets;
    }
  }
  return out;
}
