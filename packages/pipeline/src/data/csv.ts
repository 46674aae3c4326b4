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
import type { DataIssue, DataIssueCode } from './data-issue';
import { readTextChunks, type ReadTextChunksOptions } from './read-text-chunks';

/** A parsed record with the 1-based physical line of its first character, or an issue for a malformed one. */
export type CsvEvent =
  | { readonly kind: 'record'; readonly line: number; readonly fields: string[] }
  | { readonly kind: 'issue'; readonly issue: DataIssue };

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

const QUOTE = 34;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/**
 * Creates an incremental CSV parser.
 * @throws RangeError when `delimiter` is not a single character other than `"`, CR or LF
 * @example
 * const p = createCsvParser({ file: 'a.csv' });
 * const events = [...p.push('q,item\n"a ""b""",c'), ...p.end()];
 */
export function createCsvParser(options: CsvParserOptions = {}): CsvParser {
  const file = options.file ?? '<input>';
  const delimiter = options.delimiter ?? ',';
  const delim = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || delim === QUOTE || delim === LF || delim === CR) {
    throw new RangeError(
      `delimiter must be one character other than a quote or a line break (got ${JSON.stringify(delimiter)})`,
    );
  }
  const checkFieldCount = options.checkFieldCount ?? true;
  const maxRecordChars = options.maxRecordChars ?? MAX_RECORD_CHARS;
  const maxFields = options.maxFields ?? MAX_FIELDS;
  let state = FIELD_START;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  let fields: string[] = [];
  let buf = '';
  let inRecord = false;
  let afterCR = false;
  let started = false;
  let expected: number | undefined;
  let bad: { code: DataIssueCode; reason: string } | undefined;
  let out: CsvEvent[] = [];
  // Characters kept for the current record; once a limit is crossed, the record is reported and skipped.
  let recordChars = 0;
  let skipping = false;

  const issue = (code: DataIssueCode, reason: string): CsvEvent => ({
    kind: 'issue',
    issue: { file, line: recordLine, reason, code },
  });
  const begin = (): void => {
    if (!inRecord) {
      inRecord = true;
      recordLine = line;
    }
  };
  /** Reports the current record now and keeps nothing more of it. */
  const skipRecord = (code: DataIssueCode, reason: string): void => {
    out.push(issue(code, reason));
    skipping = true;
    fields = [];
    buf = '';
  };
  const overLimit = (pending: number): boolean => {
    if (skipping) return false;
    if (fields.length > maxFields) {
      skipRecord('TOO_MANY_FIELDS', `the record has more than ${maxFields} fields`);
      return true;
    }
    if (recordChars + pending > maxRecordChars) {
      const open =
        state === QUOTED ? ` (a quote opened on line ${quoteLine} and never closed?)` : '';
      skipRecord(
        'RECORD_TOO_LONG',
        `the record is longer than ${maxRecordChars} characters${open}; nothing after that is kept`,
      );
      return true;
    }
    return false;
  };
  const pushField = (value: string): void => {
    if (skipping) return;
    fields.push(value);
    recordChars += value.length + 1;
    overLimit(0);
  };
  /** Forgets the current record: the state between two records. */
  const resetRecord = (): void => {
    fields = [];
    buf = '';
    inRecord = false;
    bad = undefined;
    skipping = false;
    recordChars = 0;
    state = FIELD_START;
  };
  const endRecord = (last: string): void => {
    if (skipping) {
      resetRecord();
      return;
    }
    fields.push(last);
    buf = '';
    recordChars = 0;
    if (bad !== undefined) out.push(issue(bad.code, bad.reason));
    else if (checkFieldCount && expected !== undefined && fields.length !== expected) {
      out.push(
        issue(
          'FIELD_COUNT',
          `expected ${expected} fields like the first record, got ${fields.length}`,
        ),
      );
    } else {
      expected ??= fields.length;
      out.push({ kind: 'record', line: recordLine, fields });
    }
    fields = [];
    inRecord = false;
    bad = undefined;
    state = FIELD_START;
  };

  return {
    push(text: string): CsvEvent[] {
      out = [];
      let i = 0;
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === BOM) i = 1;
      }
      let seg = i;
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        // CRLF counts as one line break; the LF was already accounted for by its CR (inside quotes it stays in the field).
        if (afterCR) {
          afterCR = false;
          if (c === LF) continue;
        }
        if (c === LF) line++;
        else if (c === CR) {
          line++;
          afterCR = true;
        }
        const isBreak = c === LF || c === CR;
        if (c === 0 && !skipping) {
          begin();
          skipRecord('NUL_BYTE', 'the record holds a NUL byte (binary data, not text)');
        }
        switch (state) {
          case FIELD_START:
            if (c === QUOTE) {
              begin();
              quoteLine = line;
              state = QUOTED;
              seg = i + 1;
            } else if (c === delim) {
              begin();
              pushField('');
            } else if (isBreak) {
              if (inRecord) endRecord('');
            } else {
              begin();
              state = UNQUOTED;
              seg = i;
            }
            break;
          case UNQUOTED:
            if (c === delim) {
              pushField(buf + text.slice(seg, i));
              buf = '';
              state = FIELD_START;
            } else if (isBreak) endRecord(buf + text.slice(seg, i));
            break;
          case QUOTED:
            if (c === QUOTE) {
              buf += text.slice(seg, i);
              state = QUOTE_SEEN;
            }
            break;
          default: // QUOTE_SEEN: an escaped quote, the end of the field, or a malformed record
            if (c === QUOTE) {
              buf += '"';
              seg = i + 1;
              state = QUOTED;
            } else if (c === delim) {
              pushField(buf);
              buf = '';
              state = FIELD_START;
            } else if (isBreak) endRecord(buf);
            else {
              bad ??= {
                code: 'BAD_QUOTE',
                reason: `unexpected character after the closing quote of field ${fields.length + 1}`,
              };
              state = UNQUOTED;
              seg = i;
            }
        }
      }
      if (skipping) buf = '';
      else if (state === UNQUOTED || state === QUOTED) {
        buf += text.slice(seg);
        overLimit(buf.length);
      }
      return out;
    },
    end(): CsvEvent[] {
      out = [];
      if (skipping) endRecord('');
      else if (state === QUOTED) {
        out.push(
          issue(
            'UNTERMINATED_QUOTE',
            `the quoted field ${fields.length + 1} opened on line ${quoteLine} is never closed (end of file reached)`,
          ),
        );
      } else if (inRecord) endRecord(buf);
      resetRecord();
      return out;
    },
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
