/**
 * predictions.jsonl of a run, parsed once and kept while the file is unchanged: a small cache keyed by path,
 * size and modification time, holding at most `capacity` files (least recently used goes first).
 */
import { readFileSync, statSync } from 'node:fs';

/** One row of predictions.jsonl (see `writePredictions` in `@gradeshift/pipeline`). */
export interface PredictionRow {
  readonly id: string;
  readonly split: string;
  readonly query: string;
  readonly item: string;
  /** True grade (0-based), or null for a pool pair whose label was never revealed. */
  readonly grade: number | null;
  readonly probs: number[];
  readonly expected: number;
  readonly predicted: number;
  readonly ood: Readonly<Record<string, number>>;
  /** The slice (department) of the pair's query, as in report.json's `slices`; absent in older runs. */
  readonly slice?: string;
  readonly selected?: boolean;
  readonly selection?: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function toRow(value: unknown, line: number, path: string): PredictionRow {
  const bad = (field: string): Error =>
    new Error(`${path}:${line}: predictions row has no valid ${field}`);
  if (!isRecord(value)) throw bad('object');
  const { id, split, query, item, grade, probs, expected, predicted, ood } = value;
  if (typeof id !== 'string' && typeof id !== 'number') throw bad('id');
  if (typeof split !== 'string') throw bad('split');
  if (typeof query !== 'string' || typeof item !== 'string') throw bad('query/item');
  if (grade !== null && typeof grade !== 'number') throw bad('grade');
  if (!Array.isArray(probs) || !probs.every((p) => typeof p === 'number')) throw bad('probs');
  if (typeof expected !== 'number' || typeof predicted !== 'number')
    throw bad('expected/predicted');
  if (!isRecord(ood) || !Object.values(ood).every((s) => typeof s === 'number')) throw bad('ood');
  return {
    id: String(id),
    split,
    query,
    item,
    grade,
    probs: probs,
    expected,
    predicted,
    ood: ood as Record<string, number>,
    ...(typeof value['slice'] === 'string' ? { slice: value['slice'] } : {}),
    ...(typeof value['selected'] === 'boolean' ? { selected: value['selected'] } : {}),
    ...(value['selection'] === undefined ? {} : { selection: value['selection'] }),
  };
}

/** Parses a predictions.jsonl file. @throws Error naming the file and line of a malformed row */
export function readPredictionRows(path: string): PredictionRow[] {
  const rows: PredictionRow[] = [];
  const text = readFileSync(path, 'utf8');
  let line = 0;
  for (const raw of text.split('\n')) {
    line += 1;
    if (raw.trim().length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`${path}:${line}: predictions row is not valid JSON`);
    }
    rows.push(toRow(parsed, line, path));
  }
  return rows;
}

/** A cache of parsed prediction files. */
export interface PredictionCache {
  /** The rows of `path`, parsed again only when the file changed. */
  get(path: string): PredictionRow[];
}

/**
 * Creates a cache of parsed prediction files.
 * @param capacity - files kept @default 2
 */
export function createPredictionCache(capacity = 2): PredictionCache {
  const entries = new Map<string, { key: string; rows: PredictionRow[] }>();
  return {
    get(path) {
      const stat = statSync(path);
      const key = `${stat.size}:${stat.mtimeMs}`;
      const hit = entries.get(path);
      if (hit?.key === key) {
        entries.delete(path);
        entries.set(path, hit);
        return hit.rows;
      }
      const rows = readPredictionRows(path);
      entries.delete(path);
      entries.set(path, { key, rows });
      while (entries.size > capacity) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      return rows;
    },
  };
}
