/**
 * The state machine of the incremental CSV parser (see `createCsvParser` for the rules it follows): one pass
 * over each chunk's UTF-16 code units, fields sliced out of the chunk, state kept between chunks.
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
import type { DataIssue, DataIssueCode } from './data-issue';

/** A parsed record with the 1-based physical line of its first character, or an issue for a malformed one. */
export type CsvEvent =
  | { readonly kind: 'record'; readonly line: number; readonly fields: string[] }
  | { readonly kind: 'issue'; readonly issue: DataIssue };

/** The parser's settings, defaults applied and checked. */
export interface CsvScannerSettings {
  readonly file: string;
  /** The delimiter's code unit. */
  readonly delim: number;
  readonly checkFieldCount: boolean;
  readonly maxRecordChars: number;
  readonly maxFields: number;
  /** The physical line number of the text's first character (1 for a whole file). */
  readonly firstLine: number;
}

/** Code units the scanner tells apart. */
export const QUOTE = 34;
export const LF = 10;
export const CR = 13;
const BOM = 0xfeff;
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_SEEN = 3;

/** Parses CSV text pushed in chunks of any size; a chunk may end inside a field, a quote pair or a CRLF. */
export class CsvScanner {
  private readonly settings: CsvScannerSettings;
  private state = FIELD_START;
  private line: number;
  private recordLine: number;
  private quoteLine: number;
  private fields: string[] = [];
  private buf = '';
  private inRecord = false;
  private afterCR = false;
  private started = false;
  private expected: number | undefined;
  private bad: { code: DataIssueCode; reason: string } | undefined;
  private out: CsvEvent[] = [];
  // Characters kept for the current record; once a limit is crossed, the record is reported and skipped.
  private recordChars = 0;
  private skipping = false;

  constructor(settings: CsvScannerSettings) {
    this.settings = settings;
    this.line = settings.firstLine;
    this.recordLine = settings.firstLine;
    this.quoteLine = settings.firstLine;
  }

  /** Parses the next chunk; returns the records (and issues) completed by it. */
  push(text: string): CsvEvent[] {
    this.out = [];
    let i = 0;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === BOM) i = 1;
    }
    const seg = this.scan(text, i);
    if (this.skipping) this.buf = '';
    else if (this.state === UNQUOTED || this.state === QUOTED) {
      this.buf += text.slice(seg);
      this.overLimit(this.buf.length);
    }
    return this.out;
  }

  /** Flushes the last record; reports an unterminated quote. */
  end(): CsvEvent[] {
    this.out = [];
    if (this.skipping) this.endRecord('');
    else if (this.state === QUOTED) {
      this.out.push(
        this.issue(
          'UNTERMINATED_QUOTE',
          `the quoted field ${this.fields.length + 1} opened on line ${this.quoteLine} is never closed (end of file reached)`,
        ),
      );
    } else if (this.inRecord) this.endRecord(this.buf);
    this.resetRecord();
    return this.out;
  }

  /**
   * Runs the state machine over `text` from `from` on, emitting the records it completes.
   * @returns where the unfinished field's text starts in `text` (kept by the caller for the next chunk)
   */
  private scan(text: string, from: number): number {
    const { delim } = this.settings;
    let seg = from;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // CRLF counts as one line break; the LF was already accounted for by its CR (inside quotes it stays in the field).
      if (this.afterCR) {
        this.afterCR = false;
        if (c === LF) continue;
      }
      if (c === LF) this.line++;
      else if (c === CR) {
        this.line++;
        this.afterCR = true;
      }
      const isBreak = c === LF || c === CR;
      if (c === 0 && !this.skipping) {
        this.begin();
        this.skipRecord('NUL_BYTE', 'the record holds a NUL byte (binary data, not text)');
      }
      switch (this.state) {
        case FIELD_START:
          if (c === QUOTE) {
            this.begin();
            this.quoteLine = this.line;
            this.state = QUOTED;
            seg = i + 1;
          } else if (c === delim) {
            this.begin();
            this.pushField('');
          } else if (isBreak) {
            if (this.inRecord) this.endRecord('');
          } else {
            this.begin();
            this.state = UNQUOTED;
            seg = i;
          }
          break;
        case UNQUOTED:
          if (c === delim) {
            this.pushField(this.buf + text.slice(seg, i));
            this.buf = '';
            this.state = FIELD_START;
          } else if (isBreak) this.endRecord(this.buf + text.slice(seg, i));
          break;
        case QUOTED:
          if (c === QUOTE) {
            this.buf += text.slice(seg, i);
            this.state = QUOTE_SEEN;
          }
          break;
        default: // QUOTE_SEEN: an escaped quote, the end of the field, or a malformed record
          if (c === QUOTE) {
            this.buf += '"';
            seg = i + 1;
            this.state = QUOTED;
          } else if (c === delim) {
            this.pushField(this.buf);
            this.buf = '';
            this.state = FIELD_START;
          } else if (isBreak) this.endRecord(this.buf);
          else {
            this.afterClosingQuote();
            seg = i;
          }
      }
    }
    return seg;
  }

  /** A character after a closing quote: the record is malformed; the rest of the field is read unquoted. */
  private afterClosingQuote(): void {
    this.bad ??= {
      code: 'BAD_QUOTE',
      reason: `unexpected character after the closing quote of field ${this.fields.length + 1}`,
    };
    this.state = UNQUOTED;
  }

  private issue(code: DataIssueCode, reason: string): CsvEvent {
    return {
      kind: 'issue',
      issue: { file: this.settings.file, line: this.recordLine, reason, code },
    };
  }

  /** Marks the start of a record at the current line (once per record). */
  private begin(): void {
    if (!this.inRecord) {
      this.inRecord = true;
      this.recordLine = this.line;
    }
  }

  /** Reports the current record now and keeps nothing more of it. */
  private skipRecord(code: DataIssueCode, reason: string): void {
    this.out.push(this.issue(code, reason));
    this.skipping = true;
    this.fields = [];
    this.buf = '';
  }

  /** Skips the record when it holds too many fields, or `pending` more characters would make it too long. */
  private overLimit(pending: number): boolean {
    if (this.skipping) return false;
    const { maxFields, maxRecordChars } = this.settings;
    if (this.fields.length > maxFields) {
      this.skipRecord('TOO_MANY_FIELDS', `the record has more than ${maxFields} fields`);
      return true;
    }
    if (this.recordChars + pending > maxRecordChars) {
      const open =
        this.state === QUOTED
          ? ` (a quote opened on line ${this.quoteLine} and never closed?)`
          : '';
      this.skipRecord(
        'RECORD_TOO_LONG',
        `the record is longer than ${maxRecordChars} characters${open}; nothing after that is kept`,
      );
      return true;
    }
    return false;
  }

  private pushField(value: string): void {
    if (this.skipping) return;
    this.fields.push(value);
    this.recordChars += value.length + 1;
    this.overLimit(0);
  }

  /** Forgets the current record: the state between two records. */
  private resetRecord(): void {
    this.fields = [];
    this.buf = '';
    this.inRecord = false;
    this.bad = undefined;
    this.skipping = false;
    this.recordChars = 0;
    this.state = FIELD_START;
  }

  /** Ends the record with its last field: emits it, or the issue that makes it malformed. */
  private endRecord(last: string): void {
    if (this.skipping) {
      this.resetRecord();
      return;
    }
    const { fields } = this;
    fields.push(last);
    this.buf = '';
    this.recordChars = 0;
    const { expected } = this;
    if (this.bad !== undefined) this.out.push(this.issue(this.bad.code, this.bad.reason));
    else if (
      this.settings.checkFieldCount &&
      expected !== undefined &&
      fields.length !== expected
    ) {
      this.out.push(
        this.issue(
          'FIELD_COUNT',
          `expected ${expected} fields like the first record, got ${fields.length}`,
        ),
      );
    } else {
      this.expected ??= fields.length;
      this.out.push({ kind: 'record', line: this.recordLine, fields });
    }
    this.fields = [];
    this.inRecord = false;
    this.bad = undefined;
    this.state = FIELD_START;
  }
}
