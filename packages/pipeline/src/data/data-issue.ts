/**
 * A problem found in one row of a dataset file: where it is and why the row cannot be used.
 */

/** Machine-readable kind of a {@link DataIssue}. */
export type DataIssueCode =
  /** A quoted CSV field is still open at the end of the file. */
  | 'UNTERMINATED_QUOTE'
  /** Characters follow the closing quote of a CSV field (`"abc"def`). */
  | 'BAD_QUOTE'
  /** A CSV record has more or fewer fields than the header. */
  | 'FIELD_COUNT'
  /** A JSONL line is not valid JSON. */
  | 'BAD_JSON'
  /** A JSONL line is valid JSON but not an object. */
  | 'NOT_AN_OBJECT'
  /** A mapped field is absent from the row, or is not text. */
  | 'MISSING_FIELD'
  /** The query or the item text is empty (after trimming). */
  | 'EMPTY_TEXT'
  /** A numeric label is not a finite decimal number. */
  | 'BAD_RATING'
  /** A numeric label lies outside the declared rating range. */
  | 'RATING_OUT_OF_RANGE'
  /** A discrete label is not in any grade's value list. */
  | 'UNKNOWN_LABEL'
  /** The id column repeats an earlier row's id. */
  | 'DUPLICATE_ID'
  /** The row holds bytes that are not valid UTF-8 (decoded as U+FFFD). */
  | 'INVALID_UTF8'
  /** A record (CSV) or line (JSONL) longer than the loader's character limit; the rest of it is not read. */
  | 'RECORD_TOO_LONG'
  /** A CSV record with more fields than the loader's field limit. */
  | 'TOO_MANY_FIELDS'
  /** A NUL byte: binary data, not text. */
  | 'NUL_BYTE';

/** A malformed row: file, 1-based physical line where the row starts, and the reason. */
export interface DataIssue {
  /** The file as given to the loader. */
  readonly file: string;
  /** 1-based physical line number of the first line of the row (a CSV record may span several lines). */
  readonly line: number;
  /** What is wrong, in words, naming the column or value. */
  readonly reason: string;
  /** Machine-readable kind. */
  readonly code: DataIssueCode;
}

/** Formats an issue as `file:line: reason`, the way compilers report errors. */
export function formatDataIssue(issue: DataIssue): string {
  return `${issue.file}:${issue.line}: ${issue.reason}`;
}
