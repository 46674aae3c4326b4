/**
 * @file Byte offsets of record starts in a file read once as a stream, and the sha256 of each range between
 * consecutive cuts. The bytes are watched before they are decoded (`onBytes`): line breaks are counted as the
 * parser counts them (LF, CR and CRLF for CSV; LF for JSONL), so the parser's line number of a record names the
 * byte where it starts. Only the lines and bytes not yet behind the parser are kept: memory is bounded by the
 * reader's read-ahead and the longest record, not by the file.
 */
import { createHash, type Hash } from 'node:crypto';

const LF = 10;
const CR = 13;

/** Watches a file's bytes, then cuts it into ranges at record starts, hashing each range. */
export class ByteCutter {
  /** Offsets of lines `base`, `base + 1`…: `starts[head + i]` is where line `base + i` begins. */
  private starts: number[] = [0];
  private head = 0;
  private base = 1;
  private seen = 0;
  private afterCR = false;
  /** Bytes seen but not yet hashed, from offset `hashedTo` on. */
  private pending: Uint8Array[] = [];
  private hashedTo = 0;
  /** The hash of the current range; undefined before the first cut (the bytes before it are nobody's). */
  private hash: Hash | undefined;
  /** sha256 of each range closed so far. */
  readonly sha256: string[] = [];
  private readonly crBreaks: boolean;

  /** @param crBreaks - a lone CR ends a line too (CSV), not only LF (JSONL) */
  constructor(crBreaks: boolean) {
    this.crBreaks = crBreaks;
  }

  /** Takes the next bytes of the file (the reader's `onBytes`). */
  bytes(chunk: Uint8Array): void {
    const { crBreaks } = this;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.afterCR) {
        this.afterCR = false;
        // CRLF is one break: the line starts after the LF, not between the two.
        if (c === LF) {
          this.starts[this.starts.length - 1] = this.seen + i + 1;
          continue;
        }
      }
      if (c === LF) this.starts.push(this.seen + i + 1);
      else if (c === CR && crBreaks) {
        this.starts.push(this.seen + i + 1);
        this.afterCR = true;
      }
    }
    this.seen += chunk.length;
    this.pending.push(chunk);
  }

  /**
   * Where line `line` starts; the lines before it are forgotten.
   * @throws Error for a line already forgotten or not yet seen
   */
  lineStart(line: number): number {
    const at = this.head + line - this.base;
    const offset = this.starts[at];
    if (line < this.base || offset === undefined)
      throw new Error(`line ${line} is not among the lines held (${this.base}…)`);
    this.head = at;
    this.base = line;
    if (this.head > 4096 && this.head * 2 > this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
    return offset;
  }

  /** Hashes the bytes before `offset` into the current range, freeing them. */
  hashTo(offset: number): void {
    while (this.hashedTo < offset) {
      const chunk = this.pending[0];
      if (chunk === undefined) throw new Error(`offset ${offset} is past the bytes seen`);
      const take = Math.min(chunk.length, offset - this.hashedTo);
      this.hash?.update(chunk.subarray(0, take));
      this.hashedTo += take;
      if (take === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(take);
    }
  }

  /** Closes the current range at `offset` (a record start) and opens the next one there. */
  cut(offset: number): void {
    this.hashTo(offset);
    if (this.hash !== undefined) this.sha256.push(this.hash.digest('hex'));
    this.hash = createHash('sha256');
  }

  /**
   * Closes the last range at the end of the bytes seen.
   * @returns the file's size in bytes
   */
  end(): number {
    this.cut(this.seen);
    this.hash = undefined;
    return this.seen;
  }
}
