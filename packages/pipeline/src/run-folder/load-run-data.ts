/**
 * Every step after `prepare` rebuilds the run's {@link PreparedData} from run.json: the same data source, shift
 * and split seed through `prepareData`, with the word vectors from the run's cache. The data file's sha256 is
 * checked before any work and the split sizes and model sizes after, so a changed file (or changed split code)
 * is reported instead of silently training on other splits.
 */
import type { ScorerConfig } from '@gradeshift/core';

import type { Dataset } from '../data/dataset';

import { SPLIT_NAMES } from '../splits/types';
import { prepareSource } from '../pipeline/prepare-source';
import type { PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { RunFolderError } from './run-folder-error';
import { readRunJson, restoreShift, runJsonPath, type RunJson } from './run-json';

/** A run folder's state and its rebuilt data. */
export interface LoadedRun {
  readonly dir: string;
  readonly run: RunJson;
  readonly data: PreparedData;
}

/** Split sizes of prepared data, in report order. */
export function splitSizesOf(
  data: PreparedData,
): Record<(typeof SPLIT_NAMES)[number], number> & { far_test?: number } {
  return {
    id_train: data.idTrain.pairs.length,
    id_validation: data.idValidation.pairs.length,
    id_test: data.idTest.pairs.length,
    pool: data.pool.pairs.length,
    ood_test: data.oodTest.pairs.length,
    ...(data.farTest === undefined ? {} : { far_test: data.farTest.pairs.length }),
  };
}

/**
 * Throws unless the reloaded dataset is the one the run was prepared from.
 * @throws RunFolderError `DATA_CHANGED` naming the file and both fingerprints
 */
export function checkDataFingerprint(run: RunJson, dataset: Dataset, path: string): void {
  if (dataset.source.sha256 === run.data.sha256) return;
  throw new RunFolderError('DATA_CHANGED', {
    path,
    reason: `the data file ${dataset.source.path} has sha256 ${dataset.source.sha256.slice(0, 12)}…, but the run was prepared from ${run.data.sha256.slice(0, 12)}…`,
  });
}

/**
 * Throws unless the reloaded far-OOD dataset is the one the run was prepared from.
 * @throws RunFolderError `DATA_CHANGED` naming the file and both fingerprints
 */
export function checkFarFingerprint(run: RunJson, dataset: Dataset, path: string): void {
  const recorded = run.far?.sha256;
  if (recorded === undefined || dataset.source.sha256 === recorded) return;
  throw new RunFolderError('DATA_CHANGED', {
    path,
    reason: `the far-OOD data file ${dataset.source.path} has sha256 ${dataset.source.sha256.slice(0, 12)}…, but the run was prepared from ${recorded.slice(0, 12)}…`,
  });
}

/**
 * Throws unless the rebuilt splits and model sizes equal those recorded at prepare time.
 * @throws RunFolderError `DATA_CHANGED` naming what differs
 */
export function checkPrepared(run: RunJson, data: PreparedData, path: string): void {
  const sizes = splitSizesOf(data);
  const names = [...SPLIT_NAMES, 'far_test' as const];
  const splits = names
    .filter((name) => sizes[name] !== run.split_sizes[name])
    .map((name) => `${name} has ${sizes[name] ?? 0} pairs, ${run.split_sizes[name] ?? 0} recorded`);
  const [v, d] = data.embeddings.dims;
  const [rv, rd] = run.model.embeddings;
  if (v !== rv || d !== rd)
    splits.push(`the embedding table is ${v} × ${d}, ${rv} × ${rd} recorded`);
  if (splits.length > 0)
    throw new RunFolderError('DATA_CHANGED', {
      path,
      reason: `the same data now gives other splits (${splits.join('; ')}); the split or vocabulary code changed`,
    });
  const recorded = run.model.config;
  const model = (Object.keys(data.config) as (keyof ScorerConfig)[])
    .filter((key) => data.config[key] !== recorded[key])
    .map((key) => `${key} is ${data.config[key]}, ${recorded[key]} recorded`);
  if (model.length > 0)
    throw new RunFolderError(
      'DATA_CHANGED',
      {
        path,
        reason: `this gradeshift build makes a scorer of other sizes than the run's (${model.join('; ')}); the feature or model code changed since the run was prepared`,
      },
      {
        hint: 'prepare the run again with this version (gradeshift prepare … --out <dir> --overwrite) and retrain it',
      },
    );
}

/**
 * Reads run.json and rebuilds the prepared data, with both fingerprint checks.
 * @param dir - the run folder (absolute)
 * @throws RunFolderError (`NOT_FOUND`, `INVALID_RUN`, `VERSION_MISMATCH`, `DATA_CHANGED`); DataError when the
 * data file is gone or unreadable
 */
export async function loadRunData(dir: string, progress?: ProgressSink): Promise<LoadedRun> {
  const run = readRunJson(dir);
  const path = runJsonPath(dir);
  const data = await prepareSource(run.data.source, {
    repoRoot: dir,
    shift: restoreShift(run.shift, path),
    seed: run.split_seed,
    cacheDir: run.cache_dir,
    check: (dataset) => checkDataFingerprint(run, dataset, path),
    far:
      run.far === undefined || run.far === null
        ? null
        : { source: run.far.source, poolFraction: run.far.pool_fraction },
    checkFar: (dataset) => checkFarFingerprint(run, dataset, path),
    ...(progress === undefined ? {} : { progress }),
  });
  checkPrepared(run, data, path);
  return { dir, run, data };
}
