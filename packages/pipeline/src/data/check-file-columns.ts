/**
 * Reads only the first record of a dataset file (the CSV header, or the first JSONL object) and checks a column
 * mapping against it, so a server can refuse a mapping or a malformed file before it starts a job. Bounded like
 * the loader: at most one record of `maxRecordChars` is kept.
 */
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';

import { checkJsonlColumns, resolveCsvColumns, type PairColumnMapping } from './column-mapping';
import { readCsv } from './csv';
import { DataError } from './data-error';
import type { DatasetFormat } from './dataset';
import { readJsonl } from './jsonl';

/** Options of {@link checkFileColumns}. */
export interface CheckFileColumnsOptions {
  columns: PairColumnMapping;
  /** @default from the extension, as the loader does */
  format?: DatasetFormat | undefined;
  /** How the file is named in errors. @default path */
  label?: string;
  /** CSV only: the first record is a header. @default true */
  header?: boolean;
}

/**
 * The format a file is read as: `format` when given, else from the extension (.csv / .tsv → csv, .jsonl /
 * .ndjson → jsonl).
 * @throws DataError `UNKNOWN_FORMAT` naming `file`
 */
export function datasetFormatOf(
  path: string,
  format: DatasetFormat | undefined,
  file: string,
): DatasetFormat {
  if (format !== undefined) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new DataError('UNKNOWN_FORMAT', {
    file,
    reason: `cannot tell the format from the extension "${ext.slice(0, 16)}"`,
  });
}

/**
 * Checks that `path` is a regular file whose first record is well-formed and has the mapped columns.
 * @param path - the file
 * @param options - the column mapping, format and the name used in errors
 * @returns the format the file will be read as
 * @throws DataError `FILE_NOT_READABLE` (not a regular file), `EMPTY_FILE`, `UNKNOWN_FORMAT`, `MISSING_COLUMN`,
 *   `INVALID_MAPPING`, or the first record's issue (`NUL_BYTE`, `RECORD_TOO_LONG`, `BAD_JSON`…) at its line
 */
export async function checkFileColumns(
  path: string,
  options: CheckFileColumnsOptions,
): Promise<DatasetFormat> {
  const file = options.label ?? path;
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile() !== true)
    throw new DataError('FILE_NOT_READABLE', {
      file,
      reason: info === undefined ? 'cannot read the file' : 'not a regular file (a folder?)',
    });
  const format = datasetFormatOf(path, options.format, file);
  if (format === 'csv') {
    const delimiter = extname(path).toLowerCase() === '.tsv' ? '\t' : ',';
    for await (const event of readCsv(path, { file, delimiter })) {
      if (event.kind === 'issue') throw DataError.fromIssue(event.issue);
      const hasHeader = options.header ?? true;
      const context = { file, line: event.line, fieldCount: event.fields.length };
      resolveCsvColumns(options.columns, hasHeader ? event.fields : undefined, context);
      return format;
    }
  } else {
    for await (const event of readJsonl(path, { file })) {
      if (event.kind === 'issue') throw DataError.fromIssue(event.issue);
      checkJsonlColumns(options.columns, Object.keys(event.value), { file, line: event.line });
      return format;
    }
  }
  throw new DataError('EMPTY_FILE', { file, reason: 'the file is empty' });
}
