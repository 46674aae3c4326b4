/**
 * Every scored test row of a run (ID and OOD test splits) as the compact columns of `runs.scores` (split, true
 * and predicted grade, each detector's score; no texts), kept per run: a finished run's predictions never
 * change, so the Detectors view pays for the transfer once.
 */
import { getApi } from '../trpc/server';

/** The compact columns the charts need. */
export interface TestRows {
  readonly split: ('id' | 'ood')[];
  readonly correct: boolean[];
  readonly scores: Record<string, Float64Array>;
  readonly detectors: string[];
}

const SPLITS = ['id_test', 'ood_test'];
const CACHE = new Map<string, Promise<TestRows>>();
const CACHE_RUNS = 4;

async function fetchTestRows(id: string): Promise<TestRows> {
  const { api } = getApi();
  const split: ('id' | 'ood')[] = [];
  const correct: boolean[] = [];
  const columns: Record<string, number[]> = {};
  let detectors: string[] = [];
  // One page unless the run has more test rows than the API's maxScoreRows.
  let cursor: number | null = 0;
  while (cursor !== null) {
    const page = await api.runs.scores.query({ id, splits: SPLITS, cursor });
    detectors = page.detectors;
    page.split.forEach((s, i) => {
      split.push(page.splits[s] === 'ood_test' ? 'ood' : 'id');
      const grade = page.grade[i];
      correct.push(grade !== null && grade !== undefined && grade === page.predicted[i]);
    });
    for (const name of detectors)
      for (const score of page.scores[name] ?? []) (columns[name] ??= []).push(score ?? NaN);
    cursor = page.nextCursor;
  }
  const scores: Record<string, Float64Array> = {};
  for (const name of detectors) scores[name] = Float64Array.from(columns[name] ?? []);
  return { split, correct, scores, detectors };
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
