/**
 * Checks made before a job starts, so invalid input is a 4xx naming the field rather than a failed job: a file
 * path inside the data folder that is a regular file whose first record has the mapped columns, a grade mapping
 * with as many grades as the model, inline grades of the model's scale, detectors the model has, and a run name
 * that is free (a folder left by an interrupted or failed run, or an empty one, is cleared for reuse).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { TRPCError } from '@trpc/server';

import {
  checkFileColumns,
  createGradeMapper,
  type DatasetFormat,
  type GradeMapping,
  type PairColumnMapping,
} from '@gradeshift/pipeline';

import { confinePath } from '../../confine-path';
import type { ScorerModel } from '../../models/model-kinds';
import type { ApiServices } from '../../services';
import { SELECTABLE_DETECTORS } from '../../work/select-work';

const bad = (message: string): TRPCError => new TRPCError({ code: 'BAD_REQUEST', message });

/**
 * Confines a client path to the data folder and checks that the file's first record has the mapped columns.
 * @param given - the path as the client gave it
 * @param options - the data folder, the field name, the mapping and format
 * @returns the real path
 * @throws PathError / DataError (4xx), each naming the field or the file as given
 */
export async function checkDataFile(
  given: string,
  options: {
    dataDir: string;
    field: string;
    columns: PairColumnMapping;
    format: DatasetFormat | undefined;
  },
): Promise<string> {
  const path = confinePath(given, { root: options.dataDir, field: options.field });
  await checkFileColumns(path, { columns: options.columns, format: options.format, label: given });
  return path;
}

/** Checks a grade mapping: valid, and with as many grades as the model. */
export function checkGradeMapping(grades: GradeMapping, model: ScorerModel): void {
  let count: number;
  try {
    count = createGradeMapper(grades).scale.grades.length;
  } catch (error) {
    throw bad(`dataset.grades: ${error instanceof Error ? error.message : String(error)}`);
  }
  const k = model.manifest.grades.length;
  if (count !== k)
    throw bad(
      `dataset.grades: the mapping has ${count} grades, model ${model.id} has ${k} (${model.manifest.grades.map((g) => g.name).join(', ')})`,
    );
}

/** Checks inline grades: an index or a name of one of the model's grades. */
export function checkInlineGrades(
  pairs: readonly { grade: number | string }[],
  model: ScorerModel,
): void {
  const names = model.manifest.grades.map((g) => g.name);
  pairs.forEach((pair, i) => {
    const ok =
      typeof pair.grade === 'number' ? pair.grade < names.length : names.includes(pair.grade);
    if (!ok)
      throw bad(
        `dataset.pairs.${i}.grade: ${JSON.stringify(pair.grade).slice(0, 80)} is not a grade of model ${model.id} (0-${names.length - 1} or ${names.join(', ')})`,
      );
  });
}

/** Checks that every detector asked for is an OOD score of the model. */
export function checkDetectors(detectors: readonly string[] | undefined, model: ScorerModel): void {
  const available = Object.keys(model.manifest.ood).filter((n) => SELECTABLE_DETECTORS.includes(n));
  for (const [i, name] of (detectors ?? []).entries())
    if (!available.includes(name))
      throw bad(
        `detectors.${i}: "${name}" is not an OOD score of model ${model.id} (it has ${available.join(', ')})`,
      );
}

/**
 * Makes sure a run name is free: a folder of an interrupted or failed run, or an empty folder, is removed so
 * the name can be reused; any other existing run is a conflict.
 * @throws TRPCError CONFLICT naming the run's status
 */
export async function claimRunName(name: string, services: ApiServices): Promise<void> {
  const dir = join(services.config.runsDir, name);
  if (statSync(dir, { throwIfNoEntry: false }) === undefined) return;
  const run = (await services.runs.list({ limit: 10_000 })).find(
    (r) => r.name === name || r.outDir === dir,
  );
  const empty = readdirSync(dir).length === 0;
  const reusable =
    run === undefined ? empty : run.status === 'interrupted' || run.status === 'failed';
  if (!reusable)
    throw new TRPCError({
      code: 'CONFLICT',
      message: `name: a run "${name}" already exists${run === undefined ? '' : ` (${run.status})`}; choose another name`,
    });
  rmSync(dir, { recursive: true, force: true });
}
