/**
 * `run.json`, the index of a run folder: where the data came from (source, sha256, split seed, shift, split
 * sizes), the model sizes, the stages done with their metrics and parameter files, the selection and the
 * bundle. Written atomically after every step, so an interrupted step leaves the previous state.
 *
 * A run folder:
 * ```
 * <run>/run.json            this file
 * <run>/params/stage1.bin   stage-1 weights (core's checked parameters file)
 * <run>/params/stage2.bin   stage-2 weights (fine-tuned on ID ∪ selection)
 * <run>/params/stage3.bin   stage-3 weights (stage 1 → 2 interpolated at the chosen α)
 * <run>/selection.jsonl     the picked pool pairs with rank, reason, revealed grade and role
 * <run>/bundle/             the exported model bundle
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ScorerConfig } from '@gradeshift/core';

import { writeFileAtomic } from '../io/atomic-write';
import type { DataSource, StrategyName } from '../pipeline/types';
import type { AlphaPoint, StageMetrics } from '../pipeline/fine-tune-on-selection';
import { HOMEDEPOT_TAXONOMY } from '../splits/homedepot-taxonomy';
import type { Taxonomy } from '../splits/taxonomy';
import type { ShiftStrategy, SplitName } from '../splits/types';
import type { LossName } from '../stages/losses';
import type { StageHyperparameters } from '../stages/train-stage';
import { RunFolderError } from './run-folder-error';

/** `format` of run.json. */
export const RUN_FORMAT = 'gradeshift-run';
/** The run.json version this build writes and reads. */
export const RUN_FORMAT_VERSION = 1;

/** Files of a run folder, relative to it. */
export const RUN_FILES = Object.freeze({
  run: 'run.json',
  selection: 'selection.jsonl',
  bundle: 'bundle',
  params: (stage: StageName) => `params/${stage}.bin`,
});

/** The stages with a parameters file. */
export type StageName = 'stage1' | 'stage2' | 'stage3';

/** A shift as stored: a department taxonomy by name (`homedepot`) or in full. */
export type StoredShift =
  | Exclude<ShiftStrategy, { kind: 'department' }>
  | {
      readonly kind: 'department';
      readonly taxonomy: string | Taxonomy;
      readonly heldOut?: readonly string[];
    };

/** A trained stage's weights on disk. */
export interface StoredParams {
  /** Relative to the run folder. */
  readonly file: string;
  /** Hex sha256 of the whole file (what later steps were built from). */
  readonly sha256: string;
}

/** Stage 1 or 2. */
export interface TrainedStageRecord {
  readonly params: StoredParams;
  readonly loss: LossName;
  readonly hyperparameters: StageHyperparameters;
  readonly seed: number;
  readonly best_epoch: number;
  readonly seconds: number;
  readonly metrics: StageMetrics;
  readonly finished_at: string;
}

/** Stage 3. */
export interface InterpolatedStageRecord {
  readonly params: StoredParams;
  readonly alpha: number;
  readonly alpha_sweep: readonly AlphaPoint[];
  readonly metrics: StageMetrics;
  readonly finished_at: string;
}

/** The selection the run's stage 2 trains on. */
export interface SelectionRecord {
  readonly file: string;
  /** Hex sha256 of selection.jsonl. */
  readonly sha256: string;
  readonly strategy: StrategyName;
  readonly seed: number;
  readonly budget_fraction: number;
  readonly budget: number;
  readonly picked: number;
  /** Picks held out to choose α (role `validation`). */
  readonly held_out: number;
  /** sha256 of the stage-1 parameters file the selection was made with. */
  readonly stage1_sha256: string;
  readonly finished_at: string;
}

/** run.json. */
export interface RunJson {
  readonly format: typeof RUN_FORMAT;
  readonly version: typeof RUN_FORMAT_VERSION;
  readonly producer: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly data: {
    /** The data source with an absolute path. */
    readonly source: DataSource;
    /** Hex sha256 of the data file: the fingerprint every step checks. */
    readonly sha256: string;
    readonly rows: number;
    readonly pairs: number;
  };
  readonly shift: StoredShift;
  readonly split_seed: number;
  /** Pairs per split: a second fingerprint, of the split code and its settings. */
  readonly split_sizes: Readonly<Record<SplitName, number>>;
  /** Word-vector cache folder (absolute). */
  readonly cache_dir: string;
  readonly model: {
    readonly config: ScorerConfig;
    /** [V, D] of the embedding table. */
    readonly embeddings: readonly [number, number];
  };
  readonly stages: {
    readonly stage1?: TrainedStageRecord;
    readonly stage2?: TrainedStageRecord & { readonly selection_sha256: string };
    readonly stage3?: InterpolatedStageRecord;
  };
  readonly selection: SelectionRecord | null;
  /** The run-store record the steps update (`null`: not recorded). */
  readonly store: { readonly path: string; readonly run_id: string } | null;
  readonly bundle: {
    readonly path: string;
    readonly sha256: string;
    readonly exported_at: string;
  } | null;
}

/** The shift as stored in run.json. */
export function storeShift(shift: ShiftStrategy): StoredShift {
  if (shift.kind !== 'department') return shift;
  const taxonomy =
    shift.taxonomy === undefined || shift.taxonomy === HOMEDEPOT_TAXONOMY
      ? HOMEDEPOT_TAXONOMY.name
      : shift.taxonomy;
  return {
    kind: 'department',
    taxonomy,
    ...(shift.heldOut === undefined ? {} : { heldOut: shift.heldOut }),
  };
}

/**
 * The shift a stored one describes.
 * @throws RunFolderError `INVALID_RUN` for a taxonomy name this build does not know
 */
export function restoreShift(stored: StoredShift, path: string): ShiftStrategy {
  if (stored.kind !== 'department') return stored;
  let taxonomy: Taxonomy;
  if (typeof stored.taxonomy !== 'string') taxonomy = stored.taxonomy;
  else if (stored.taxonomy === HOMEDEPOT_TAXONOMY.name) taxonomy = HOMEDEPOT_TAXONOMY;
  else
    throw new RunFolderError('INVALID_RUN', {
      path,
      reason: `unknown department taxonomy "${stored.taxonomy}" (this build knows ${HOMEDEPOT_TAXONOMY.name})`,
    });
  return {
    kind: 'department',
    taxonomy,
    ...(stored.heldOut === undefined ? {} : { heldOut: stored.heldOut }),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks parsed run.json: format, version and the fields every step reads.
 * @throws RunFolderError `INVALID_RUN` naming the field, or `VERSION_MISMATCH`
 */
export function parseRunJson(json: unknown, path: string): RunJson {
  const fail = (reason: string): never => {
    throw new RunFolderError('INVALID_RUN', { path, reason });
  };
  if (!isObject(json) || json['format'] !== RUN_FORMAT)
    return fail(`not a gradeshift run file (expected "format": "${RUN_FORMAT}")`);
  if (json['version'] !== RUN_FORMAT_VERSION)
    throw new RunFolderError('VERSION_MISMATCH', {
      path,
      reason: `run.json is version ${JSON.stringify(json['version'])}; this build reads version ${RUN_FORMAT_VERSION}`,
    });
  const data = json['data'];
  if (!isObject(data) || !isObject(data['source'])) return fail('data.source must be an object');
  if (typeof data['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(data['sha256']))
    fail('data.sha256 must be 64 hex digits');
  const source = data['source'];
  if (typeof source['preset'] !== 'string' && typeof source['path'] !== 'string')
    fail('data.source must name a preset or a path');
  const shift = json['shift'];
  if (
    !isObject(shift) ||
    !['department', 'query-cluster', 'category'].includes(String(shift['kind']))
  )
    fail('shift.kind must be department, query-cluster or category');
  if (!Number.isSafeInteger(json['split_seed'])) fail('split_seed must be an integer');
  if (!isObject(json['split_sizes'])) fail('split_sizes must be an object');
  if (typeof json['cache_dir'] !== 'string') fail('cache_dir must be a path');
  const model = json['model'];
  if (!isObject(model) || !isObject(model['config']) || !Array.isArray(model['embeddings']))
    fail('model must hold config and embeddings');
  const stages = json['stages'];
  if (!isObject(stages)) return fail('stages must be an object');
  for (const name of ['stage1', 'stage2', 'stage3'] as const) {
    const stage = stages[name];
    if (stage === undefined) continue;
    if (!isObject(stage) || !isObject(stage['params']))
      fail(`stages.${name}.params must be { file, sha256 }`);
    const params = (stage as Record<string, Record<string, unknown>>)['params'] ?? {};
    if (typeof params['file'] !== 'string' || typeof params['sha256'] !== 'string')
      fail(`stages.${name}.params must be { file, sha256 }`);
  }
  const store = json['store'];
  if (
    store !== undefined &&
    store !== null &&
    (!isObject(store) || typeof store['path'] !== 'string' || typeof store['run_id'] !== 'string')
  )
    fail('store must be null or { path, run_id }');
  const selection = json['selection'];
  if (selection !== null && (!isObject(selection) || typeof selection['file'] !== 'string'))
    fail('selection must be null or { file, … }');
  return { ...(json as unknown as RunJson), store: (store ?? null) as RunJson['store'] };
}

/** Path of run.json in `dir`. */
export function runJsonPath(dir: string): string {
  return join(dir, RUN_FILES.run);
}

/**
 * Reads and checks `<dir>/run.json`.
 * @throws RunFolderError `NOT_FOUND`, `INVALID_RUN` or `VERSION_MISMATCH`
 */
export function readRunJson(dir: string): RunJson {
  const path = runJsonPath(dir);
  if (!existsSync(path))
    throw new RunFolderError('NOT_FOUND', {
      path: dir,
      reason: existsSync(dir) ? 'no run.json: the folder is not a prepared run' : 'no such folder',
    });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RunFolderError(
      'INVALID_RUN',
      { path, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` },
      { cause: error },
    );
  }
  return parseRunJson(json, path);
}

/** Writes `<dir>/run.json` atomically with `updated_at` set to now. */
export function writeRunJson(dir: string, run: RunJson): RunJson {
  const next = { ...run, updated_at: new Date().toISOString() };
  writeFileAtomic(runJsonPath(dir), `${JSON.stringify(next, null, 2)}\n`);
  return next;
}
