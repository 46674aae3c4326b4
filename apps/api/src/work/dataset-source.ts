/**
 * Datasets and pools given to `evaluate` and `select`: inline pairs (bounded by `maxInlinePairs`) or a file in
 * the data folder (already confined; bounded by `maxFilePairs`), loaded with the pipeline's loader.
 */
import { createHash } from 'node:crypto';

import type { GradeScale } from '@gradeshift/core';
import {
  loadDataset,
  type ColumnMapping,
  type Dataset,
  type GradeMapping,
  type LabeledPair,
} from '@gradeshift/pipeline';

import { limitMessage } from '../limits';

/** A labelled pair given inline; `grade` is a 0-based index or a grade name of the model. */
export interface InlinePair {
  readonly id?: string | undefined;
  readonly query: string;
  readonly item: string;
  readonly grade: number | string;
}

/** A file in the data folder and how to read it. */
export interface FileSource {
  /** The real path, confined to the data folder. */
  readonly path: string;
  /** The path as the client gave it (for reports). */
  readonly given: string;
  readonly format?: 'csv' | 'jsonl' | undefined;
  readonly columns: ColumnMapping;
  readonly grades: GradeMapping;
  readonly onError: 'stop' | 'skip';
}

/** Where a labelled dataset comes from. */
export type DatasetSource =
  | { readonly kind: 'inline'; readonly pairs: readonly InlinePair[] }
  | { readonly kind: 'file'; readonly file: FileSource };

/** A request that does not fit the model or a limit (mapped to 400). */
export class WorkInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkInputError';
  }
}

/** Abort signal → an error at the next progress point. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function inlineDataset(pairs: readonly InlinePair[], scale: GradeScale): Dataset {
  const names = scale.grades.map((g) => g.name);
  const labelled: LabeledPair[] = pairs.map((pair, i) => {
    const grade = typeof pair.grade === 'number' ? pair.grade : names.indexOf(pair.grade);
    if (!Number.isInteger(grade) || grade < 0 || grade >= names.length)
      throw new WorkInputError(
        `dataset.pairs.${i}.grade: ${JSON.stringify(pair.grade)} is not a grade of the model (0-${names.length - 1} or ${names.join(', ')})`,
      );
    return { id: pair.id ?? String(i + 1), query: pair.query, item: pair.item, grade, line: i + 1 };
  });
  const sha256 = createHash('sha256').update(JSON.stringify(pairs)).digest('hex');
  return {
    pairs: labelled,
    issues: [],
    source: {
      path: 'inline',
      format: 'jsonl',
      sha256,
      rows: pairs.length,
      skipped: 0,
      truncated: 0,
    },
    scale,
  };
}

/**
 * Loads a labelled dataset.
 * @param source - inline pairs or a confined file
 * @param options - the model's grade scale, the file row limit and the job's abort signal
 * @throws WorkInputError for an unknown grade or a file over `maxFilePairs`; DataError from the loader
 */
export async function loadLabelledDataset(
  source: DatasetSource,
  options: { scale: GradeScale; maxFilePairs: number; signal: AbortSignal },
): Promise<Dataset> {
  if (source.kind === 'inline') return inlineDataset(source.pairs, options.scale);
  const { file } = source;
  const dataset = await loadDataset(file.path, {
    label: file.given,
    columns: file.columns,
    grades: file.grades,
    onError: file.onError,
    ...(file.format === undefined ? {} : { format: file.format }),
    progressEvery: 5000,
    onProgress: (rows) => {
      throwIfAborted(options.signal);
      if (rows > options.maxFilePairs)
        throw new WorkInputError(
          `dataset.path has more than ${options.maxFilePairs} rows: ${limitMessage('maxFilePairs', options.maxFilePairs)}`,
        );
    },
  });
  return dataset;
}
