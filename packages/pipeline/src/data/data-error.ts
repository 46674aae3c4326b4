/**
 * The error thrown by the dataset loader: a closed `code` union, the file and line, the reason, and what to do
 * next. Shaped like `CoreError` (tRPC's `TRPCError` pattern) so the CLI and API can map codes to exit codes.
 */
import type { DataIssue, DataIssueCode } from './data-issue';
import { capReason } from './text';

/** Machine-readable kind of a {@link DataError}: a row issue (with `onError: 'stop'`) or a whole-file problem. */
export type DataErrorCode =
  | DataIssueCode
  | 'FILE_NOT_READABLE'
  | 'UNKNOWN_FORMAT'
  | 'EMPTY_FILE'
  | 'MISSING_COLUMN'
  | 'INVALID_MAPPING'
  | 'NO_VALID_ROWS'
  /** A row of an external predictions file whose probabilities, logits or embedding are malformed. */
  | 'BAD_PREDICTION'
  /** An embedding whose width differs from the file's first line or from the reference file. */
  | 'EMBEDDING_WIDTH'
  /** A teacher file (distillation) without some of the pairs the student trains on. */
  | 'TEACHER_MISSING_PAIRS';

const SKIP_HINT =
  "fix the row, or load with onError: 'skip' to skip such rows and list every issue";

/** What to do next, per code. */
const HINTS: Readonly<Record<DataErrorCode, string>> = {
  UNTERMINATED_QUOTE: `a double quote opens a field that never closes: escape quotes inside quoted fields as "" (RFC 4180); ${SKIP_HINT}`,
  BAD_QUOTE: `a quoted field must end right after its closing quote: escape inner quotes as ""; ${SKIP_HINT}`,
  FIELD_COUNT: `check the delimiter and the quoting of that row (an unquoted comma splits a field); ${SKIP_HINT}`,
  BAD_JSON: `each line of a JSONL file must be one complete JSON object; ${SKIP_HINT}`,
  NOT_AN_OBJECT: `each line of a JSONL file must be a JSON object ({...}); ${SKIP_HINT}`,
  MISSING_FIELD: `check the column mapping, or ${SKIP_HINT}`,
  EMPTY_TEXT: `queries and item texts must be non-empty; ${SKIP_HINT}`,
  BAD_RATING: `numeric labels must be decimal numbers (e.g. 2.33); use a 'values' grade mapping for text labels, or ${SKIP_HINT}`,
  RATING_OUT_OF_RANGE: `widen the grade mapping's range if the value is legitimate, or ${SKIP_HINT}`,
  UNKNOWN_LABEL: `add the value to one grade's value list in the grade mapping, or ${SKIP_HINT}`,
  DUPLICATE_ID: `ids must be unique: map another id column, drop the id mapping (the line number becomes the id), or ${SKIP_HINT}`,
  RECORD_TOO_LONG: `check that it is a text file of one pair per line, and that every quote closes; ${SKIP_HINT}`,
  TOO_MANY_FIELDS: `check the delimiter, and that it is a file of (query, item, label) rows; ${SKIP_HINT}`,
  NUL_BYTE: `the file holds binary data: check that it is the right file, a CSV or JSONL text; ${SKIP_HINT}`,
  INVALID_UTF8: `re-encode the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), or ${SKIP_HINT}`,
  FILE_NOT_READABLE:
    'check the path (relative paths resolve against the working directory) and the file permissions',
  UNKNOWN_FORMAT:
    "name the format explicitly (format: 'csv' or 'jsonl'), or give the file a .csv / .jsonl extension",
  EMPTY_FILE: 'the file has no header row; check that it is the right file',
  MISSING_COLUMN: 'fix the column mapping to use one of the columns listed',
  INVALID_MAPPING: 'fix the column or grade mapping',
  NO_VALID_ROWS:
    'every row was skipped: check the column and grade mapping against the issues listed',
  BAD_PREDICTION:
    'each line needs K finite probabilities summing to 1 (within 1e-3) or K finite logits, K the same on every line and in the reference file; fix the row and run again',
  TEACHER_MISSING_PAIRS:
    'score every pair the student trains on with the teacher (gradeshift train --run <dir> --stage distill --teacher-pairs <file> writes them) and pass that file as --teacher',
  EMBEDDING_WIDTH:
    'write every embedding with the same encoder output (the same width on every line of both files), or leave `embedding` out of both files to skip the Mahalanobis and KNN scores',
};

/** Options for {@link DataError}. */
export interface DataErrorOptions {
  /** 1-based line of the problem; `undefined` for a whole-file problem. @default undefined */
  line?: number;
  /** What to do next. @default a hint chosen by `code` */
  hint?: string;
  /** The underlying error, if any. @default undefined */
  cause?: unknown;
}

/**
 * An error raised while loading a dataset, with `code`, `file`, `line`, `reason` and `hint` (what to do next).
 * The reason is cut to a few hundred characters, so no message carries a file's content.
 */
export class DataError extends Error {
  readonly code: DataErrorCode;
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;
  readonly hint: string;

  /**
   * @param code - machine-readable kind
   * @param location - the file and the reason
   * @param options - line, hint and cause
   */
  constructor(
    code: DataErrorCode,
    location: { file: string; reason: string },
    options: DataErrorOptions = {},
  ) {
    const hint = options.hint ?? HINTS[code];
    const where = options.line === undefined ? location.file : `${location.file}:${options.line}`;
    const reason = capReason(location.reason);
    super(
      `${where}: ${reason} [${code}]. To fix: ${hint}.`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'DataError';
    this.code = code;
    this.file = location.file;
    this.line = options.line;
    this.reason = reason;
    this.hint = hint;
  }

  /** The error for a row issue met with `onError: 'stop'`. */
  static fromIssue(issue: DataIssue): DataError {
    return new DataError(
      issue.code,
      { file: issue.file, reason: issue.reason },
      { line: issue.line },
    );
  }
}

/** `true` when `value` is a {@link DataError} (optionally with the given code). */
export function isDataError(value: unknown, code?: DataErrorCode): value is DataError {
  return value instanceof DataError && (code === undefined || value.code === code);
}
