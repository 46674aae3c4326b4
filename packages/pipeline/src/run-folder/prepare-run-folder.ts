/**
 * `prepareRunFolder`: load the data, build the query-disjoint splits, the vocabulary and the word-vector table
 * (which fills the cache the later steps read), and write run.json. Nothing is trained yet.
 */
import { existsSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

import { getDatasetPreset, resolvePresetPath } from '../data/presets';
import { defaultFar, defaultShift } from '../pipeline/default-shift';
import { DEFAULT_FAR_POOL_FRACTION } from '../pipeline/prepare-source';
import type { DataSource, FarSource } from '../pipeline/types';
import type { ShiftStrategy } from '../splits/types';
import { prepareSource } from '../pipeline/prepare-source';
import type { PreparedData } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { PIPELINE_VERSION } from '../version';
import type { RunRecord } from '../store/run-records';
import { openRunRecorder } from '../store/open-run-store-backend';
import { defaultRunStorePath, storeReference } from '../store/run-store-path';
import { splitSizesOf } from './load-run-data';
import { recordStep } from './record-step';
import { RunFolderError } from './run-folder-error';
import {
  RUN_FILES,
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  runJsonPath,
  storeShift,
  writeRunJson,
  type RunJson,
} from './run-json';

/** Options of {@link prepareRunFolder}. */
export interface PrepareRunFolderOptions {
  readonly data: DataSource;
  /** The run folder (created). */
  readonly outDir: string;
  /** Against which preset paths resolve. */
  readonly repoRoot: string;
  /** @default the preset's default shift (see `defaultShift`) */
  readonly shift?: ShiftStrategy;
  /** The far-OOD set, or null for none. @default the preset's (see `defaultFar`) */
  readonly far?: FarSource | null;
  /** Split seed. @default 0 */
  readonly seed?: number;
  /** Word-vector cache folder. @default `<outDir>/../.cache` */
  readonly cacheDir?: string;
  /** The run store that records the run and each later step. @default `<outDir>/../runs.sqlite` */
  readonly storePath?: string;
  /** Run name in the store. @default the folder name */
  readonly name?: string;
  /** Replace a run already in `outDir` (its weights and selection are deleted). @default false */
  readonly overwrite?: boolean;
  readonly progress?: ProgressSink;
}

/** A prepared run folder. */
export interface PreparedRunFolder {
  readonly dir: string;
  readonly run: RunJson;
  readonly data: PreparedData;
}

/** The data source with an absolute path (a preset's default file resolved against the repository root). */
export function absoluteDataSource(data: DataSource, repoRoot: string): DataSource {
  if ('preset' in data)
    return {
      preset: data.preset,
      path:
        data.path === undefined
          ? resolvePresetPath(getDatasetPreset(data.preset), repoRoot)
          : resolve(data.path),
    };
  return { ...data, path: resolve(data.path) };
}

/** The far-OOD set with an absolute path (null for none). */
export function absoluteFar(far: FarSource | null | undefined, repoRoot: string): FarSource | null {
  if (far === undefined || far === null) return null;
  return { ...far, source: absoluteDataSource(far.source, repoRoot) };
}

/** Deletes the weights and the selection of a run folder (they belong to the run being replaced). */
export function clearRunOutputs(dir: string): void {
  rmSync(join(dir, 'params'), { recursive: true, force: true });
  rmSync(join(dir, RUN_FILES.selection), { force: true });
}

/** A fresh run.json for prepared data. */
export function newRunJson(options: {
  source: DataSource;
  shift: ShiftStrategy;
  seed: number;
  cacheDir: string;
  data: PreparedData;
  /** The run-store record the steps update. */
  store: RunJson['store'];
  /** The far-OOD set's source (absolute path), when the run has one. */
  far?: FarSource | null | undefined;
}): RunJson {
  const { data, far } = options;
  const now = new Date().toISOString();
  return {
    format: RUN_FORMAT,
    version: RUN_FORMAT_VERSION,
    producer: `gradeshift ${PIPELINE_VERSION}`,
    created_at: now,
    updated_at: now,
    data: {
      source: options.source,
      sha256: data.dataset.source.sha256,
      rows: data.dataset.source.rows,
      pairs: data.dataset.pairs.length,
    },
    far:
      far === undefined || far === null || data.farDataset === undefined
        ? null
        : {
            source: far.source,
            sha256: data.farDataset.source.sha256,
            rows: data.farDataset.source.rows,
            pool_fraction: far.poolFraction ?? DEFAULT_FAR_POOL_FRACTION,
          },
    shift: storeShift(options.shift),
    split_seed: options.seed,
    split_sizes: splitSizesOf(data),
    cache_dir: resolve(options.cacheDir),
    model: { config: data.config, embeddings: [data.embeddings.dims[0], data.embeddings.dims[1]] },
    stages: {},
    selection: null,
    store: options.store,
    bundle: null,
  };
}

/**
 * The prepare step: splits, vocabulary and word vectors of `source`, the folder's old weights and selection
 * cleared, a fresh run.json written.
 * @param dir - the run folder (absolute)
 * @returns the folder, its run.json and the prepared data
 */
export async function prepareRun(
  dir: string,
  options: {
    source: DataSource;
    shift: ShiftStrategy;
    seed: number;
    cacheDir: string;
    repoRoot: string;
    store: RunJson['store'];
    far?: FarSource | null | undefined;
    progress?: ProgressSink | undefined;
  },
): Promise<PreparedRunFolder> {
  const { source, shift, seed, cacheDir, progress } = options;
  const far = absoluteFar(options.far, options.repoRoot);
  const data = await prepareSource(source, {
    repoRoot: options.repoRoot,
    shift,
    seed,
    cacheDir,
    far,
    ...(progress === undefined ? {} : { progress }),
  });
  clearRunOutputs(dir);
  const run = writeRunJson(
    dir,
    newRunJson({ source, shift, seed, cacheDir, data, store: options.store, far }),
  );
  return { dir, run, data };
}

/**
 * Prepares a run folder.
 * @returns the folder, its run.json and the prepared data
 * @throws RunFolderError `ALREADY_EXISTS` when `outDir` holds a run and `overwrite` is not set; DataError for
 * bad data; RangeError for a shift the data cannot satisfy
 */
export async function prepareRunFolder(
  options: PrepareRunFolderOptions,
): Promise<PreparedRunFolder> {
  const dir = resolve(options.outDir);
  if (existsSync(runJsonPath(dir)) && options.overwrite !== true)
    throw new RunFolderError('ALREADY_EXISTS', {
      path: dir,
      reason: 'the folder already holds a run (run.json)',
    });
  const { progress } = options;
  const source = absoluteDataSource(options.data, options.repoRoot);
  const shift = options.shift ?? defaultShift(options.data);
  const far = options.far === undefined ? defaultFar(options.data) : options.far;
  const seed = options.seed ?? 0;
  const cacheDir = options.cacheDir ?? join(dirname(dir), '.cache');
  const storePath = storeReference(options.storePath ?? defaultRunStorePath(dir));
  const store = await openRunRecorder(options.storePath ?? storePath);
  let record: RunRecord;
  try {
    record = await store.createRun({
      name: options.name ?? basename(dir),
      kind: 'steps',
      outDir: dir,
      config: {
        data: source,
        far: absoluteFar(far, options.repoRoot),
        shift: storeShift(shift),
        seed,
        cacheDir,
      },
    });
  } finally {
    await store.close();
  }
  const ref = { path: storePath, run_id: record.id };
  return recordStep(ref, {
    stage: 'prepare',
    work: () =>
      prepareRun(dir, {
        source,
        shift,
        seed,
        cacheDir,
        repoRoot: options.repoRoot,
        store: ref,
        far,
        ...(progress === undefined ? {} : { progress }),
      }),
    done: ({ data }) => ({
      summary: {
        report: data.splits.report,
        embeddings: data.embeddingStats,
        vocabulary: data.vocabulary.size,
      },
      artifacts: [{ kind: 'run', path: runJsonPath(dir) }],
    }),
  });
}
