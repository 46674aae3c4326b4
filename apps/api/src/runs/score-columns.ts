/**
 * A run's prediction rows as columns for charts: per row its split, true grade, predicted grade and every OOD
 * score, without the texts, probabilities or selection details. The columns of a parsed file are built once per
 * set of splits and kept as long as the parsed rows are (the prediction cache replaces those when the file
 * changes), so repeated requests for a run only slice arrays.
 */
import type { PredictionRow } from './prediction-rows';

/** The rows of the requested splits, column by column. */
export interface ScoreColumns {
  /** The split of each row, as an index into `splits`. */
  readonly split: number[];
  /** The true grade of each row, or null for an unlabelled pool pair. */
  readonly grade: (number | null)[];
  readonly predicted: number[];
  /** The detectors, in the file's order. */
  readonly detectors: string[];
  /** Per detector, the score of each row (null where a row has no score for it). */
  readonly scores: Record<string, (number | null)[]>;
}

/** A page of columns. */
export interface ScoreColumnsPage extends ScoreColumns {
  /** The requested splits; `split` indexes into it. */
  readonly splits: string[];
  /** Rows of the requested splits. */
  readonly total: number;
  /** The cursor of the next page, or null on the last page. */
  readonly nextCursor: number | null;
  readonly thresholds: Record<string, number>;
}

/** A columns request. */
export interface ScoreColumnsQuery {
  readonly splits: readonly string[];
  /** Offset of the first row. */
  readonly cursor: number;
  readonly limit: number;
}

const SPLIT_SETS = 4;
const built = new WeakMap<readonly PredictionRow[], Map<string, ScoreColumns>>();

function buildColumns(rows: readonly PredictionRow[], splits: readonly string[]): ScoreColumns {
  const index = new Map(splits.map((s, i) => [s, i]));
  const detectors = Object.keys(rows[0]?.ood ?? {});
  const split: number[] = [];
  const grade: (number | null)[] = [];
  const predicted: number[] = [];
  const scores: Record<string, (number | null)[]> = Object.fromEntries(
    detectors.map((name) => [name, []]),
  );
  for (const row of rows) {
    const at = index.get(row.split);
    if (at === undefined) continue;
    split.push(at);
    grade.push(row.grade);
    predicted.push(row.predicted);
    for (const name of detectors) scores[name]?.push(row.ood[name] ?? null);
  }
  return { split, grade, predicted, detectors, scores };
}

/**
 * The columns of a run's rows in the requested splits (in file order), paged by offset.
 * @param rows - the run's parsed predictions (the same array while the file is unchanged)
 * @param options - the request and the run's thresholds by detector
 */
export function queryScoreColumns(
  rows: readonly PredictionRow[],
  options: { query: ScoreColumnsQuery; thresholds: Readonly<Record<string, number>> },
): ScoreColumnsPage {
  const { query, thresholds } = options;
  const key = JSON.stringify(query.splits);
  let perRun = built.get(rows);
  if (perRun === undefined) {
    perRun = new Map();
    built.set(rows, perRun);
  }
  let columns = perRun.get(key);
  if (columns === undefined) {
    columns = buildColumns(rows, query.splits);
    perRun.set(key, columns);
    // A few split sets per file: any client may ask for any, and the common one is the test pair.
    while (perRun.size > SPLIT_SETS) {
      const oldest = perRun.keys().next().value;
      if (oldest === undefined) break;
      perRun.delete(oldest);
    }
  }
  const total = columns.split.length;
  const start = Math.min(query.cursor, total);
  const end = Math.min(total, start + query.limit);
  const cut = <T>(column: readonly T[]): T[] => column.slice(start, end);
  return {
    splits: [...query.splits],
    split: cut(columns.split),
    grade: cut(columns.grade),
    predicted: cut(columns.predicted),
    detectors: [...columns.detectors],
    scores: Object.fromEntries(
      columns.detectors.map((name) => [name, cut(columns.scores[name] ?? [])]),
    ),
    total,
    nextCursor: end < total ? end : null,
    thresholds: { ...thresholds },
  };
}
