/**
 * Byte-level reading of JSON held in a Buffer: skip whitespace, expect a character, find a string's end, read
 * a string, skip a value, and decode a span with `JSON.parse`, so that a scanner can walk a large file's top
 * level without materialising it. Errors name the byte offset.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** A cursor-free reader over JSON bytes: every method takes a byte offset and returns where it stopped. */
export class JsonBytes {
  /** The bytes. */
  readonly buf: Buffer;
  /** Their length. */
  readonly length: number;
  private readonly what: string;

  /**
   * @param buf - the JSON text
   * @param what - what the text must be, for errors (`<what>: <problem> at byte <n>`)
   */
  constructor(buf: Buffer, what: string) {
    this.buf = buf;
    this.length = buf.length;
    this.what = what;
  }

  /** @throws Error `<what>: <problem> at byte <pos>` */
  fail(pos: number, problem: string): never {
    throw new Error(`${this.what}: ${problem} at byte ${pos}`);
  }

  /** Decodes `buf[start, end)` with `JSON.parse`. @throws Error naming `start` when it is not one JSON value */
  parseAt(start: number, end: number): unknown {
    try {
      return JSON.parse(this.buf.toString('utf8', start, end));
    } catch (error) {
      return this.fail(start, `invalid JSON value (${(error as Error).message})`);
    }
  }

  /** The first offset from `p` that is not JSON whitespace. */
  skipWs(p: number): number {
    const { buf, length } = this;
    let i = p;
    while (i < length) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    return i;
  }

  /** The offset after `ch` at `p`. @throws Error when `p` holds another byte */
  expect(p: number, ch: string): number {
    if (this.buf[p] !== ch.charCodeAt(0)) this.fail(p, `expected '${ch}'`);
    return p + 1;
  }

  /** End (after the closing quote) of the string opening at `p`; `escaped` tells whether it holds a backslash. */
  stringEnd(p: number): { end: number; escaped: boolean } {
    const { buf, length } = this;
    let escaped = false;
    for (let i = p + 1; i < length; i++) {
      const c = buf[i];
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      } else if (c === QUOTE) return { end: i + 1, escaped };
    }
    return this.fail(p, 'unterminated string');
  }

  /** The string value opening at `p` and the offset after it. */
  readString(p: number): { value: string; end: number } {
    if (this.buf[p] !== QUOTE) this.fail(p, 'expected a string');
    const { end, escaped } = this.stringEnd(p);
    const value = escaped
      ? String(this.parseAt(p, end))
      : this.buf.toString('utf8', p + 1, end - 1);
    return { value, end };
  }

  /** The offset after the value (string, scalar, array or object) starting at `p`. */
  skipValue(p: number): number {
    const { buf, length } = this;
    const c = buf[p];
    if (c === QUOTE) return this.stringEnd(p).end;
    if (c !== OPEN_BRACKET && c !== OPEN_BRACE) {
      let i = p;
      while (
        i < length &&
        buf[i] !== COMMA &&
        buf[i] !== CLOSE_BRACE &&
        buf[i] !== CLOSE_BRACKET &&
        this.skipWs(i) === i
      )
        i++;
      if (i === p) this.fail(p, 'expected a value');
      return i;
    }
    let depth = 0;
    for (let i = p; i < length; i++) {
      const d = buf[i];
      if (d === QUOTE) i = this.stringEnd(i).end - 1;
      else if (d === OPEN_BRACKET || d === OPEN_BRACE) depth++;
      else if ((d === CLOSE_BRACKET || d === CLOSE_BRACE) && --depth === 0) return i + 1;
    }
    return this.fail(p, 'unterminated array or object');
  }
}
