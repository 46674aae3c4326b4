/**
 * Streams a file as decoded UTF-8 text chunks, handing every raw byte chunk to an observer first (the loader
 * hashes the file while it reads it, so the fingerprint costs no second pass).
 */
import { createReadStream } from 'node:fs';

/** Options for {@link readTextChunks}. */
export interface ReadTextChunksOptions {
  /** Called with each raw byte chunk before it is decoded (e.g. `hash.update`). @default undefined */
  onBytes?: (bytes: Uint8Array) => void;
  /** Bytes per read. @default 1048576 */
  chunkBytes?: number;
  /** Only bytes `start` (inclusive) to `end` (exclusive) of the file. @default the whole file */
  range?: { readonly start: number; readonly end: number };
}

/**
 * Yields the file's text in chunks. A UTF-8 byte order mark at the start is dropped (WHATWG `TextDecoder`
 * default); a multi-byte character split across two reads is decoded whole (`stream: true`); invalid bytes
 * become U+FFFD, which the loader reports as an `INVALID_UTF8` issue rather than passing on silently.
 * @see https://encoding.spec.whatwg.org/#interface-textdecoder
 * @throws the stream's error (e.g. `ENOENT`) when the file cannot be read
 */
export async function* readTextChunks(
  path: string,
  options: ReadTextChunksOptions = {},
): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  const { range } = options;
  const stream = createReadStream(path, {
    highWaterMark: options.chunkBytes ?? 1 << 20,
    ...(range === undefined ? {} : { start: range.start, end: range.end - 1 }),
  });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    options.onBytes?.(bytes);
    const text = decoder.decode(bytes, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}
