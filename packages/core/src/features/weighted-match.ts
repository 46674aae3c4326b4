/**
 * The IDF-weighted term-match features: how much of the query's information (rare terms weigh more) the item
 * covers, BM25, and word / character TF-IDF cosines. Computed from the per-query-token match levels of
 * {@link termMatchFeatures} and the weights of {@link weightText}.
 */
import { sparseDot } from './sparse-vector';
import type { TermWeighting } from './term-weighting';
import { MATCH_PREFIX } from './token-match';
import type { WeightedText } from './weighted-text';

/**
 * Names of the weighted features, in order (they follow the unweighted ones in a term-match vector).
 * IDF is {@link TermWeighting.wordIdf}; coverages are over Σ idf of the query tokens (0 for an empty query):
 * `idfCoverage` — IDF share of the query tokens matched in the sense of `substringFraction`;
 * `idfPrefixCoverage` — IDF share matched exactly or by prefix;
 * `maxMissingIdf` — largest IDF among the query tokens `idfCoverage` misses, over the largest possible IDF
 *   (0 when none is missing): a missing rare term ("bracket") hurts more than a missing common one;
 * `bm25` — Okapi BM25 (k1 = 1.2, b = 0.75; term frequency = item tokens matched exactly or by prefix) over its
 *   maximum Σ idf·(k1 + 1), so in [0, 1);
 * `wordTfidfCosine` — cosine of the word TF-IDF vectors; `charTfidfCosine` — of the character 3–5-gram ones;
 * `queryMeanIdf` — mean IDF of the query tokens over the largest possible IDF (how specific the query is).
 */
export const WEIGHTED_MATCH_FEATURE_NAMES = [
  'idfCoverage',
  'idfPrefixCoverage',
  'maxMissingIdf',
  'bm25',
  'wordTfidfCosine',
  'charTfidfCosine',
  'queryMeanIdf',
] as const;

/** BM25 term-frequency saturation k1 and length normalisation b (the usual defaults). */
export const BM25_PARAMETERS = Object.freeze({ k1: 1.2, b: 0.75 });

/** Per query token i: its best match level, whether it counts as matched, and its BM25 term frequency. @internal */
export interface QueryTokenMatches {
  /** Best {@link matchLevel} over the item tokens (length ≥ |Q|). */
  readonly best: Uint8Array;
  /** 1 when the token is matched in the sense of `substringFraction`, else 0. */
  readonly matched: Uint8Array;
  /** Item tokens matched exactly or by prefix. */
  readonly termFrequency: Int32Array;
}

/** Where and how {@link writeWeightedMatchFeatures} writes. @internal */
export interface WeightedMatchTarget {
  readonly weighting: TermWeighting;
  readonly out: Float32Array | Float64Array;
  readonly offset: number;
}

/**
 * Writes the {@link WEIGHTED_MATCH_FEATURE_NAMES} of a pair at `target.offset` (bounds checked by the caller).
 * @internal
 */
export function writeWeightedMatchFeatures(
  pair: { readonly query: WeightedText; readonly item: WeightedText },
  matches: QueryTokenMatches,
  target: WeightedMatchTarget,
): void {
  const { query: q, item: t } = pair;
  const { weighting, out, offset: o } = target;
  const { k1, b } = BM25_PARAMETERS;
  const nq = q.tokens.length;
  const nt = t.tokens.length;
  const mean = weighting.meanTokens;
  // Without corpus statistics there is no mean length: no length normalisation.
  const lengthNorm = mean !== undefined && mean > 0 ? 1 - b + (b * nt) / mean : 1;
  let total = 0;
  let covered = 0;
  let prefixCovered = 0;
  let maxMissing = 0;
  let bm25 = 0;
  for (let i = 0; i < nq; i++) {
    const idf = q.idf[i] ?? 0;
    total += idf;
    if ((matches.matched[i] ?? 0) === 1) covered += idf;
    else if (idf > maxMissing) maxMissing = idf;
    if ((matches.best[i] ?? 0) >= MATCH_PREFIX) prefixCovered += idf;
    const tf = matches.termFrequency[i] ?? 0;
    bm25 += (idf * tf * (k1 + 1)) / (tf + k1 * lengthNorm);
  }
  out[o] = total > 0 ? covered / total : 0;
  out[o + 1] = total > 0 ? prefixCovered / total : 0;
  out[o + 2] = maxMissing / weighting.maxIdf;
  out[o + 3] = total > 0 ? bm25 / (total * (k1 + 1)) : 0;
  out[o + 4] = sparseDot(q.wordVector, t.wordVector);
  out[o + 5] = sparseDot(q.charVector, t.charVector);
  out[o + 6] = nq > 0 ? total / nq / weighting.maxIdf : 0;
}
