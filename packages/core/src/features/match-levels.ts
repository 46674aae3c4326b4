/**
 * The |Q|×|T| match-level matrix of a (query, item) pair and what each query token makes of it, in scratch
 * buffers shared by the term-match features (reused per pair, grown on demand; no callbacks run while live).
 */
import type { PreparedText } from './prepare-text';
import {
  MATCH_EXACT,
  MATCH_FUZZY,
  MATCH_NONE,
  MATCH_PREFIX,
  matchWords,
  MIN_PREFIX_LENGTH,
} from './token-match';

/** The level matrix (row-major, query × item) and the per-query-token results of the pair last matched. */
export interface MatchLevels {
  /** `levels[i * |T| + j]`: the match level of query token i against item token j. */
  levels: Uint8Array;
  /** Best level of each query token over the item. */
  best: Uint8Array;
  /** 1 when the query token is matched at fuzzy level or better, or (a word) as a substring of the item. */
  matched: Uint8Array;
  /** Item tokens matching each query token at prefix level or better. */
  termFrequency: Int32Array;
}

/** Counts over the query tokens of the pair last matched (feature numerators). */
export interface QueryMatchTally {
  exact: number;
  prefix: number;
  fuzzy: number;
  substring: number;
  queryNumbers: number;
  numbersFound: number;
  firstMatched: number;
  lastMatched: number;
}

const scratch: MatchLevels = {
  levels: new Uint8Array(1024),
  best: new Uint8Array(64),
  matched: new Uint8Array(64),
  termFrequency: new Int32Array(64),
};

const tally: QueryMatchTally = {
  exact: 0,
  prefix: 0,
  fuzzy: 0,
  substring: 0,
  queryNumbers: 0,
  numbersFound: 0,
  firstMatched: 0,
  lastMatched: 0,
};

const result = { levels: scratch, tally } as const;

/** Grows the scratch buffers for an nq × nt pair. */
function reserve(nq: number, nt: number): void {
  if (scratch.levels.length < nq * nt)
    scratch.levels = new Uint8Array(Math.max(nq * nt, scratch.levels.length * 2));
  if (scratch.best.length < nq) {
    scratch.best = new Uint8Array(Math.max(nq, scratch.best.length * 2));
    scratch.matched = new Uint8Array(scratch.best.length);
    scratch.termFrequency = new Int32Array(scratch.best.length);
  }
}

/**
 * Matches every query token against every item token: fills the shared {@link MatchLevels} and tallies the
 * query side. Numbers match only by value; a number never matches a word.
 * @returns the shared scratch levels and tally, valid until the next call
 */
export function matchPair(
  q: PreparedText,
  t: PreparedText,
): { readonly levels: MatchLevels; readonly tally: QueryMatchTally } {
  const nq = q.tokens.length;
  const nt = t.tokens.length;
  reserve(nq, nt);
  const { levels, best, matched: matchedTokens, termFrequency } = scratch;
  let exact = 0,
    prefix = 0,
    fuzzy = 0,
    substring = 0,
    queryNumbers = 0,
    numbersFound = 0;
  let firstMatched = 0,
    lastMatched = 0;
  for (let i = 0; i < nq; i++) {
    const qt = q.tokens[i] ?? '';
    const qv = q.values[i] ?? Number.NaN;
    const isNumber = !Number.isNaN(qv);
    if (isNumber) queryNumbers++;
    let top = MATCH_NONE;
    let tf = 0;
    for (let j = 0; j < nt; j++) {
      const tv = t.values[j] ?? Number.NaN;
      const level =
        isNumber || !Number.isNaN(tv)
          ? qv === tv
            ? MATCH_EXACT
            : MATCH_NONE
          : matchWords(qt, t.tokens[j] ?? '');
      levels[i * nt + j] = level;
      if (level > top) top = level;
      if (level >= MATCH_PREFIX) tf++;
    }
    if (isNumber && top === MATCH_EXACT) numbersFound++;
    if (top >= MATCH_EXACT) exact++;
    if (top >= MATCH_PREFIX) prefix++;
    if (top >= MATCH_FUZZY) fuzzy++;
    const matched =
      top >= MATCH_FUZZY || (!isNumber && qt.length >= MIN_PREFIX_LENGTH && t.joined.includes(qt))
        ? 1
        : 0;
    best[i] = top;
    matchedTokens[i] = matched;
    termFrequency[i] = tf;
    substring += matched;
    if (i === 0) firstMatched = matched;
    if (i === nq - 1) lastMatched = matched;
  }
  tally.exact = exact;
  tally.prefix = prefix;
  tally.fuzzy = fuzzy;
  tally.substring = substring;
  tally.queryNumbers = queryNumbers;
  tally.numbersFound = numbersFound;
  tally.firstMatched = firstMatched;
  tally.lastMatched = lastMatched;
  return result;
}

/** Item tokens equal (level exact) to some query token, in the level matrix of an nq × nt pair. */
export function countCoveredItemTokens(levels: Uint8Array, nq: number, nt: number): number {
  let covered = 0;
  for (let j = 0; j < nt; j++) {
    for (let i = 0; i < nq; i++) {
      if ((levels[i * nt + j] ?? 0) === MATCH_EXACT) {
        covered++;
        break;
      }
    }
  }
  return covered;
}

/** 1 when the item's first token matches some query token at fuzzy level or better, else 0. */
export function itemFirstTokenMatched(levels: Uint8Array, nq: number, nt: number): number {
  let itemFirst = 0;
  for (let i = 0; i < nq && nt > 0; i++) if ((levels[i * nt] ?? 0) >= MATCH_FUZZY) itemFirst = 1;
  return itemFirst;
}

/** Adjacent query-token pairs found adjacent and in order in the item, each side at fuzzy level or better. */
export function countMatchedBigrams(levels: Uint8Array, nq: number, nt: number): number {
  let bigrams = 0;
  for (let i = 0; i + 1 < nq; i++) {
    for (let j = 0; j + 1 < nt; j++) {
      if (
        (levels[i * nt + j] ?? 0) >= MATCH_FUZZY &&
        (levels[(i + 1) * nt + j + 1] ?? 0) >= MATCH_FUZZY
      ) {
        bigrams++;
        break;
      }
    }
  }
  return bigrams;
}
