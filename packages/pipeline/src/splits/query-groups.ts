/**
 * Query groups: the pairs that share one normalised query. Splits assign whole groups, which is what makes
 * every split query-disjoint.
 */
import type { LabeledPair } from '../data/dataset';

/**
 * The key under which two queries count as the same: NFKC, lower-cased, whitespace runs collapsed, trimmed.
 * NFKC (not just NFC) folds compatibility forms such as full-width letters and ligatures.
 * @see https://unicode.org/reports/tr15/
 */
export function normalizeQuery(query: string): string {
  return query.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** The pairs of one normalised query. */
export interface QueryGroup {
  /** The normalised query. */
  readonly key: string;
  /** Indices into the dataset's pairs, in file order. */
  readonly pairIndices: readonly number[];
}

/** Groups pairs by normalised query, groups in order of first appearance. */
export function groupByQuery(pairs: readonly LabeledPair[]): QueryGroup[] {
  const byKey = new Map<string, number[]>();
  pairs.forEach((pair, i) => {
    const key = normalizeQuery(pair.query);
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [i]);
    else list.push(i);
  });
  return [...byKey].map(([key, pairIndices]) => ({ key, pairIndices }));
}
