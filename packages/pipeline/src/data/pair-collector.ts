/**
 * Collects the rows of a data file as they are read: converts each to a pair, counts rows, reports progress,
 * and applies the error policy (the first malformed row throws, or every one is listed).
 */
import { DataError } from './data-error';
import type { DataIssue } from './data-issue';
import type { RawRow, RowConverter } from './row-to-pair';
import { capReason } from './text';

/** One record read: a raw row, or the issue that made it unreadable. */
export type ReadRow = { issue: DataIssue } | { row: RawRow };

/** How {@link PairCollector} treats rows. */
export interface PairCollectorOptions<TPair = unknown> {
  /** The file as named in issues. */
  readonly file: string;
  /** `'stop'`: the first malformed row throws a {@link DataError}; `'skip'`: it is listed in `issues`. */
  readonly onError: 'stop' | 'skip';
  /** Rows between `onProgress` calls. */
  readonly progressEvery: number;
  readonly onProgress?: ((rows: number) => void) | undefined;
  /** Called with each pair converted and the line it starts on. */
  readonly onPair?: ((pair: TPair, line: number) => void) | undefined;
  /** Called with each issue met (before `'stop'` throws it). */
  readonly onIssue?: ((issue: DataIssue) => void) | undefined;
  /** Keep the pairs in `pairs` (else they are only counted, for a pass over a file of any size). @default true */
  readonly keep?: boolean | undefined;
  /** Rows starting on these lines are dropped unread (counted as rows, neither pairs nor issues). */
  readonly skipLines?: ReadonlySet<number> | undefined;
}

/** The pairs and issues of one file, filled row by row. */
export class PairCollector<TPair> {
  /** The pairs converted so far (none kept with `keep: false`). */
  readonly pairs: TPair[] = [];
  /** Pairs converted so far. */
  count = 0;
  /** The malformed rows skipped so far (with `'skip'`). */
  readonly issues: DataIssue[] = [];
  /** Rows read so far (a header is not a row). */
  rows = 0;
  /** Whether the header (CSV) or the first record (JSONL) fixed the columns. */
  sawHeader = false;
  readonly converter: RowConverter<TPair>;
  private readonly options: PairCollectorOptions<TPair>;

  constructor(converter: RowConverter<TPair>, options: PairCollectorOptions<TPair>) {
    this.converter = converter;
    this.options = options;
  }

  /**
   * Takes one row: converts it, or applies the error policy to its issue.
   * @throws DataError for a malformed row with `'stop'`
   */
  handle(result: ReadRow): void {
    const { file, onError, progressEvery, onProgress } = this.options;
    this.rows++;
    if (this.rows % progressEvery === 0) onProgress?.(this.rows);
    let issue: DataIssue | undefined;
    if ('issue' in result) issue = result.issue;
    else if (this.options.skipLines?.has(result.row.line) === true) return;
    else {
      const r = this.converter.convert(result.row);
      if (r.ok) {
        this.count++;
        if (this.options.keep !== false) this.pairs.push(r.pair);
        this.options.onPair?.(r.pair, result.row.line);
      } else issue = { file, line: result.row.line, code: r.code, reason: capReason(r.reason) };
    }
    if (issue === undefined) return;
    this.options.onIssue?.(issue);
    if (onError === 'stop') throw DataError.fromIssue(issue);
    this.issues.push(issue);
  }

  /**
   * Reports the final row count and checks that the file held rows and that some became pairs.
   * @throws DataError `EMPTY_FILE` or `NO_VALID_ROWS`
   */
  finish(): void {
    const { file, onProgress } = this.options;
    const { rows } = this;
    onProgress?.(rows);
    if (!this.sawHeader && rows === 0)
      throw new DataError('EMPTY_FILE', { file, reason: 'the file is empty' });
    if (this.count === 0) {
      const first = this.issues[0];
      const reason =
        first === undefined
          ? `no data rows (${rows} read)`
          : `all ${rows} rows were skipped; the first at line ${first.line}: ${first.reason}`;
      throw new DataError('NO_VALID_ROWS', { file, reason });
    }
  }
}
