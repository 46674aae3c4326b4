/**
 * `exportQueue`: a run folder's selection as files for annotators (annotation/annotation-export.ts), written
 * atomically: `queue.csv`, `queue.jsonl`, or the Label Studio pair `labelstudio-tasks.json` +
 * `labelstudio-config.xml`, by default in `<run>/annotation/`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import {
  annotationCsv,
  annotationJsonl,
  labelStudioConfig,
  labelStudioTasks,
} from '../annotation/annotation-export';
import { annotationTasks, gradeNamesOf } from '../annotation/annotation-task';
import type { LabelsFormat } from '../annotation/import-labels';
import { writeFileAtomic } from '../io/atomic-write';
import { RunFolderError } from './run-folder-error';
import { readRunJson } from './run-json';
import { readSelectionLines } from './selection-file';

/** What {@link exportQueue} wrote. */
export interface ExportQueueResult {
  readonly format: LabelsFormat;
  readonly tasks: number;
  /** Files written (absolute). */
  readonly files: readonly string[];
}

const DEFAULT_NAMES: Readonly<Record<LabelsFormat, string>> = {
  csv: 'queue.csv',
  jsonl: 'queue.jsonl',
  labelstudio: 'labelstudio-tasks.json',
};

/**
 * Writes the annotation queue of a run folder.
 * @param dir - a run folder with a selection (absolute)
 * @param options - the format, and the file to write (Label Studio: the tasks file; the config goes beside it)
 * @throws RunFolderError `STEP_MISSING` without a selection, `INVALID_SELECTION` for a damaged selection.jsonl
 */
export function exportQueue(
  dir: string,
  options: { format: LabelsFormat; out?: string },
): ExportQueueResult {
  const run = readRunJson(dir);
  if (run.selection === null)
    throw new RunFolderError(
      'STEP_MISSING',
      { path: dir, reason: 'the run has no selection to annotate' },
      { hint: 'run gradeshift select --run <dir> first' },
    );
  const path = join(dir, run.selection.file);
  const lines = readSelectionLines(path);
  let tasks;
  try {
    tasks = annotationTasks(lines);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RunFolderError('INVALID_SELECTION', { path, reason });
  }
  const out = resolve(options.out ?? join(dir, 'annotation', DEFAULT_NAMES[options.format]));
  mkdirSync(dirname(out), { recursive: true });
  const files = [out];
  if (options.format === 'csv') writeFileAtomic(out, annotationCsv(tasks));
  else if (options.format === 'jsonl') writeFileAtomic(out, annotationJsonl(tasks));
  else {
    writeFileAtomic(out, labelStudioTasks(tasks));
    const config = join(dirname(out), 'labelstudio-config.xml');
    writeFileAtomic(config, labelStudioConfig(gradeNamesOf(run.data.source)));
    files.push(config);
  }
  return { format: options.format, tasks: tasks.length, files };
}
