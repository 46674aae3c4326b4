/**
 * Every scored test row of a run (ID and OOD test splits), fetched page by page through `runs.predictions`
 * and kept per run: a finished run's predictions never change, so the Detectors view pays for the transfer once.
 */
import { getApi, type RouterOutputs } from '../trpc/server';

export type PredictionRow = RouterOutputs['runs']['predictions']['rows'][number];

/** The compact columns the charts need. */
export interface TestRows {
  readonly split: ('id' | 'ood')[];
  readonly correct: boolean[];
  readonly scores: Record<string, Float64Array>;
  readonly detectors: string[];
}

const PAGE = 500;
const CACHE = new Map<string, Promise<TestRows>>();
const CACHE_RUNS = 4;

async function fetchSplit(id: string, split: string): Promise<PredictionRow[]> {
  const { api } = getApi();
  const first = await api.runs.predictions.query({ id, split, limit: PAGE });
  const cursors: number[] = [];
  for (let c = PAGE; c < first.total; c += PAGE) cursors.push(c);
  const rest = await Promise.all(
    cursors.map((cursor) => api.runs.predictions.query({ id, split, cursor, limit: PAGE })),
  );
  return [first, ...rest].flatMap((page) => page.rows);
}

async function fetchTestRows(id: string): Promise<TestRows> {
  const [idRows, oodRows] = await Promise.all([
    fetchSplit(id, 'id_test'),
    fetchSplit(id, 'ood_test'),
  ]);
  const rows = [...idRows, ...oodRows];
  const detectors = Object.keys(rows[0]?.ood ?? {});
  const scores: Record<string, Float64Array> = {};
  for (const name of detectors) scores[name] = Float64Array.from(rows, (r) => r.ood[name] ?? NaN);
  return {
    split: rows.map((r) => (r.split === 'ood_test' ? 'ood' : 'id')),
    correct: rows.map((r) => r.grade !== null && r.grade === r.predicted),
    scores,
    detectors,
  };
}

/**
 * The test rows of a finished run.
 * @param id - the run id
 * @param version - changes when the run changes (its finish time), so a rebuilt run is fetched again
 */
export function getTestRows(id: string, version: string): Promise<TestRows> {
  const key = `${id}@${version}`;
  const hit = CACHE.get(key);
  if (hit !== undefined) return hit;
  const pending = fetchTestRows(id);
  CACHE.set(key, pending);
  pending.catch(() => CACHE.delete(key));
  while (CACHE.size > CACHE_RUNS) {
    const oldest = CACHE.keys().next().value;
    if (oldest === undefined) break;
    CACHE.delete(oldest);
  }
  return pending;
}
