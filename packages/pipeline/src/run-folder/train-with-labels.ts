/**
 * `trainWithLabels`: stage 2/3 on annotators' labels instead of the simulated reveal. The labels file is checked
 * whole against the run's selection (annotation/import-labels.ts); then a new run folder is made beside the
 * first, holding the same stage-1 weights, the same picks with the imported grades in selection.jsonl, and a
 * copy of the labels file, recorded in the run store as a run of kind `labels` whose config names the run it
 * came from, its selection and the labels file; and `trainRunStage` trains stage 2 there, exactly as it does on
 * revealed labels (so labels equal to the revealed grades reproduce the revealed run's figures).
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

import { gradeMapperOf } from '../annotation/annotation-task';
import {
  readLabelsFile,
  type ImportedLabels,
  type LabelsFormat,
} from '../annotation/import-labels';
import type { GradeMapper } from '../data/grade-mapping';
import { sha256Hex } from '@gradeshift/core/node';
import { writeLinesAtomic } from '../io/atomic-write';
import { openRunRecorder } from '../store/open-run-store-backend';
import { defaultRunStorePath, storeReference } from '../store/run-store-path';
import { RunFolderError } from './run-folder-error';
import {
  readRunJson,
  RUN_FILES,
  writeRunJson,
  type RunJson,
  type SelectionRecord,
  type TrainedStageRecord,
} from './run-json';
import { readSelectionLines, type SelectionLine } from './selection-file';
import {
  stage2Inputs,
  trainRunStage,
  type TrainRunStageOptions,
  type TrainRunStageResult,
} from './train-run-stage';

/** Options of {@link trainWithLabels}. */
export interface TrainWithLabelsOptions extends Omit<TrainRunStageOptions, 'stage'> {
  /** The labels file (CSV, JSONL or Label Studio JSON export). */
  readonly labels: string;
  /** The new run folder (must not exist). @default `<run>-labels-<labels file stem>` beside the run */
  readonly out?: string;
  /** Its format when the file name does not tell. */
  readonly format?: LabelsFormat;
}

/** What {@link trainWithLabels} returns. */
export interface TrainWithLabelsResult extends TrainRunStageResult {
  /** The new run folder. */
  readonly out: string;
  readonly labels: {
    readonly file: string;
    readonly sha256: string;
    readonly format: LabelsFormat;
    readonly count: number;
    /** Picks whose label differs from the revealed grade. */
    readonly changed: number;
  };
}

/**
 * The rating that stands for a grade given without one, on rating data: the grade's own point of the rating
 * axis (the loss then targets the grade itself, as annotators said), so every pair still has a rating target.
 */
function gradePoint(
  grade: number,
  k: number,
  range: readonly [number, number] | undefined,
): number | undefined {
  if (range === undefined) return undefined;
  return range[0] + (grade / (k - 1)) * (range[1] - range[0]);
}

/** A run's selection with annotators' labels, checked (what {@link trainWithLabels} trains on). */
export interface RunLabels {
  readonly run: RunJson;
  readonly stage1: TrainedStageRecord;
  readonly selection: SelectionRecord;
  readonly lines: readonly SelectionLine[];
  readonly mapper: GradeMapper;
  readonly labelsPath: string;
  readonly imported: ImportedLabels;
}

/**
 * Reads and checks a labels file against a run's selection, without writing anything (the API checks a file
 * this way before it starts a job).
 * @param dir - a run folder with stage 1 and a selection (absolute)
 * @param options - the labels file and its format when the name does not tell
 * @throws LabelsFileError naming every problem; RunFolderError `STEP_MISSING` without stage 1 and a selection
 */
export function readRunLabels(
  dir: string,
  options: { labels: string; format?: LabelsFormat | undefined },
): RunLabels {
  const run = readRunJson(dir);
  const { stage1, selection } = stage2Inputs(dir, run);
  const lines = readSelectionLines(join(dir, selection.file));
  const mapper = gradeMapperOf(run.data.source);
  const labelsPath = resolve(options.labels);
  const imported = readLabelsFile(labelsPath, {
    grades: mapper.scale.grades.map((g) => g.name),
    ratings: mapper,
    ids: lines.map((l) => l.id),
    ...(options.format === undefined ? {} : { format: options.format }),
  });
  return { run, stage1, selection, lines, mapper, labelsPath, imported };
}

/**
 * Trains stage 2/3 of a copy of `dir` on the labels in `options.labels`.
 * @param dir - a run folder with stage 1 and a selection (absolute)
 * @param options - the labels file, the new folder, and stage 2's options
 * @throws LabelsFileError naming every problem of the labels file (nothing is written then);
 * RunFolderError `STEP_MISSING` without stage 1 and a selection, `ALREADY_EXISTS` when `out` exists
 */
export async function trainWithLabels(
  dir: string,
  options: TrainWithLabelsOptions,
): Promise<TrainWithLabelsResult> {
  const { run, stage1, selection, lines, mapper, labelsPath, imported } = readRunLabels(
    dir,
    options,
  );
  const stem = basename(labelsPath, extname(labelsPath)).replace(/[^\w.-]/g, '_');
  const out = resolve(options.out ?? join(dirname(dir), `${basename(dir)}-labels-${stem}`));
  if (existsSync(out))
    throw new RunFolderError(
      'ALREADY_EXISTS',
      { path: out, reason: 'the folder for the labelled run already exists' },
      { hint: 'choose another folder with --out' },
    );

  mkdirSync(join(out, 'params'), { recursive: true });
  copyFileSync(join(dir, stage1.params.file), join(out, stage1.params.file));
  const labelsCopy = `labels${extname(labelsPath) || '.txt'}`;
  copyFileSync(labelsPath, join(out, labelsCopy));
  const labelsSha = sha256Hex(readFileSync(labelsPath));
  let changed = 0;
  const relabelled = lines.map((line) => {
    const grade = imported.labels.get(line.id) ?? line.grade;
    if (grade !== line.grade) changed += 1;
    const rating =
      imported.ratings.get(line.id) ??
      gradePoint(grade, mapper.scale.grades.length, mapper.ratingRange);
    const { rating: _revealed, ...rest } = line;
    return { ...rest, grade, ...(rating === undefined ? {} : { rating }) };
  });
  const selectionPath = join(out, RUN_FILES.selection);
  writeLinesAtomic(
    selectionPath,
    relabelled.map((l) => `${JSON.stringify(l)}\n`),
  );
  const labels = {
    file: labelsPath,
    sha256: labelsSha,
    format: imported.format,
    count: imported.labels.size,
    changed,
  };
  const storePath = run.store?.path ?? storeReference(defaultRunStorePath(out));
  const store = await openRunRecorder(storePath);
  let runId: string;
  try {
    ({ id: runId } = await store.createRun({
      name: basename(out),
      kind: 'labels',
      outDir: out,
      config: {
        from_run: { id: run.store?.run_id ?? null, dir },
        selection: { file: join(dir, selection.file), sha256: selection.sha256 },
        labels: { ...labels, copy: join(out, labelsCopy) },
        data: run.data.source,
        seed: options.seed ?? 0,
      },
      dataFingerprint: run.data.sha256,
    }));
  } finally {
    await store.close();
  }
  writeRunJson(out, {
    ...run,
    stages: { stage1 },
    selection: { ...selection, sha256: sha256Hex(readFileSync(selectionPath)) },
    store: { path: storePath, run_id: runId },
    bundle: null,
  });
  const trained = await trainRunStage(out, { ...options, stage: 2 });
  return { ...trained, out, labels };
}
