/**
 * Lexical match signals of a (query, item) pair: a fixed-length vector that survives misspellings, compound
 * words and unit spellings. It is the dense side input of the relevance scorer, so it runs per pair in
 * training and per request (in the API and in the browser). Pure; no allocation per pair beyond the output.
 *
 * Q = content tokens of the query, T = those of the item ({@link prepareText}). Per query token its best
 * level over T ({@link matchLevel}): exact ⊂ prefix ⊂ fuzzy, so features 0–2 are cumulative and non-decreasing.
 */
import { jaccardSorted } from './char-trigrams';
import { prepareText, type PreparedText } from './prepare-text';
import { createTermWeighting, type TermWeighting } from './term-weighting';
import { slabFloat32 } from './typed-slab';
import { writeHeadFeatures } from './head-features';
import {
  countCoveredItemTokens,
  countMatchedBigrams,
  itemFirstTokenMatched,
  matchPair,
  type MatchLevels,
  type QueryMatchTally,
} from './match-levels';
import { WEIGHTED_MATCH_FEATURE_NAMES, writeWeightedMatchFeatures } from './weighted-match';
import { isWeightedText, weightText, type WeightedText } from './weighted-text';

/**
 * Names of the features, by index. Fractions are over |Q| (0 when Q is empty):
 * 0 `exactFraction` — query tokens with an equal item token (numbers by value: "1/2" = "0.5");
 * 1 `prefixFraction` — … or a prefix match, shorter side ≥ 4 chars ("bracket" / "brackets");
 * 2 `fuzzyFraction` — … or within the edit tolerance (restricted Damerau-Levenshtein ≤ 1 from 4 chars, ≤ 2 from 8);
 * 3 `substringFraction` — … or, for a word of ≥ 4 chars, inside the item's tokens joined without spaces
 *   (compounds: "showerhead" in "shower head", "over" in "deckover");
 * 4 `itemCoverage` — fraction of item tokens equal to some query token (how much of the title the query explains);
 * 5 `trigramJaccard` — Jaccard similarity of the character-trigram sets of the two token strings;
 * 6 `queryHasNumber` — 1 when the query has a number token;
 * 7 `numberMatchFraction` — query number tokens whose value occurs among the item's numbers (0 without numbers);
 * 8 `numberMismatchFraction` — query numbers missing from an item that does state numbers ("12-gauge" vs "14-gauge");
 *   0 when the item has no numbers (absent, not contradicted);
 * 9 `logQueryTokens` — ln(1 + |Q|); 10 `logItemTokens` — ln(1 + |T|);
 * 11 `firstTokenMatched` — the first query token is matched in the sense of feature 3 (fuzzy or substring);
 * 12 `lastTokenMatched` — the last query token (usually the product noun) is;
 * 13 `bigramFraction` — adjacent query pairs found adjacent and in order in the item, each side at fuzzy
 *   level or better, over |Q| − 1 pairs (0 for a one-token query);
 * 14 `phraseMatch` — the whole query, joined without spaces, occurs in the item's joined tokens;
 * 15 `itemFirstTokenMatched` — the item's first token (often the brand) matches some query token;
 * 16–22 the IDF-weighted features of {@link WEIGHTED_MATCH_FEATURE_NAMES} (corpus statistics through
 *   `TermMatchOptions.weighting`; without them every term weighs 1);
 * the item's head segment H (its leading tokens before "in", "with", "for", …: {@link PreparedText.headLength}),
 * whose last word that is not a number (the head noun) usually names the product type ("… Faucet Trim Kit"),
 * so a query that only shares a finish or an accessory with the item ("chrome pipe" / "Escutcheon for Pipe in
 * Chrome") shows as a mismatch:
 * 23 `headNounMatched` — some query token matches the head noun at fuzzy level or better;
 * 24 `lastTokenInHead` — the last query token matches one of the last two non-number words of H;
 * 25 `headCoverage` — fraction of query tokens matched (fuzzy or better) by a token of H.
 */
export const TERM_MATCH_FEATURE_NAMES = [
  'exactFraction',
  'prefixFraction',
  'fuzzyFraction',
  'substringFraction',
  'itemCoverage',
  'trigramJaccard',
  'queryHasNumber',
  'numberMatchFraction',
  'numberMismatchFraction',
  'logQueryTokens',
  'logItemTokens',
  'firstTokenMatched',
  'lastTokenMatched',
  'bigramFraction',
  'phraseMatch',
  'itemFirstTokenMatched',
  ...WEIGHTED_MATCH_FEATURE_NAMES,
  'headNounMatched',
  'lastTokenInHead',
  'headCoverage',
] as const;

/** One feature name. */
export type TermMatchFeatureName = (typeof TERM_MATCH_FEATURE_NAMES)[number];

/** F, the length of a term-match feature vector. */
export const TERM_MATCH_FEATURE_COUNT = TERM_MATCH_FEATURE_NAMES.length;

/** Where {@link termMatchFeatures} writes. */
export interface TermMatchOptions {
  /** Output buffer (e.g. a row-major batch matrix). @default a new Float32Array(F) */
  out?: Float32Array | Float64Array;
  /** First index written in `out`. @default 0 */
  offset?: number;
  /**
   * Term weights for the IDF features. Ignored when either text is already a {@link WeightedText}: the
   * pair then uses that text's weighting (the query's if both are weighted).
   * @default the uniform weighting (every term weighs 1)
   */
  weighting?: TermWeighting;
}

function asWeighted(text: PreparedText | string, weighting: TermWeighting): WeightedText {
  const prepared = typeof text === 'string' ? prepareText(text) : text;
  return isWeightedText(prepared) ? prepared : weightText(prepared, weighting);
}

/** The weighting of a pair: that of an already weighted text (the query's first), else the option's. */
function pairWeighting(
  query: PreparedText | string,
  item: PreparedText | string,
  option: TermWeighting | undefined,
): TermWeighting {
  if (typeof query !== 'string' && isWeightedText(query)) return query.weighting;
  if (typeof item !== 'string' && isWeightedText(item)) return item.weighting;
  return option ?? createTermWeighting();
}

/**
 * Computes the {@link TERM_MATCH_FEATURE_NAMES} vector of a pair.
 * @param query - the query (a string is prepared with default options; prepare and weigh once
 *   ({@link weightText}) to score many items)
 * @param item - the item title
 * @param options - output buffer and offset, term weights
 * @returns `out` (or a new Float32Array of length F) with the F features written at `offset`
 * @throws RangeError when `out` is too short for F entries at `offset`
 * @example termMatchFeatures('angle bracket', 'Acme Steel-Tie 12-Gauge Angle')[0] // 0.5
 */
export function termMatchFeatures(
  query: PreparedText | string,
  item: PreparedText | string,
  options: TermMatchOptions = {},
): Float32Array | Float64Array {
  const { out = slabFloat32(TERM_MATCH_FEATURE_COUNT), offset = 0, weighting } = options;
  if (!Number.isInteger(offset) || offset < 0 || offset + TERM_MATCH_FEATURE_COUNT > out.length) {
    throw new RangeError(
      `options.out must hold ${TERM_MATCH_FEATURE_COUNT} features at offset ${offset} (length ${out.length})`,
    );
  }
  const pairWeights = pairWeighting(query, item, weighting);
  const q = asWeighted(query, pairWeights);
  const t = asWeighted(item, pairWeights);
  const match = matchPair(q, t);
  const { levels } = match;
  writeTokenFeatures({ query: q, item: t }, match, { out, offset });
  writeWeightedMatchFeatures(
    { query: q, item: t },
    { best: levels.best, matched: levels.matched, termFrequency: levels.termFrequency },
    { weighting: pairWeights, out, offset: offset + 16 },
  );
  writeHeadFeatures({ query: q, item: t }, levels.levels, { out, offset: offset + 23 });
  return out;
}

/** Features 0–15 of {@link TERM_MATCH_FEATURE_NAMES} from the level matrix and tally of the pair ({@link matchPair}). */
function writeTokenFeatures(
  pair: { readonly query: PreparedText; readonly item: PreparedText },
  match: { readonly levels: MatchLevels; readonly tally: QueryMatchTally },
  target: { readonly out: Float32Array | Float64Array; readonly offset: number },
): void {
  const { query: q, item: t } = pair;
  const { out, offset: o } = target;
  const nq = q.tokens.length;
  const nt = t.tokens.length;
  const { tally } = match;
  const { levels } = match.levels;
  const { queryNumbers, numbersFound } = tally;
  const itemNumbers = countNumbers(t.values, nt);
  // Duplicated query numbers ("2x2") count once each; the item's numbers are looked up by value.
  const mismatched = itemNumbers > 0 ? queryNumbers - numbersFound : 0;
  const perQuery = nq > 0 ? 1 / nq : 0;
  out[o] = tally.exact * perQuery;
  out[o + 1] = tally.prefix * perQuery;
  out[o + 2] = tally.fuzzy * perQuery;
  out[o + 3] = tally.substring * perQuery;
  out[o + 4] = nt > 0 ? countCoveredItemTokens(levels, nq, nt) / nt : 0;
  out[o + 5] = jaccardSorted(q.trigrams, t.trigrams);
  out[o + 6] = queryNumbers > 0 ? 1 : 0;
  out[o + 7] = queryNumbers > 0 ? numbersFound / queryNumbers : 0;
  out[o + 8] = queryNumbers > 0 ? mismatched / queryNumbers : 0;
  out[o + 9] = Math.log1p(nq);
  out[o + 10] = Math.log1p(nt);
  out[o + 11] = tally.firstMatched;
  out[o + 12] = tally.lastMatched;
  out[o + 13] = nq > 1 ? countMatchedBigrams(levels, nq, nt) / (nq - 1) : 0;
  out[o + 14] = nq > 0 && t.joined.includes(q.joined) ? 1 : 0;
  out[o + 15] = itemFirstTokenMatched(levels, nq, nt);
}

/** Tokens that are numbers (a value other than NaN) among the first `n`. */
function countNumbers(values: ArrayLike<number>, n: number): number {
  let count = 0;
  for (let j = 0; j < n; j++) if (!Number.isNaN(values[j] ?? Number.NaN)) count++;
  return count;
}

/** One pair for {@link termMatchFeatureMatrix}. */
export interface TermMatchPair {
  readonly query: PreparedText | string;
  readonly item: PreparedText | string;
}

/**
 * Term-match features of many pairs as a row-major `n × F` Float32 matrix (the scorer's lexical input).
 * @param pairs - the pairs, one row each
 * @param options - term weights for the IDF features @default { weighting: uniform }
 * @returns `{ rows: n, cols: F, data }`
 * @example termMatchFeatureMatrix([{ query: 'deck over', item: 'BEHR Premium DeckOver 1 gal.' }]).cols // 26
 */
export function termMatchFeatureMatrix(
  pairs: readonly TermMatchPair[],
  options: { weighting?: TermWeighting } = {},
): {
  rows: number;
  cols: number;
  data: Float32Array;
} {
  const cols = TERM_MATCH_FEATURE_COUNT;
  const data = new Float32Array(pairs.length * cols);
  const weighting = options.weighting ?? createTermWeighting();
  pairs.forEach((pair, r) =>
    termMatchFeatures(pair.query, pair.item, { out: data, offset: r * cols, weighting }),
  );
  return { rows: pairs.length, cols, data };
}
