/**
 * An incremental RFC 4180 CSV parser: quoted fields, `""` escapes, delimiters and line breaks inside quotes,
 * CRLF / LF / CR record ends and a leading byte order mark. Text is pushed in chunks of any size (a chunk may
 * end inside a field, a quote pair or a CRLF), and every record carries the physical line where it starts.
 *
 * Choices beyond the RFC, each so that nothing is guessed silently:
 * - a blank line (no characters at all) is not a record and is skipped;
 * - a quote inside an unquoted field is literal (`12" pipe`), as Python's `csv` module reads it;
 * - characters after a closing quote (`"abc"def`) make the record malformed (`BAD_QUOTE`);
 * - a record whose field count differs from the first record's is malformed (`FIELD_COUNT`);
 * - a quote still open at the end of the input is reported (`UNTERMINATED_QUOTE`) at the record's first line;
 * - memory is bounded whatever the input: a record longer than `maxRecordChars` (`RECORD_TOO_LONG`), with more
 *   than `maxFields` fields (`TOO_MANY_FIELDS`) or holding a NUL character (`NUL_BYTE`, binary data) is reported
 *   as soon as it is met, and the rest of it is read without being kept.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
import { CR, CsvScanner, LF, QUOTE, type CsvEvent, type CsvScannerSettings } from './csv-scanner';
import { readTextChunks, type ReadTextChunksOptions } from './read-text-chunks';

export type { CsvEvent } from './csv-scanner';

/** Options for {@link createCsvParser}. */
export interface CsvParserOptions {
  /** File name used in issues. @default '<input>' */
  file?: string;
  /** Field delimiter, one character other than a quote or a line break. @default ',' */
  delimiter?: string;
  /** Report records whose field count differs from the first record's. @default true */
  checkFieldCount?: boolean;
  /** Longest record kept, in characters (fields and delimiters). @default 1048576 */
  maxRecordChars?: number;
  /** Most fields in one record. @default 10000 */
  maxFields?: number;
  /** The physical line number of the text's first character, when the text is a part of a file. @default 1 */
  firstLine?: number;
}

/** Default {@link CsvParserOptions.maxRecordChars}: 1 MiB of text per record. */
export const MAX_RECORD_CHARS = 1 << 20;
/** Default {@link CsvParserOptions.maxFields}. */
export const MAX_FIELDS = 10_000;

/** A streaming CSV parser: push text chunks, then call `end()` once. */
export interface CsvParser {
  /** Parses the next chunk; returns the records (and issues) completed by it. */
  push(text: string): CsvEvent[];
  /** Flushes the last record; reports an unterminated quote. */
  end(): CsvEvent[];
}

/**
 * Creates an incremental CSV parser.
 * @throws RangeError when `delimiter` is not a single character other than `"`, CR or LF
 * @example
 * const p = createCsvParser({ file: 'a.csv' });
 * const events = [...p.push('q,item\n"a ""b""",c'), ...p.end()];
 */
export function createCsvParser(options: CsvParserOptions = {}): CsvParser {
  const scanner = new CsvScanner(resolveSettings(options));
  return {
    push: (text: string): CsvEvent[] => scanner.push(text),
    end: (): CsvEvent[] => scanner.end(),
  };
}

/** Applies the defaults and checks the delimiter. */
function resolveSettings(options: CsvParserOptions): CsvScannerSettings {
  const delimiter = options.delimiter ?? ',';
  const delim = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || delim === QUOTE || delim === LF || delim === CR) {
    throw new RangeError(
      `delimiter must be one character other than a quote or a line break (got ${JSON.stringify(delimiter)})`,
    );
  }
  return {
    file: options.file ?? '<input>',
    delim,
    checkFieldCount: options.checkFieldCount ?? true,
    maxRecordChars: options.maxRecordChars ?? MAX_RECORD_CHARS,
    maxFields: options.maxFields ?? MAX_FIELDS,
    firstLine: options.firstLine ?? 1,
  };
}

/** Parses a whole CSV string (convenience for small inputs and tests). */
export function parseCsv(text: string, options: CsvParserOptions = {}): CsvEvent[] {
  const parser = createCsvParser(options);
  return [...parser.push(text), ...parser.end()];
}

/** Options for {@link readCsv}. */
export type ReadCsvOptions = CsvParserOptions & ReadTextChunksOptions;

/**
 * Streams a CSV file record by record without holding it in memory (`file` names it in issues, default `path`).
 * @throws the read stream's error when the file cannot be read
 */
export async function* readCsv(
  path: string,
  options: ReadCsvOptions = {},
): AsyncGenerator<CsvEvent> {
  const parser = createCsvParser({ ...options, file: options.file ?? path });
  for await (const chunk of readTextChunks(path, options)) yield* parser.push(chunk);
  yield* parser.end();
}
