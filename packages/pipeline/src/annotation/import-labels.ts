/**
 * Labels back from annotators, in any of the formats the queue was exported in: the CSV with its `label` column
 * filled, JSONL (`{"id", "label"}` per line), or Label Studio's JSON export. A label is a grade name (any case)
 * or its 0-based index. Rows are matched to the queue's tasks by id, and the whole file is checked before
 * anything is used: an unknown id, a missing or out-of-scale label, an id labelled twice with different grades,
 * and a task left without a label are each reported as `file:line: reason` in one {@link LabelsFileError}.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';

import { parseCsv } from '../data/csv';
import type { GradeMapper } from '../data/grade-mapping';
import { labelStudioLabels } from './label-studio-labels';
import { LabelsFileError, type LabelProblem } from './labels-error';

/** The formats a labels file can be in. */
export type LabelsFormat = 'csv' | 'jsonl' | 'labelstudio';

/** One row as read, before it is checked. */
export interface RawLabel {
  readonly line: number;
  readonly id?: string;
  readonly label?: string;
  /** The data's rating (e.g. a mean rating 1-3), when the file gives one. */
  readonly rating?: string;
  /** Why the row is unusable as read (malformed line, annotators disagreeing…). */
  readonly problem?: string;
}

/** What to check labels against. */
export interface LabelsCheck {
  /** Grade names, lowest first. */
  readonly grades: readonly string[];
  /** The ids of the queue's tasks: each needs exactly one label. */
  readonly ids: readonly string[];
  /**
   * For rating data: the mapping that turns an optional `rating` column into its grade (it must agree with the
   * label, or stands for it when the label is empty).
   */
  readonly ratings?: GradeMapper;
}

/** Imported labels. */
export interface ImportedLabels {
  readonly format: LabelsFormat;
  /** Grade index by task id, one per task. */
  readonly labels: ReadonlyMap<string, number>;
  /** Ratings by task id, for the rows that gave one. */
  readonly ratings: ReadonlyMap<string, number>;
}

/** Largest labels file read (a queue is at most a few thousand rows). */
export const MAX_LABELS_FILE_BYTES = 64 * 1024 * 1024;

/** The format of a labels file: by extension, else by its first character. */
export function labelsFormatOf(path: string, text: string): LabelsFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  if (ext === '.json') return 'labelstudio';
  const first = text.trimStart()[0];
  return first === '[' ? 'labelstudio' : first === '{' ? 'jsonl' : 'csv';
}

function csvLabels(text: string, file: string): RawLabel[] | { problem: string } {
  const events = parseCsv(text, { file });
  const [head, ...rest] = events;
  if (head?.kind !== 'record') return { problem: 'the file has no header row' };
  const names = head.fields.map((f) => f.trim().toLowerCase());
  const idCol = names.indexOf('id');
  const labelCol = names.indexOf('label');
  const ratingCol = names.indexOf('rating');
  if (idCol < 0 || labelCol < 0)
    return { problem: `the header needs an id and a label column (has ${head.fields.join(', ')})` };
  return rest.map((e): RawLabel => {
    if (e.kind === 'issue') return { line: e.issue.line, problem: e.issue.reason };
    const rating = ratingCol < 0 ? '' : (e.fields[ratingCol] ?? '').trim();
    return {
      line: e.line,
      id: e.fields[idCol] ?? '',
      label: e.fields[labelCol] ?? '',
      ...(rating === '' ? {} : { rating }),
    };
  });
}

function jsonlLabels(text: string): RawLabel[] {
  const rows: RawLabel[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const line = i + 1;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch {
      rows.push({ line, problem: 'not a JSON line' });
      return;
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      rows.push({ line, problem: 'not a JSON object' });
      return;
    }
    const { id, label, rating } = row as Record<string, unknown>;
    rows.push({
      line,
      ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}),
      ...(typeof label === 'string' || typeof label === 'number' ? { label: String(label) } : {}),
      ...(typeof rating === 'number' || typeof rating === 'string'
        ? { rating: String(rating) }
        : {}),
    });
  });
  return rows;
}

/** The grade index of a label, or undefined when it is not on the scale. */
function gradeOf(label: string, grades: readonly string[]): number | undefined {
  const text = label.trim();
  const byName = grades.findIndex((g) => g.toLowerCase() === text.toLowerCase());
  if (byName >= 0) return byName;
  return /^\d+$/.test(text) && Number(text) < grades.length ? Number(text) : undefined;
}

/** The grade (and rating) of one row with an id, or why it has none. */
function rowGrade(
  row: RawLabel,
  check: LabelsCheck,
): { grade: number; rating?: number } | { problem: string } {
  const { grades, ratings } = check;
  const label = row.label?.trim() ?? '';
  const grade = label === '' ? undefined : gradeOf(label, grades);
  if (label !== '' && grade === undefined) {
    const scale = grades.map((g, i) => `${g} (${i})`).join(', ');
    return { problem: `label ${JSON.stringify(label)} is not on the scale (${scale})` };
  }
  if (row.rating === undefined || ratings?.ratingRange === undefined)
    return grade === undefined ? { problem: 'no label' } : { grade };
  const mapped = ratings.map(row.rating);
  if (!mapped.ok) return { problem: `rating ${JSON.stringify(row.rating)}: ${mapped.reason}` };
  if (grade !== undefined && grade !== mapped.grade)
    return {
      problem: `rating ${row.rating} is grade ${grades[mapped.grade]}, but the label says ${grades[grade]}`,
    };
  return { grade: mapped.grade, ...(mapped.rating === undefined ? {} : { rating: mapped.rating }) };
}

/** Checks raw rows against the queue: every problem, or the labels. */
function checkLabels(rows: readonly RawLabel[], check: LabelsCheck) {
  const { grades, ids } = check;
  const known = new Set(ids);
  const problems: LabelProblem[] = [];
  const labels = new Map<string, { grade: number; rating?: number; line: number }>();
  for (const row of rows) {
    const { line, id, problem } = row;
    const at = (reason: string) => problems.push({ line, reason });
    if (problem !== undefined) at(id === undefined ? problem : `id ${id}: ${problem}`);
    else if (id === undefined || id.trim() === '') at('no id');
    else if (!known.has(id)) at(`unknown id ${JSON.stringify(id)}: not a task of this queue`);
    else {
      const got = rowGrade(row, check);
      const before = labels.get(id);
      if ('problem' in got) at(`id ${id}: ${got.problem}`);
      else if (before !== undefined && before.grade !== got.grade)
        at(
          `id ${id} is labelled ${grades[got.grade]} here and ${grades[before.grade]} at line ${before.line}`,
        );
      else if (before === undefined) labels.set(id, { ...got, line });
    }
  }
  const labelled = new Set(rows.map((r) => r.id));
  for (const id of ids)
    if (!labelled.has(id)) problems.push({ line: 0, reason: `no row for task id ${id}` });
  const ratings = new Map<string, number>();
  for (const [id, v] of labels) if (v.rating !== undefined) ratings.set(id, v.rating);
  return { problems, labels: new Map([...labels].map(([id, v]) => [id, v.grade])), ratings };
}

/**
 * Parses and checks the text of a labels file.
 * @param text - the file's content
 * @param options - the file name (for messages), its format (default: from the name and content) and the check
 * @throws LabelsFileError with every problem
 */
export function parseLabels(
  text: string,
  options: LabelsCheck & { file: string; format?: LabelsFormat },
): ImportedLabels {
  const { file } = options;
  const format = options.format ?? labelsFormatOf(file, text);
  const rows =
    format === 'csv'
      ? csvLabels(text, file)
      : format === 'jsonl'
        ? jsonlLabels(text)
        : labelStudioLabels(text);
  if (!Array.isArray(rows)) throw new LabelsFileError(file, [{ line: 0, reason: rows.problem }]);
  const { problems, labels, ratings } = checkLabels(rows, options);
  if (problems.length > 0) throw new LabelsFileError(file, problems);
  return { format, labels, ratings };
}

/**
 * Reads and checks a labels file.
 * @param path - the file
 * @param options - the check, and the format when the name does not tell
 * @throws LabelsFileError (also for a missing or oversized file)
 */
export function readLabelsFile(
  path: string,
  options: LabelsCheck & { format?: LabelsFormat },
): ImportedLabels {
  let text: string;
  try {
    const bytes = statSync(path).size;
    if (bytes > MAX_LABELS_FILE_BYTES)
      throw new LabelsFileError(path, [
        { line: 0, reason: `${bytes} bytes, over the ${MAX_LABELS_FILE_BYTES}-byte limit` },
      ]);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof LabelsFileError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new LabelsFileError(path, [{ line: 0, reason: `cannot read: ${reason}` }]);
  }
  return parseLabels(text, { ...options, file: path });
}
