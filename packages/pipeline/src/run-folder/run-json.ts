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
 * <run>/params/distill.bin  the distilled student (train --stage distill; its report in distill.json)
 * <run>/selection.jsonl     the picked pool pairs with rank, reason, revealed grade and role
 * <run>/bundle/             the exported model bundle
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  runJsonSchema,
  type RunJson,
  type StoredShift,
} from '../contract/run-json-schema';
import { describeZodError } from '../contract/zod-issue';
import { writeFileAtomic } from '../io/atomic-write';
import { HOMEDEPOT_TAXONOMY } from '../splits/homedepot-taxonomy';
import type { Taxonomy } from '../splits/taxonomy';
import type { ShiftStrategy } from '../splits/types';
import { RunFolderError } from './run-folder-error';

export {
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  type InterpolatedStageRecord,
  type RunJson,
  type SelectionRecord,
  type StoredParams,
  type StoredShift,
  type TrainedStageRecord,
} from '../contract/run-json-schema';

/** Files of a run folder, relative to it. */
export const RUN_FILES = Object.freeze({
  run: 'run.json',
  selection: 'selection.jsonl',
  bundle: 'bundle',
  params: (stage: StageName) => `params/${stage}.bin`,
});

/** The stages with a parameters file. */
export type StageName = 'stage1' | 'stage2' | 'stage3' | 'debias' | 'distill';

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
 * Checks parsed run.json against the contract (`runJsonSchema`): format, version and every field.
 * @throws RunFolderError `INVALID_RUN` naming the field, or `VERSION_MISMATCH` naming the version
 */
export function parseRunJson(json: unknown, path: string): RunJson {
  if (!isObject(json) || json['format'] !== RUN_FORMAT)
    throw new RunFolderError('INVALID_RUN', {
      path,
      reason: `not a gradeshift run file (expected "format": "${RUN_FORMAT}")`,
    });
  if (json['version'] !== RUN_FORMAT_VERSION)
    throw new RunFolderError('VERSION_MISMATCH', {
      path,
      reason: `run.json is version ${JSON.stringify(json['version'])}; this build reads version ${RUN_FORMAT_VERSION}`,
    });
  const parsed = runJsonSchema.safeParse(json);
  if (!parsed.success)
    throw new RunFolderError('INVALID_RUN', { path, reason: describeZodError(parsed.error) });
  return parsed.data;
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
