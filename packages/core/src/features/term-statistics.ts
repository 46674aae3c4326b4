/**
 * Corpus statistics for the IDF-weighted term-match features: document frequencies of word tokens and of
 * padded character n-grams over the training texts, plus the mean text length. Plain JSON (a model bundle
 * stores it beside the vocabulary), so serving weights terms exactly as training did.
 */
import { assertInteger } from '../math/check';
import { paddedCharNgrams } from './padded-char-ngrams';

/** Document frequencies of a corpus; the JSON form is the object itself. */
export interface TermStatistics {
  readonly kind: 'gradeshift.term-statistics';
  readonly version: 1;
  /** N, the number of documents counted. */
  readonly documents: number;
  /** Mean number of tokens per document (the BM25 length normaliser); 0 for an empty corpus. */
  readonly meanTokens: number;
  /** Distinct word tokens, sorted; every token of the corpus is kept. */
  readonly words: readonly string[];
  /** Documents containing `words[i]`. */
  readonly wordDocuments: readonly number[];
  /** Padded character n-grams ({@link paddedCharNgrams}, n = 3..5) seen in ≥ `minCharDocuments` documents, sorted. */
  readonly charNgrams: readonly string[];
  /** Documents containing `charNgrams[i]`. */
  readonly charNgramDocuments: readonly number[];
  /** The pruning threshold used for `charNgrams` (scikit-learn's `min_df`). */
  readonly minCharDocuments: number;
}

/** Options for {@link buildTermStatistics}. */
export interface BuildTermStatisticsOptions {
  /**
   * Character n-grams found in fewer documents are dropped (they carry little beyond noise and would bloat
   * the JSON: ≈ 49k of 74k n-grams survive at 2 on the Home Depot training texts). @default 2
   */
  minCharDocuments?: number;
}

function countDocuments(docs: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const terms of docs) {
    for (const term of new Set(terms)) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return counts;
}

function sortedColumns(
  counts: Map<string, number>,
  minDocuments: number,
): { terms: string[]; documents: number[] } {
  const terms = [...counts.keys()].filter((t) => (counts.get(t) ?? 0) >= minDocuments);
  // The default sort: UTF-16 code-unit order, as `<` compares strings; no locale collation.
  terms.sort();
  return { terms, documents: terms.map((t) => counts.get(t) ?? 0) };
}

/**
 * Counts document frequencies over token lists (one per document; pass each distinct training text once).
 * @param documents - the tokens of each document, e.g. `prepareText(text).tokens`
 * @param options - the character n-gram pruning threshold
 * @returns the statistics (JSON-serialisable)
 * @throws TypeError when a document is not an array of strings; RangeError for a bad threshold
 * @example buildTermStatistics([['angle', 'bracket'], ['bracket']]).wordDocuments // [1, 2]
 * @see https://scikit-learn.org/1.2/modules/feature_extraction.html#tfidf-term-weighting
 */
export function buildTermStatistics(
  documents: readonly (readonly string[])[],
  options: BuildTermStatisticsOptions = {},
): TermStatistics {
  const { minCharDocuments = 2 } = options;
  assertInteger(minCharDocuments, 'options.minCharDocuments', { min: 1 });
  let tokens = 0;
  documents.forEach((doc, i) => {
    if (!Array.isArray(doc) || doc.some((t) => typeof t !== 'string'))
      throw new TypeError(`documents[${i}] must be an array of strings`);
    tokens += doc.length;
  });
  const words = sortedColumns(countDocuments(documents), 1);
  const chars = sortedColumns(
    countDocuments(documents.map((doc) => paddedCharNgrams(doc))),
    minCharDocuments,
  );
  return {
    kind: 'gradeshift.term-statistics',
    version: 1,
    documents: documents.length,
    meanTokens: documents.length > 0 ? tokens / documents.length : 0,
    words: words.terms,
    wordDocuments: words.documents,
    charNgrams: chars.terms,
    charNgramDocuments: chars.documents,
    minCharDocuments,
  };
}

function checkColumn(
  s: Partial<TermStatistics>,
  names: ['words', 'wordDocuments'] | ['charNgrams', 'charNgramDocuments'],
  n: number,
): void {
  const terms: unknown = s[names[0]];
  const counts: unknown = s[names[1]];
  if (!Array.isArray(terms) || terms.some((t) => typeof t !== 'string'))
    throw new TypeError(`json.${names[0]} must be an array of strings`);
  if (!Array.isArray(counts) || counts.length !== terms.length)
    throw new RangeError(
      `json.${names[1]} must have one count per term (got ${Array.isArray(counts) ? counts.length : typeof counts} for ${terms.length})`,
    );
  counts.forEach((c: unknown, i) =>
    assertInteger(c as number, `json.${names[1]}[${i}]`, { min: 1, max: n }),
  );
}

/**
 * Checks parsed JSON (e.g. from a model bundle manifest) and returns it as {@link TermStatistics}.
 * @throws TypeError when `json` is not gradeshift term statistics of version 1; RangeError for counts that are
 * not integers in [1, documents] or columns of different lengths
 */
export function termStatisticsFromJson(json: unknown): TermStatistics {
  const s = json as Partial<TermStatistics> | null;
  if (typeof s !== 'object' || s?.kind !== 'gradeshift.term-statistics')
    throw new TypeError(
      'json must be gradeshift term statistics ({ kind: "gradeshift.term-statistics", … })',
    );
  if (s.version !== 1)
    throw new TypeError(`unsupported term statistics version ${String(s.version)} (expected 1)`);
  const n = s.documents ?? Number.NaN;
  assertInteger(n, 'json.documents', { min: 0 });
  assertInteger(s.minCharDocuments ?? Number.NaN, 'json.minCharDocuments', { min: 1 });
  if (!(typeof s.meanTokens === 'number' && s.meanTokens >= 0 && Number.isFinite(s.meanTokens)))
    throw new RangeError(
      `json.meanTokens must be a finite number ≥ 0 (got ${String(s.meanTokens)})`,
    );
  checkColumn(s, ['words', 'wordDocuments'], n);
  checkColumn(s, ['charNgrams', 'charNgramDocuments'], n);
  return s as TermStatistics;
}
