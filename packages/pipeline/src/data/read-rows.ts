/**
 * Streams the records of a CSV or JSONL data file as raw rows into a {@link PairCollector}: the CSV header (or
 * first record) and the first JSON object fix and check the column mapping.
 */
import { extname } from 'node:path';

import {
  checkJsonlColumns,
  resolveCsvColumns,
  type ColumnMapping,
  type PairColumnMapping,
  type ResolvedColumns,
} from './column-mapping';
import { readCsv } from './csv';
import { DataError } from './data-error';
import { readJsonl } from './jsonl';
import type { PairCollector } from './pair-collector';
import type { RawRow } from './row-to-pair';

/** What reading the records of one file needs. */
export interface ReadRowsOptions {
  /** The file as named in issues. */
  readonly file: string;
  readonly columns: PairColumnMapping;
  /** Called with every chunk of bytes read (e.g. to hash the file). */
  readonly onBytes: (bytes: Uint8Array) => void;
  /** Longest record (CSV) or line (JSONL) in characters. */
  readonly maxRecordChars?: number | undefined;
  /** CSV only: the first record is a header. @default true */
  readonly header?: boolean | undefined;
  /** CSV only: the field delimiter. @default ',' ('\t' for a .tsv file) */
  readonly delimiter?: string | undefined;
  /** Only these bytes of the file, which begin a line (a part of a file cut on record starts). */
  readonly range?: { readonly start: number; readonly end: number } | undefined;
  /** The line number of the range's first line. @default 1 */
  readonly firstLine?: number | undefined;
  /** Bytes per read. @default 1048576 */
  readonly chunkBytes?: number | undefined;
  /** CSV with a header, reading a range: the header's fields, read before. */
  readonly headerFields?: readonly string[] | undefined;
  /** CSV: called with the header's fields once they are read. */
  readonly onHeader?: ((fields: readonly string[]) => void) | undefined;
}

/** The options of a part of a file, for the CSV and JSONL readers. */
function partOf(options: ReadRowsOptions): {
  range?: { readonly start: number; readonly end: number };
  firstLine?: number;
  chunkBytes?: number;
} {
  return {
    ...(options.chunkBytes === undefined ? {} : { chunkBytes: options.chunkBytes }),
    ...(options.range === undefined ? {} : { range: options.range }),
    ...(options.firstLine === undefined ? {} : { firstLine: options.firstLine }),
  };
}

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

/**
 * Reads a CSV file's records into `into`.
 * @throws DataError for a malformed header (always fatal) or a column mapping the header does not fit
 */
export async function readCsvRows<TPair>(
  path: string,
  options: ReadRowsOptions,
  into: PairCollector<TPair>,
): Promise<void> {
  const { file, onBytes } = options;
  const delimiter = options.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
  const hasHeader = options.header ?? true;
  let cols: ResolvedColumns | undefined;
  if (hasHeader && options.headerFields !== undefined) {
    const context = { file, line: 1, fieldCount: options.headerFields.length };
    cols = resolveCsvColumns(options.columns, options.headerFields, context);
    into.sawHeader = true;
  }
  const limits =
    options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars };
  const read = { delimiter, onBytes, file, ...limits, ...partOf(options) };
  for await (const event of readCsv(path, read)) {
    if (cols === undefined) {
      // The header (or, without one, the first record) fixes the columns; a malformed one is always fatal.
      if (event.kind === 'issue') throw DataError.fromIssue(event.issue);
      const context = { file, line: event.line, fieldCount: event.fields.length };
      cols = resolveCsvColumns(options.columns, hasHeader ? event.fields : undefined, context);
      into.sawHeader = true;
      if (hasHeader) {
        options.onHeader?.(event.fields);
        continue;
      }
    }
    into.handle(event.kind === 'issue' ? event : { row: csvRow(cols, event.fields, event.line) });
  }
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

/**
 * Reads a JSONL file's records into `into`.
 * @throws DataError when the first object lacks a mapped column
 */
export async function readJsonlRows<TPair>(
  path: string,
  options: ReadRowsOptions,
  into: PairCollector<TPair>,
): Promise<void> {
  const { file, onBytes, columns: c } = options;
  const limits =
    options.maxRecordChars === undefined ? {} : { maxLineChars: options.maxRecordChars };
  for await (const event of readJsonl(path, { onBytes, file, ...limits, ...partOf(options) })) {
    if (event.kind === 'issue') {
      into.handle(event);
      continue;
    }
    if (!into.sawHeader) checkJsonlColumns(c, Object.keys(event.value), { file, line: event.line });
    into.sawHeader = true;
    const v = event.value;
    into.handle({
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
