/**
 * Inverse document frequencies looked up from {@link TermStatistics}, with scikit-learn's smoothing, and the
 * uniform weighting used when no statistics are given (every term weighs 1).
 */
import { createCharNgramIndex } from './char-ngram-index';
import { paddedCharNgrams } from './padded-char-ngrams';
import { tfidfVector, tfidfVectorOfIds, type SparseVector } from './sparse-vector';
import type { TermStatistics } from './term-statistics';

/** Term weights of one corpus. */
export interface TermWeighting {
  /** `true` when built from statistics; `false` for the uniform weighting. */
  readonly fitted: boolean;
  /** The largest IDF, that of a term no document contains: ln(1 + N) + 1 (1 when uniform). */
  readonly maxIdf: number;
  /** Mean tokens per document, or `undefined` when uniform (BM25 then does no length normalisation). */
  readonly meanTokens: number | undefined;
  /** IDF of a word token; an unseen token gets {@link TermWeighting.maxIdf}. */
  wordIdf(token: string): number;
  /** IDF of a padded character n-gram, or `undefined` when the statistics pruned it (it is then ignored). */
  charIdf(ngram: string): number | undefined;
  /**
   * The sublinear TF-IDF vector of the padded character n-grams of `tokens`, L2-normalised: the dot products of
   * `tfidfVector(paddedCharNgrams(tokens), charIdf)`. A fitted weighting keys it by n-gram ids (in code-unit order)
   * instead of strings, so vectors of different weightings do not mix.
   */
  charVector(tokens: readonly string[]): SparseVector;
}

/**
 * Smoothed inverse document frequency ln((1 + N) / (1 + df)) + 1, as if one extra document held every term
 * (never 0, never a division by zero).
 * @param documentFrequency - df, documents containing the term (0 for an unseen term)
 * @param documents - N
 * @example inverseDocumentFrequency(1, 3) // ln(2) + 1
 * @see https://scikit-learn.org/1.2/modules/feature_extraction.html#tfidf-term-weighting (`smooth_idf=True`)
 */
export function inverseDocumentFrequency(documentFrequency: number, documents: number): number {
  return Math.log((1 + documents) / (1 + documentFrequency)) + 1;
}

const UNIFORM: TermWeighting = Object.freeze({
  fitted: false,
  maxIdf: 1,
  meanTokens: undefined,
  wordIdf: () => 1,
  charIdf: () => 1,
  charVector: (tokens: readonly string[]) => tfidfVector(paddedCharNgrams(tokens), () => 1),
});

function idfTable(
  terms: readonly string[],
  counts: readonly number[],
  documents: number,
): Map<string, number> {
  // A Map, not the record, so that tokens such as "constructor" never hit Object.prototype.
  const table = new Map<string, number>();
  terms.forEach((term, i) => table.set(term, inverseDocumentFrequency(counts[i] ?? 0, documents)));
  return table;
}

/**
 * The weighting of a corpus: IDF tables built once from `statistics` (check parsed JSON first with
 * `termStatisticsFromJson`), or the uniform weighting when `statistics` is undefined.
 * @param statistics - document frequencies, e.g. from `buildTermStatistics`
 * @example createTermWeighting(buildTermStatistics([['a'], ['a', 'b']])).wordIdf('b') // ln(3/2) + 1
 */
export function createTermWeighting(statistics?: TermStatistics): TermWeighting {
  if (statistics === undefined) return UNIFORM;
  const n = statistics.documents;
  const words = idfTable(statistics.words, statistics.wordDocuments, n);
  const chars = idfTable(statistics.charNgrams, statistics.charNgramDocuments, n);
  // The n-grams again as ids: a text's char vector is built from code units, without a string per n-gram.
  const charIndex = createCharNgramIndex(
    statistics.charNgrams,
    statistics.charNgramDocuments.map((count) => inverseDocumentFrequency(count, n)),
  );
  const maxIdf = inverseDocumentFrequency(0, n);
  return Object.freeze({
    fitted: true,
    maxIdf,
    meanTokens: statistics.meanTokens,
    wordIdf: (token: string) => words.get(token) ?? maxIdf,
    charIdf: (ngram: string) => chars.get(ngram),
    charVector: (tokens: readonly string[]) =>
      tfidfVectorOfIds(charIndex.ngramIds(tokens), charIndex.values),
  });
}
