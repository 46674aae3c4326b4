/**
 * Loads a CSV or JSONL file of (query, item, label) rows into a {@link Dataset}, streaming it once: records are
 * parsed chunk by chunk, the file's sha256 is computed from the same bytes, and every malformed row is either
 * fatal (`onError: 'stop'`, the default) or skipped and listed (`'skip'`). Nothing is dropped silently: texts
 * longer than `maxTextLength` are cut and counted in `source.truncated`.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';

import { datasetFormatOf } from './check-file-columns';
import type { ColumnMapping, PairColumnMapping } from './column-mapping';
import { DataError } from './data-error';
import type { DataIssue } from './data-issue';
import type { Dataset, DatasetFormat, DatasetSource, LabeledPair, UnlabeledPair } from './dataset';
import { createGradeMapper, type GradeMapping } from './grade-mapping';
import { PairCollector, type PairCollectorOptions } from './pair-collector';
import { readCsvRows, readJsonlRows, type ReadRowsOptions } from './read-rows';
import { createRowConverter, type RowConverter } from './row-to-pair';

/** Longest query or item text kept, in UTF-16 code units. */
export const DEFAULT_MAX_TEXT_LENGTH = 2000;

/** What to do with a malformed row. */
export type OnDataError = 'stop' | 'skip';

/** Options for {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** File format. @default from the extension: .csv / .tsv → 'csv', .jsonl / .ndjson → 'jsonl' */
  format?: DatasetFormat;
  /** Which column holds which field. */
  columns: ColumnMapping;
  /** How labels become grades. */
  grades: GradeMapping;
  /** `'stop'`: the first malformed row throws a {@link DataError}; `'skip'`: skip it and list it in `issues`. @default 'stop' */
  onError?: OnDataError;
  /** Query and item texts longer than this (UTF-16 code units) are cut, and counted. @default 2000 */
  maxTextLength?: number;
  /** Called with the number of rows read so far, every `progressEvery` rows and once at the end. @default undefined */
  onProgress?: (rows: number) => void;
  /** Rows between `onProgress` calls. @default 10000 */
  progressEvery?: number;
  /** CSV only: the first record is a header. Without one, map columns by index. @default true */
  header?: boolean;
  /** CSV only: the field delimiter. @default ',' ('\t' for a .tsv file) */
  delimiter?: string;
  /**
   * How the file is named in issues, errors and `source.path` (e.g. the path relative to a served folder, so
   * messages never show a server's folders). @default path
   */
  label?: string;
  /** Longest record (CSV) or line (JSONL) in characters; a longer one is a `RECORD_TOO_LONG` issue. @default 1048576 */
  maxRecordChars?: number;
}

/** The system error's code (`ENOENT`…) or message, without the absolute path Node puts in the message. */
function readFailure(cause: unknown, label: string | undefined): string {
  const code = (cause as { code?: unknown } | null)?.code;
  if (label !== undefined && typeof code === 'string') return code;
  return cause instanceof Error ? cause.message : String(cause);
}

/** What the file reader needs: the options of either loader. */
type ReadOptions = Omit<LoadDatasetOptions, 'columns' | 'grades'> & { columns: PairColumnMapping };

/**
 * What a pass over a pairs file may add to a plain load: a part of the file (cut on record starts), hooks on its
 * bytes, header, pairs and issues, and pairs counted rather than kept.
 */
export interface PairFilePass<TPair> {
  readonly collect?: Pick<PairCollectorOptions<TPair>, 'onPair' | 'onIssue' | 'keep' | 'skipLines'>;
  readonly read?: Pick<
    ReadRowsOptions,
    'range' | 'firstLine' | 'headerFields' | 'onHeader' | 'chunkBytes'
  > & {
    readonly onBytes?: (bytes: Uint8Array) => void;
  };
}

/** The file-reading half shared by {@link loadDataset} and {@link loadPairs}. */
async function readPairs<TPair>(
  path: string,
  options: ReadOptions,
  pass: PairFilePass<TPair> & { readonly converter: () => RowConverter<TPair> },
): Promise<{ pairs: TPair[]; issues: DataIssue[]; source: DatasetSource; count: number }> {
  const file = options.label ?? path;
  const format = datasetFormatOf(path, options.format, file);
  const onError = options.onError ?? 'stop';
  const maxTextLength = options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  if (!Number.isInteger(maxTextLength) || maxTextLength < 1)
    throw new RangeError(`maxTextLength must be a positive integer (got ${maxTextLength})`);
  const progressEvery = Math.max(1, options.progressEvery ?? 10_000);
  await assertRegularFile(path, { file, label: options.label });
  const hash = createHash('sha256');
  const collector = new PairCollector(pass.converter(), {
    file,
    onError,
    progressEvery,
    onProgress: options.onProgress,
    ...pass.collect,
  });
  // A part of a file has no header line or first object of its own: the columns were checked on the whole file.
  if (pass.read?.range !== undefined && format === 'jsonl') collector.sawHeader = true;
  const onBytes = pass.read?.onBytes;
  const rowOptions: ReadRowsOptions = {
    ...options,
    ...pass.read,
    file,
    onBytes: (bytes) => {
      hash.update(bytes);
      onBytes?.(bytes);
    },
  };
  try {
    if (format === 'csv') await readCsvRows(path, rowOptions, collector);
    else await readJsonlRows(path, rowOptions, collector);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      'FILE_NOT_READABLE',
      { file, reason: `reading failed (${readFailure(error, options.label)})` },
      { cause: error },
    );
  }
  collector.finish();
  const { pairs, issues, rows, count } = collector;
  return {
    pairs,
    issues,
    count,
    source: {
      path: file,
      format,
      sha256: hash.digest('hex'),
      rows,
      skipped: rows - count,
      truncated: collector.converter.truncated,
    },
  };
}

/** @throws DataError `FILE_NOT_READABLE` unless `path` is a regular file */
async function assertRegularFile(
  path: string,
  names: { readonly file: string; readonly label: string | undefined },
): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
  } catch (cause) {
    throw new DataError(
      'FILE_NOT_READABLE',
      { file: names.file, reason: `cannot read the file (${readFailure(cause, names.label)})` },
      { cause },
    );
  }
}

/**
 * Loads a dataset file.
 * @param path - a .csv/.tsv/.jsonl/.ndjson file (or any file with `format` given)
 * @param options - column and grade mapping, error policy, limits
 * @returns the pairs, the issues (with `'skip'`), provenance (sha256, row counts) and the grade scale
 * @throws DataError: `FILE_NOT_READABLE`, `UNKNOWN_FORMAT`, `EMPTY_FILE`, `MISSING_COLUMN`, `INVALID_MAPPING`,
 *   `NO_VALID_ROWS`, or (with `'stop'`) the first row issue's code, each with the file, line and what to do next
 * @throws RangeError for an invalid grade mapping or `maxTextLength`
 * @example
 * const data = await loadDataset('train.csv', {
 *   columns: { id: 'id', query: 'search_term', item: 'product_title', label: 'relevance' },
 *   grades: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
 *   onError: 'skip',
 * });
 */
export async function loadDataset(path: string, options: LoadDatasetOptions): Promise<Dataset> {
  const { count: _count, ...dataset } = await readDatasetFile(path, options);
  return dataset;
}

/**
 * {@link loadDataset} with a {@link PairFilePass}: hooks on the bytes, header, pairs and issues, and pairs counted
 * rather than kept (a pass that checks every label of a file of any size).
 * @returns as {@link loadDataset}, with `count` the pairs converted (kept or not)
 * @throws as {@link loadDataset}
 */
export async function readDatasetFile(
  path: string,
  options: LoadDatasetOptions,
  pass: PairFilePass<LabeledPair> = {},
): Promise<Dataset & { readonly count: number }> {
  if (options.columns.label === undefined)
    throw new TypeError(
      'columns.label must name the label column (use loadPairs for unlabelled pairs)',
    );
  const mapper = createGradeMapper(options.grades);
  const { pairs, issues, source, count } = await readPairs(path, options, {
    ...pass,
    converter: () =>
      createRowConverter({
        grades: mapper,
        maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
        hasId: options.columns.id !== undefined,
        hasCategory: options.columns.category !== undefined,
      }),
  });
  return {
    pairs,
    issues,
    source,
    count,
    scale: mapper.scale,
    ...(mapper.ratingRange === undefined ? {} : { ratingRange: mapper.ratingRange }),
    ...(mapper.ratingEdges === undefined ? {} : { ratingEdges: mapper.ratingEdges }),
  };
}

/** Options for {@link loadPairs}: those of {@link loadDataset} without a grade mapping; a label column is ignored. */
export type LoadPairsOptions = Omit<LoadDatasetOptions, 'columns' | 'grades'> & {
  columns: PairColumnMapping;
};

/** Unlabelled pairs read from a file, with the issues met and where they came from. */
export interface PairFile {
  readonly pairs: readonly UnlabeledPair[];
  readonly issues: readonly DataIssue[];
  readonly source: DatasetSource;
}

/**
 * Loads (query, item) pairs to score, without labels: same formats, column mapping, error policy, limits and
 * line-numbered issues as {@link loadDataset}.
 * @param path - a .csv/.tsv/.jsonl/.ndjson file (or any file with `format` given)
 * @param options - column mapping (query, item, optional id and category), error policy, limits
 * @returns the pairs, the issues (with `'skip'`) and provenance
 * @throws DataError as {@link loadDataset} does
 * @example const { pairs } = await loadPairs('pairs.jsonl', { columns: { query: 'q', item: 'title' } });
 */
export async function loadPairs(path: string, options: LoadPairsOptions): Promise<PairFile> {
  const { pairs, issues, source } = await readPairFile(path, options);
  return { pairs, issues, source };
}

/**
 * {@link loadPairs} with a {@link PairFilePass}: a part of the file, hooks, pairs counted rather than kept.
 * @returns as {@link loadPairs}, with `count` the pairs converted (kept or not); `source.sha256` is that of the
 * bytes read (the range's, for a range)
 */
export async function readPairFile(
  path: string,
  options: LoadPairsOptions,
  pass: PairFilePass<UnlabeledPair> = {},
): Promise<PairFile & { readonly count: number }> {
  return readPairs(path, options, {
    ...pass,
    converter: () =>
      createRowConverter({
        maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
        hasId: options.columns.id !== undefined,
        hasCategory: options.columns.category !== undefined,
      }),
  });
}
