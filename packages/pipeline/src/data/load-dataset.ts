/**
 * Loads a CSV or JSONL file of (query, item, label) rows into a {@link Dataset}, streaming it once: records are
 * parsed chunk by chunk, the file's sha256 is computed from the same bytes, and every malformed row is either
 * fatal (`onError: 'stop'`, the default) or skipped and listed (`'skip'`). Nothing is dropped silently: texts
 * longer than `maxTextLength` are cut and counted in `source.truncated`.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';

import {
  checkJsonlColumns,
  resolveCsvColumns,
  type ColumnMapping,
  type PairColumnMapping,
  type ResolvedColumns,
} from './column-mapping';
import { datasetFormatOf } from './check-file-columns';
import { readCsv } from './csv';
import { DataError } from './data-error';
import type { DataIssue } from './data-issue';
import type { Dataset, DatasetFormat, DatasetSource, UnlabeledPair } from './dataset';
import { createGradeMapper, type GradeMapping } from './grade-mapping';
import { readJsonl } from './jsonl';
import { createRowConverter, type RawRow, type RowConverter } from './row-to-pair';
import { capReason } from './text';

/** Longest query or item text kept, in UTF-16 code units. */
const DEFAULT_MAX_TEXT_LENGTH = 2000;

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

function jsonText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function pick(
  columns: PairColumnMapping,
  value: Readonly<Record<string, unknown>>,
  field: keyof ColumnMapping,
): string | undefined {
  const key = columns[field];
  return typeof key === 'string' && Object.hasOwn(value, key) ? jsonText(value[key]) : undefined;
}

/** What the file reader needs: the options of either loader. */
type ReadOptions = Omit<LoadDatasetOptions, 'columns' | 'grades'> & { columns: PairColumnMapping };

function csvRow(cols: ResolvedColumns, fields: readonly string[], line: number): RawRow {
  const at = (i: number | undefined): string | undefined =>
    i === undefined ? undefined : fields[i];
  return {
    line,
    id: at(cols.id),
    query: at(cols.query),
    item: at(cols.item),
    label: at(cols.label),
    category: at(cols.category),
  };
}

/** The file-reading half shared by {@link loadDataset} and {@link loadPairs}. */
async function readPairs<TPair>(
  path: string,
  options: ReadOptions,
  makeConverter: () => RowConverter<TPair>,
): Promise<{ pairs: TPair[]; issues: DataIssue[]; source: DatasetSource }> {
  const file = options.label ?? path;
  const format = datasetFormatOf(path, options.format, file);
  const onError = options.onError ?? 'stop';
  const maxTextLength = options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  if (!Number.isInteger(maxTextLength) || maxTextLength < 1)
    throw new RangeError(`maxTextLength must be a positive integer (got ${maxTextLength})`);
  const progressEvery = Math.max(1, options.progressEvery ?? 10_000);
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
  } catch (cause) {
    throw new DataError(
      'FILE_NOT_READABLE',
      { file, reason: `cannot read the file (${readFailure(cause, options.label)})` },
      { cause },
    );
  }

  const hash = createHash('sha256');
  const onBytes = (bytes: Uint8Array): void => {
    hash.update(bytes);
  };
  const converter = makeConverter();
  const pairs: TPair[] = [];
  const issues: DataIssue[] = [];
  let rows = 0;
  let sawHeader = false;
  const handle = (result: { issue: DataIssue } | { row: RawRow }): void => {
    rows++;
    if (rows % progressEvery === 0) options.onProgress?.(rows);
    let issue: DataIssue | undefined;
    if ('issue' in result) issue = result.issue;
    else {
      const r = converter.convert(result.row);
      if (r.ok) pairs.push(r.pair);
      else issue = { file, line: result.row.line, code: r.code, reason: capReason(r.reason) };
    }
    if (issue === undefined) return;
    if (onError === 'stop') throw DataError.fromIssue(issue);
    issues.push(issue);
  };

  try {
    if (format === 'csv') {
      const delimiter = options.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
      const hasHeader = options.header ?? true;
      let cols: ResolvedColumns | undefined;
      const limits =
        options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars };
      for await (const event of readCsv(path, { delimiter, onBytes, file, ...limits })) {
        if (cols === undefined) {
          // The header (or, without one, the first record) fixes the columns; a malformed one is always fatal.
          if (event.kind === 'issue') throw DataError.fromIssue(event.issue);
          const context = { file, line: event.line, fieldCount: event.fields.length };
          cols = resolveCsvColumns(options.columns, hasHeader ? event.fields : undefined, context);
          sawHeader = true;
          if (hasHeader) continue;
        }
        handle(event.kind === 'issue' ? event : { row: csvRow(cols, event.fields, event.line) });
      }
    } else {
      const limits =
        options.maxRecordChars === undefined ? {} : { maxLineChars: options.maxRecordChars };
      for await (const event of readJsonl(path, { onBytes, file, ...limits })) {
        if (event.kind === 'issue') {
          handle(event);
          continue;
        }
        if (!sawHeader)
          checkJsonlColumns(options.columns, Object.keys(event.value), {
            file,
            line: event.line,
          });
        sawHeader = true;
        const v = event.value;
        const c = options.columns;
        handle({
          row: {
            line: event.line,
            id: pick(c, v, 'id'),
            query: pick(c, v, 'query'),
            item: pick(c, v, 'item'),
            label: pick(c, v, 'label'),
            category: pick(c, v, 'category'),
          },
        });
      }
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      'FILE_NOT_READABLE',
      { file, reason: `reading failed (${readFailure(error, options.label)})` },
      { cause: error },
    );
  }
  options.onProgress?.(rows);

  if (!sawHeader && rows === 0)
    throw new DataError('EMPTY_FILE', { file, reason: 'the file is empty' });
  if (pairs.length === 0) {
    const first = issues[0];
    const reason =
      first === undefined
        ? `no data rows (${rows} read)`
        : `all ${rows} rows were skipped; the first at line ${first.line}: ${first.reason}`;
    throw new DataError('NO_VALID_ROWS', { file, reason });
  }
  return {
    pairs,
    issues,
    source: {
      path: file,
      format,
      sha256: hash.digest('hex'),
      rows,
      skipped: rows - pairs.length,
      truncated: converter.truncated,
    },
  };
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
  if (options.columns.label === undefined)
    throw new TypeError(
      'columns.label must name the label column (use loadPairs for unlabelled pairs)',
    );
  const mapper = createGradeMapper(options.grades);
  const read = await readPairs(path, options, () =>
    createRowConverter({
      grades: mapper,
      maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
      hasId: options.columns.id !== undefined,
      hasCategory: options.columns.category !== undefined,
    }),
  );
  return {
    ...read,
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
  return readPairs(path, options, () =>
    createRowConverter({
      maxTextLength: options.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH,
      hasId: options.columns.id !== undefined,
      hasCategory: options.columns.category !== undefined,
    }),
  );
}
