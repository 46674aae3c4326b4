/**
 * predictions.jsonl of a run, parsed once and kept while the file is unchanged: a small cache keyed by path,
 * size and modification time, holding at most `capacity` files (least recently used goes first).
 */
import { readFileSync, statSync } from 'node:fs';

import { describeZodError, predictionRowSchema, type PredictionRow } from '@gradeshift/pipeline';

/** One row of predictions.jsonl (the run contract's `predictionRowSchema`). */
export type { PredictionRow };

function toRow(value: unknown, line: number, path: string): PredictionRow {
  const parsed = predictionRowSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`${path}:${line}: predictions row: ${describeZodError(parsed.error)}`);
  return parsed.data;
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
