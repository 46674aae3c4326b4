/**
 * How well one query token matches one item token: exact, prefix, fuzzy (a few edits) or not at all.
 * Number tokens match only by equal value ("1/2" = "0.5"), never by prefix or edits ("1200" ≠ "1300").
 */
import { damerauLevenshtein } from './damerau-levenshtein';
import { numberTokenValue } from './number-token';

/** No match. */
export const MATCH_NONE = 0;
/** Within the edit tolerance of {@link fuzzyTolerance}. */
export const MATCH_FUZZY = 1;
/** One token is a prefix of the other, the shorter having ≥ {@link MIN_PREFIX_LENGTH} characters. */
export const MATCH_PREFIX = 2;
/** Equal tokens, or number tokens of equal value. */
export const MATCH_EXACT = 3;

/** Shortest token that may match by prefix ("shower" ⊂ "showerhead", "bracket" ⊂ "brackets"). */
export const MIN_PREFIX_LENGTH = 4;

/**
 * Edits allowed between two tokens whose shorter one has `length` characters: 0 below 4, 1 from 4, 2 from 8.
 * Short tokens get no slack because one edit turns "tub" into "tube" or "cup".
 * @example fuzzyTolerance(7) // 1
 */
export function fuzzyTolerance(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/**
 * Match level of two word tokens (neither a number token): exact, prefix, fuzzy or none.
 * @internal
 */
export function matchWords(q: string, t: string): number {
  if (q === t) return MATCH_EXACT;
  const shorter = Math.min(q.length, t.length);
  if (shorter >= MIN_PREFIX_LENGTH && (q.length < t.length ? t.startsWith(q) : q.startsWith(t)))
    return MATCH_PREFIX;
  const k = fuzzyTolerance(shorter);
  if (k === 0 || Math.abs(q.length - t.length) > k) return MATCH_NONE;
  return damerauLevenshtein(q, t, { maxDistance: k }) <= k ? MATCH_FUZZY : MATCH_NONE;
}

/**
 * Match level of query token `q` against item token `t` ({@link MATCH_NONE} … {@link MATCH_EXACT}); the
 * fuzzy tolerance is {@link fuzzyTolerance} of the shorter token.
 * @param q - query token
 * @param t - item token
 * @returns the level
 * @example matchLevel('brakcet', 'bracket') // MATCH_FUZZY
 * @example matchLevel('1/2', '0.5') // MATCH_EXACT
 */
export function matchLevel(q: string, t: string): number {
  const vq = numberTokenValue(q);
  const vt = numberTokenValue(t);
  if (!Number.isNaN(vq) || !Number.isNaN(vt)) return vq === vt ? MATCH_EXACT : MATCH_NONE;
  return matchWords(q, t);
}
