/**
 * An on-disk cache of text embeddings for one encoder: each distinct text is encoded once, ever. The folder is
 * keyed by the model file's sha256, the truncation length and the output read (`<cacheDir>/encoder/<key>/`), so a
 * changed model or setting never reads stale rows. Rows are stored in shards (`<id>.bin`, float32 little-endian
 * rows; `<id>.json`, the text keys and width), each written temp + rename after every chunk of texts, the key
 * file last: an interrupted run keeps the chunks it finished, and a half-written shard is never read.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { TextEmbeddings } from '@gradeshift/core';

import { writeFileAtomic } from '../io/atomic-write';
import type { ProgressSink } from '../stages/progress';

/** What identifies an encoder's embeddings. */
export interface EncoderCacheKey {
  /** sha256 of the ONNX model file. */
  readonly modelSha256: string;
  readonly maxLength: number;
  readonly output: string;
}

/** Rows already read from the cache folder, kept between calls by the caller (one per encoder). */
export interface EmbeddingMemory {
  readonly rows: Map<string, Float32Array>;
  dim: number;
  /** Whether the folder's shards have been read into `rows`. */
  loaded: boolean;
}

/** An empty {@link EmbeddingMemory}. */
export const createEmbeddingMemory = (): EmbeddingMemory => ({
  rows: new Map(),
  dim: 0,
  loaded: false,
});

/** Options of {@link embedTextsCached}. */
export interface EmbedCachedOptions {
  /** The cache root, e.g. `runs/.cache`; null keeps nothing on disk. */
  readonly cacheDir: string | null;
  readonly key: EncoderCacheKey;
  /** Encodes texts (the encoder's `embed`). */
  readonly encode: (texts: readonly string[]) => Promise<TextEmbeddings>;
  /** Texts per shard (and between progress events). @default 2048 */
  readonly chunk?: number;
  /** Rows kept from earlier calls: the folder is read only once. @default a fresh memory (the folder is read) */
  readonly memory?: EmbeddingMemory;
  readonly progress?: ProgressSink;
  readonly signal?: AbortSignal;
}

/** Embeddings of the asked texts and how many were encoded (not read from the cache). */
export interface CachedEmbeddings extends TextEmbeddings {
  readonly encoded: number;
}

const textKey = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** The cache folder of an encoder: `<cacheDir>/encoder/<first 24 hex of sha256(key)>`. */
export function encoderCacheFolder(cacheDir: string, key: EncoderCacheKey): string {
  const id = createHash('sha256')
    .update(JSON.stringify([key.modelSha256, key.maxLength, key.output]))
    .digest('hex');
  return join(cacheDir, 'encoder', id.slice(0, 24));
}

interface Shard {
  readonly dim: number;
  readonly keys: readonly string[];
}

/** Reads every complete shard of a folder into a key → row map. */
function readShards(folder: string): { rows: Map<string, Float32Array>; dim: number } {
  const rows = new Map<string, Float32Array>();
  let dim = 0;
  if (!existsSync(folder)) return { rows, dim };
  for (const name of readdirSync(folder).sort()) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const shard = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Shard;
    const bytes = readFileSync(join(folder, name.replace(/\.json$/, '.bin')));
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    if (data.length !== shard.keys.length * shard.dim || (dim !== 0 && shard.dim !== dim))
      throw new RangeError(
        `${join(folder, name)}: the shard's rows do not match its keys; delete the folder ${folder} to rebuild the cache`,
      );
    dim = shard.dim;
    shard.keys.forEach((k, i) => rows.set(k, data.subarray(i * dim, (i + 1) * dim)));
  }
  return { rows, dim };
}

/** Writes one shard: the rows first, the keys last (the keys file marks it complete). */
function writeShard(folder: string, keys: readonly string[], embeddings: TextEmbeddings): void {
  mkdirSync(folder, { recursive: true });
  const id = `${Date.now().toString(36)}-${process.pid}-${textKey(keys.join('\n')).slice(0, 8)}`;
  const { data } = embeddings;
  writeFileAtomic(
    join(folder, `${id}.bin`),
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  );
  writeFileAtomic(
    join(folder, `${id}.json`),
    JSON.stringify({ dim: embeddings.dim, keys } satisfies Shard),
  );
}

/**
 * Embeds texts through the cache: rows found on disk are read, the rest encoded in chunks, each chunk written
 * as a shard before the next starts; progress reports rows done with an ETA.
 * @returns one row per asked text (duplicates share their row's values), in input order
 */
export async function embedTextsCached(
  texts: readonly string[],
  options: EmbedCachedOptions,
): Promise<CachedEmbeddings> {
  const { cacheDir, progress, signal } = options;
  const folder = cacheDir === null ? null : encoderCacheFolder(cacheDir, options.key);
  const cached = options.memory ?? createEmbeddingMemory();
  if (!cached.loaded && folder !== null) {
    const read = readShards(folder);
    for (const [k, row] of read.rows) cached.rows.set(k, row);
    if (read.dim !== 0) cached.dim = read.dim;
  }
  cached.loaded = true;
  const keys = texts.map(textKey);
  const missing = new Map<string, string>();
  keys.forEach((k, i) => {
    if (!cached.rows.has(k) && !missing.has(k)) missing.set(k, texts[i] ?? '');
  });
  const todo = [...missing.entries()];
  const chunk = options.chunk ?? 2048;
  const t0 = Date.now();
  for (let start = 0; start < todo.length; start += chunk) {
    signal?.throwIfAborted();
    const part = todo.slice(start, start + chunk);
    const out = await options.encode(part.map(([, t]) => t));
    if (folder !== null)
      writeShard(
        folder,
        part.map(([k]) => k),
        out,
      );
    part.forEach(([k], i) => cached.rows.set(k, out.data.slice(i * out.dim, (i + 1) * out.dim)));
    cached.dim = out.dim;
    const done = start + part.length;
    const perRow = (Date.now() - t0) / 1000 / done;
    progress?.({
      stage: 'encode',
      message: `encoding ${todo.length} new texts (${texts.length - todo.length} cached)`,
      done,
      total: todo.length,
      etaSeconds: perRow * (todo.length - done),
    });
  }
  const dim = cached.dim;
  const data = new Float32Array(texts.length * dim);
  keys.forEach((k, i) => data.set(cached.rows.get(k) ?? new Float32Array(dim), i * dim));
  return { rows: texts.length, dim, data, encoded: todo.length };
}
