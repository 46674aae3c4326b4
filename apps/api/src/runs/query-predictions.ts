/**
 * Filtering, sorting and paging a run's prediction rows: by pair id, split, slice, true grade, predicted grade and OOD flag (a
 * detector's score above the run's threshold from report.json); sorted by any OOD score, by the error
 * |expected − grade|, or by expected grade; pages by offset cursor.
 */
import type { PredictionRow } from './prediction-rows';
import { RunError } from './run-error';

/** How rows are ordered. */
export type PredictionSort =
  | { readonly by: 'file' }
  | { readonly by: 'error' | 'expected'; readonly order: 'asc' | 'desc' }
  | { readonly by: 'ood'; readonly detector: string; readonly order: 'asc' | 'desc' };

/** A page request. */
export interface PredictionQuery {
  readonly split?: string | undefined;
  /** Keep one pair (its id; with `split`, one row). */
  readonly pairId?: string | undefined;
  /** Keep the rows of one slice (department). */
  readonly slice?: string | undefined;
  readonly grade?: number | undefined;
  readonly predicted?: number | undefined;
  /** Keep rows flagged (or not flagged) by a detector at the run's threshold. */
  readonly ood?: { readonly detector: string; readonly flagged: boolean };
  /** Keep rows whose query or item contains this text (case-insensitive). */
  readonly text?: string | undefined;
  /** Keep pool rows picked (or not picked) for annotation. */
  readonly selected?: boolean | undefined;
  /** Keep the pairs whose map point lies in this rectangle (`x` and `y` ranges, inclusive; see `runs.map`). */
  readonly region?: {
    readonly x: readonly [number, number];
    readonly y: readonly [number, number];
  };
  readonly sort: PredictionSort;
  /** Offset of the first row. */
  readonly cursor: number;
  readonly limit: number;
}

/** A row as returned: the file's row plus its error and flags. */
export interface PredictionView extends PredictionRow {
  /** |expected − grade|, or null without a true grade. */
  readonly error: number | null;
  /** score > the run's threshold, per detector with a threshold. */
  readonly flags: Readonly<Record<string, boolean>>;
}

/** A page of rows. */
export interface PredictionPage {
  readonly rows: PredictionView[];
  /** Rows matching the filters. */
  readonly total: number;
  /** The cursor of the next page, or null on the last page. */
  readonly nextCursor: number | null;
  readonly detectors: string[];
  readonly thresholds: Record<string, number>;
}

const errorOf = (row: PredictionRow): number | null =>
  row.grade === null ? null : Math.abs(row.expected - row.grade);

function assertDetector(name: string, detectors: readonly string[], what: string): void {
  if (!detectors.includes(name))
    throw new RunError(
      'BAD_QUERY',
      `${what}: unknown detector "${name.slice(0, 64)}" (this run has ${detectors.join(', ') || 'none'})`,
    );
}

/** Keys that sort; null (no true grade) goes last in either order. */
function sortKey(sort: PredictionSort): ((row: PredictionRow) => number | null) | undefined {
  switch (sort.by) {
    case 'file':
      return undefined;
    case 'error':
      return errorOf;
    case 'expected':
      return (row) => row.expected;
    case 'ood':
      return (row) => row.ood[sort.detector] ?? null;
  }
}

/**
 * Answers a page request over a run's rows.
 * @param rows - the run's predictions
 * @param options - the request and the run's thresholds by detector
 * @throws RunError `BAD_QUERY` for an unknown detector or one without a threshold
 */
export function queryPredictions(
  rows: readonly PredictionRow[],
  options: {
    query: PredictionQuery;
    thresholds: Readonly<Record<string, number>>;
    /** With `query.region`: the `<split>:<id>` keys of the map points inside it. */
    inRegion?: ReadonlySet<string>;
  },
): PredictionPage {
  const { query, thresholds, inRegion } = options;
  const detectors = Object.keys(rows[0]?.ood ?? {});
  const { ood, sort } = query;
  if (ood !== undefined) {
    assertDetector(ood.detector, detectors, 'ood.detector');
    if (thresholds[ood.detector] === undefined)
      throw new RunError(
        'BAD_QUERY',
        `ood.detector: the run's report.json has no threshold for "${ood.detector}"`,
      );
  }
  if (sort.by === 'ood') assertDetector(sort.detector, detectors, 'sort.detector');
  const flagged = (row: PredictionRow, name: string): boolean =>
    (row.ood[name] ?? -Infinity) > (thresholds[name] ?? Infinity);
  const text = query.text?.toLowerCase();
  let matched = rows.filter(
    (row) =>
      (text === undefined ||
        row.query.toLowerCase().includes(text) ||
        row.item.toLowerCase().includes(text)) &&
      (query.selected === undefined || (row.selected ?? false) === query.selected) &&
      (query.split === undefined || row.split === query.split) &&
      (query.pairId === undefined || row.id === query.pairId) &&
      (inRegion === undefined || inRegion.has(`${row.split}:${row.id}`)) &&
      (query.slice === undefined || row.slice === query.slice) &&
      (query.grade === undefined || row.grade === query.grade) &&
      (query.predicted === undefined || row.predicted === query.predicted) &&
      (ood === undefined || flagged(row, ood.detector) === ood.flagged),
  );
  const key = sortKey(sort);
  if (key !== undefined && sort.by !== 'file') {
    const sign = sort.order === 'asc' ? 1 : -1;
    const keys = new Map(matched.map((row) => [row, key(row)]));
    matched = [...matched].sort((a, b) => {
      const ka = keys.get(a) ?? null;
      const kb = keys.get(b) ?? null;
      if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
      return sign * (ka - kb);
    });
  }
  const page = matched.slice(query.cursor, query.cursor + query.limit);
  const end = query.cursor + page.length;
  return {
    rows: page.map((row) => ({
      ...row,
      error: errorOf(row),
      flags: Object.fromEntries(
        Object.keys(thresholds)
          .filter((name) => row.ood[name] !== undefined)
          .map((name) => [name, flagged(row, name)]),
      ),
    })),
    total: matched.length,
    nextCursor: end < matched.length ? end : null,
    detectors,
    thresholds: { ...thresholds },
  };
}
