/**
 * Reading runs for the API: the run store's records, metrics, stages and artifacts, the run's report.json, its
 * predictions (filtered, sorted, paginated), their split, grades and OOD scores as columns, and the side-by-side comparison of two runs with a paired test
 * over the queries they share. Runs are found by id, or by name (the newest run of that name).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import {
  isRunFolderError,
  type ArtifactRecord,
  type MetricRecord,
  type StageRecord,
  readRunReport,
  readShiftMap,
  type RunRecord,
  type RunReport,
  type RunStore,
  type RunStoreBackend,
  type MapGroup,
  type ShiftMap,
  sqliteBackend,
} from '@gradeshift/pipeline';

import { confinePath } from '../confine-path';

import { createPredictionCache, type PredictionRow } from './prediction-rows';
import { queryPredictions, type PredictionPage, type PredictionQuery } from './query-predictions';
import { compareRuns, type RunComparison } from './compare-runs';
import { queryScoreColumns, type ScoreColumnsPage, type ScoreColumnsQuery } from './score-columns';
import { RunError } from './run-error';

/** A run with its metrics, stages, artifacts and report. */
export interface RunDetail {
  readonly run: RunRecord;
  readonly metrics: MetricRecord[];
  readonly stages: StageRecord[];
  readonly artifacts: ArtifactRecord[];
  /** report.json through the run contract (a previous version upgraded), or null when there is none. */
  readonly report: RunReport | null;
  /** Why report.json exists but cannot be read (malformed, or a version this build refuses), else null. */
  readonly reportProblem: string | null;
}

/** Reads runs. */
export interface RunReader {
  /** The store this process writes its runs into (the SQLite file). */
  readonly store: RunStore;
  /** The store runs are read from: the same SQLite file, or the PostgreSQL database replicas share. */
  readonly backend: RunStoreBackend;
  list(options: { limit: number; kind?: string }): Promise<RunRecord[]>;
  /** A run by id, or else the newest run of that name; undefined when there is none. */
  find(idOrName: string): Promise<RunRecord | undefined>;
  get(idOrName: string): Promise<RunDetail>;
  predictions(idOrName: string, query: PredictionQuery): Promise<PredictionPage>;
  scores(idOrName: string, query: ScoreColumnsQuery): Promise<ScoreColumnsPage>;
  compare(a: string, b: string, options: { split: string }): Promise<RunComparison>;
  /** The run's map.json (named by report.json's `map`, inside the run folder). */
  map(idOrName: string): Promise<ShiftMap>;
}

function readReport(
  run: RunRecord,
  artifacts: RunDetail['artifacts'],
): Pick<RunDetail, 'report' | 'reportProblem'> {
  const path = artifacts.find((a) => a.kind === 'report')?.path ?? join(run.outDir, 'report.json');
  try {
    return { report: readRunReport(path), reportProblem: null };
  } catch (error) {
    if (!isRunFolderError(error)) throw error;
    return { report: null, reportProblem: error.message };
  }
}

/**
 * The map file of a run: report.json's `map`, resolved inside the run folder (no absolute path, no `..`, no link
 * out), read through the contract.
 * @throws RunError `NO_MAP` (no report, no `map` entry, or no file), `INVALID_MAP` (the file breaks the contract);
 * PathError `INVALID_PATH` / `OUTSIDE_ROOT` when the entry leaves the run folder
 */
export function readRunMap(detail: RunDetail): ShiftMap {
  const name = detail.report?.kind === 'pipeline' ? detail.report.map : undefined;
  const where = `run "${detail.run.name}" (${detail.run.id})`;
  if (name === undefined || name === null)
    throw new RunError('NO_MAP', `${where} has no map (its report.json names no map.json)`);
  const path = confinePath(name, { root: detail.run.outDir, field: 'report.map' });
  let map: ShiftMap | null;
  try {
    map = readShiftMap(path);
  } catch (error) {
    if (!isRunFolderError(error)) throw error;
    throw new RunError('INVALID_MAP', `${where}: map.json ${error.reason}`);
  }
  if (map === null) throw new RunError('NO_MAP', `${where} has no map.json`);
  return map;
}

/** The predictions split of each map group: near and far as report.json's `ood_sets` name them. */
function mapGroupSplits(report: RunReport | null): Record<MapGroup, string> {
  const sets = report?.kind === 'pipeline' ? report.ood_sets : undefined;
  return {
    id_test: 'id_test',
    near: sets?.near?.split ?? 'ood_test',
    far: sets?.far?.split ?? 'far_test',
    pool: 'pool',
  };
}

/**
 * The `<split>:<id>` keys of a run's map points inside a rectangle (bounds inclusive).
 * @throws as {@link readRunMap}
 */
export function regionKeys(
  detail: RunDetail,
  region: NonNullable<PredictionQuery['region']>,
): Set<string> {
  const map = readRunMap(detail);
  const splits = mapGroupSplits(detail.report);
  const [x0, x1] = region.x;
  const [y0, y1] = region.y;
  const keys = new Set<string>();
  map.ids.forEach((id, i) => {
    const x = map.x[i] ?? Number.NaN;
    const y = map.y[i] ?? Number.NaN;
    const group = map.groups[map.group[i] ?? -1];
    if (group !== undefined && x >= x0 && x <= x1 && y >= y0 && y <= y1)
      keys.add(`${splits[group]}:${id}`);
  });
  return keys;
}

/** The OOD thresholds of a run's report, by detector (none without a report). */
export function reportThresholds(report: RunReport | null): Record<string, number> {
  return report?.ood_thresholds ?? {};
}

/**
 * Creates a reader over the run store.
 * @param store - the store this process writes into
 * @param options - the store runs are read from @default the same store; prediction files kept parsed @default 2
 */
export function createRunReader(
  store: RunStore,
  options: { backend?: RunStoreBackend; cacheFiles?: number } = {},
): RunReader {
  const backend = options.backend ?? sqliteBackend(store);
  const cache = createPredictionCache(options.cacheFiles ?? 2);

  const find = async (idOrName: string): Promise<RunRecord | undefined> =>
    (await backend.getRun(idOrName)) ??
    (await backend.listRuns({ limit: 10_000 })).find((r) => r.name === idOrName);

  const detail = async (idOrName: string): Promise<RunDetail> => {
    const run = await find(idOrName);
    if (run === undefined)
      throw new RunError('RUN_NOT_FOUND', `no run with id or name "${idOrName.slice(0, 128)}"`);
    const [artifacts, metrics, stages] = await Promise.all([
      backend.getArtifacts(run.id),
      backend.getMetrics(run.id),
      backend.getStages(run.id),
    ]);
    return { run, metrics, stages, artifacts, ...readReport(run, artifacts) };
  };

  const rowsOf = (d: RunDetail): PredictionRow[] => {
    const path =
      d.artifacts.find((a) => a.kind === 'predictions')?.path ??
      join(d.run.outDir, 'predictions.jsonl');
    if (!existsSync(path))
      throw new RunError(
        'NO_PREDICTIONS',
        `run "${d.run.name}" (${d.run.id}) has no predictions.jsonl`,
      );
    return cache.get(path);
  };

  return {
    store,
    backend,
    list: (opts) => backend.listRuns(opts),
    find,
    get: detail,
    async predictions(idOrName, query) {
      const d = await detail(idOrName);
      return queryPredictions(rowsOf(d), {
        query,
        thresholds: reportThresholds(d.report),
        ...(query.region === undefined ? {} : { inRegion: regionKeys(d, query.region) }),
      });
    },
    async scores(idOrName, query) {
      const d = await detail(idOrName);
      return queryScoreColumns(rowsOf(d), { query, thresholds: reportThresholds(d.report) });
    },
    map: async (idOrName) => readRunMap(await detail(idOrName)),
    async compare(a, b, opts) {
      const [da, db] = await Promise.all([detail(a), detail(b)]);
      return compareRuns({ detail: da, rows: rowsOf(da) }, { detail: db, rows: rowsOf(db) }, opts);
    },
  };
}
