/**
 * `selection.jsonl`: one line per picked pool pair, in rank order: `rank`, `pool_index`, `role` (`train` joins
 * stage 2, `validation` chooses α in stage 3), the pair (`id`, `query`, `item`), its revealed `grade` (and
 * `rating`), and the strategy's `reason`. Reading it back checks every line against the run's pool, so a file
 * from another run or an edited line is named, not silently trained on. The grade is taken from the file, so a
 * human can correct a revealed label before stage 2.
 */
import { readFileSync } from 'node:fs';

import type { LabeledPair } from '../data/dataset';
import { writeLinesAtomic } from '../io/atomic-write';
import type { PoolPair } from '../splits/unlabeled-pool';
import type { SelectedPair } from '../stages/select-stage';
import { RunFolderError } from './run-folder-error';

/** One line of selection.jsonl. */
export interface SelectionLine {
  readonly rank: number;
  readonly pool_index: number;
  readonly role: 'train' | 'validation';
  readonly id: string;
  readonly query: string;
  readonly item: string;
  readonly grade: number;
  readonly rating?: number;
  readonly reason: unknown;
}

/** The lines of `picked`. */
export function selectionLines(picked: readonly SelectedPair[]): SelectionLine[] {
  return picked.map((p) => ({
    rank: p.rank,
    pool_index: p.poolIndex,
    role: p.role,
    id: p.pair.id,
    query: p.pair.query,
    item: p.pair.item,
    grade: p.pair.grade,
    ...(p.pair.rating === undefined ? {} : { rating: p.pair.rating }),
    reason: p.reason ?? null,
  }));
}

/** Writes selection.jsonl atomically. */
export function writeSelectionFile(path: string, picked: readonly SelectedPair[]): void {
  writeLinesAtomic(
    path,
    selectionLines(picked).map((line) => `${JSON.stringify(line)}\n`),
  );
}

const isInteger = (v: unknown): v is number => Number.isSafeInteger(v);

/** One line of selection.jsonl, checked against the pool. */
function parseLine(
  raw: string,
  context: { path: string; pool: readonly PoolPair[]; grades: number; seen: Set<number> },
): SelectedPair {
  const { path, pool, grades, seen } = context;
  const fail = (reason: string): never => {
    throw new RunFolderError('INVALID_SELECTION', { path, reason });
  };
  let line: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      line = parsed as Record<string, unknown>;
    else fail('not a JSON object');
  } catch (error) {
    if (error instanceof RunFolderError) throw error;
    fail('not a JSON line');
  }
  const { rank, pool_index: index, role, grade, rating, query, item } = line;
  if (!isInteger(rank)) return fail('rank must be an integer');
  if (role !== 'train' && role !== 'validation')
    return fail('role must be "train" or "validation"');
  if (!isInteger(index) || index < 0 || index >= pool.length)
    return fail(
      `pool_index must be an integer in [0, ${pool.length}) (got ${JSON.stringify(index)})`,
    );
  if (seen.has(index)) return fail(`pool_index ${index} is picked twice`);
  seen.add(index);
  if (!isInteger(grade) || grade < 0 || grade >= grades)
    return fail(`grade must be an integer in [0, ${grades}) (got ${JSON.stringify(grade)})`);
  if (rating !== undefined && (typeof rating !== 'number' || !Number.isFinite(rating)))
    return fail('rating must be a finite number');
  const poolPair = pool[index];
  if (poolPair === undefined) return fail(`pool_index ${index} is out of range`);
  if (query !== poolPair.query || item !== poolPair.item)
    return fail(
      `pool pair ${index} is (${JSON.stringify(poolPair.query)}, ${JSON.stringify(poolPair.item)}), not the line's (${JSON.stringify(query)}, ${JSON.stringify(item)}): the file belongs to another run or data`,
    );
  const pair: LabeledPair = {
    ...poolPair,
    grade,
    ...(rating === undefined ? {} : { rating }),
  };
  return { pair, poolIndex: index, rank, reason: line['reason'] ?? null, role };
}

/**
 * Reads selection.jsonl against the run's pool.
 * @param path - the file
 * @param pool - the run's pool pairs (reloaded from run.json)
 * @param grades - K, the number of grades
 * @returns the picks with their labels, in file order
 * @throws RunFolderError `INVALID_SELECTION` naming the line and what is wrong
 */
export function readSelectionFile(
  path: string,
  pool: readonly PoolPair[],
  grades: number,
): SelectedPair[] {
  const text = readFileSync(path, 'utf8');
  const picked: SelectedPair[] = [];
  const seen = new Set<number>();
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() !== '')
      picked.push(parseLine(raw, { path: `${path}:${i + 1}`, pool, grades, seen }));
  });
  return picked;
}

/**
 * The lines of selection.jsonl as written, without checking them against the pool (what the annotation queue
 * is made from; `readSelectionFile` checks them before training).
 * @throws RunFolderError `INVALID_SELECTION` naming a line that is not a JSON object
 */
export function readSelectionLines(path: string): SelectionLine[] {
  const lines: SelectionLine[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      let line: unknown;
      try {
        line = JSON.parse(raw);
      } catch {
        line = undefined;
      }
      if (typeof line !== 'object' || line === null || Array.isArray(line))
        throw new RunFolderError('INVALID_SELECTION', {
          path: `${path}:${i + 1}`,
          reason: 'not a JSON object',
        });
      lines.push(line as SelectionLine);
    });
  return lines;
}
