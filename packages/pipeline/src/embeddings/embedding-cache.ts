/**
 * @file A binary cache of the pruned {@link EmbeddingTable}, so a second model build skips the 307 MB parse.
 *
 * File layout (little-endian):
 * - bytes 0–7: magic `GSEMB\0\0\1`; bytes 8–11: header length H (uint32);
 * - H bytes of header JSON (UTF-8): format version, cache key, source, D, the words, the sub-word settings and
 *   the byte length of each data section; then zero padding to a multiple of 4;
 * - data: word vectors (words × D float32), bucket vectors (B × D float32), bucket counts (B uint32);
 * - a 32-byte SHA-256 of everything before it.
 *
 * A file is trusted only if its length, magic, header, section sizes and checksum all agree and its key is the
 * one asked for; anything else is reported (not thrown) so the caller rebuilds. Writes go to a temporary file
 * in the same directory and are renamed into place, so a reader never sees a half-written file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { EmbeddingSource, EmbeddingTable } from './types';

/** Bumped whenever the layout or the derivation of the cached data changes. */
export const EMBEDDING_CACHE_VERSION = 1;

const MAGIC = Buffer.from([0x47, 0x53, 0x45, 0x4d, 0x42, 0x00, 0x00, 0x01]);
const DIGEST_BYTES = 32;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface CacheHeader {
  format: 'gradeshift.embedding-cache';
  version: number;
  key: string;
  source: EmbeddingSource;
  dims: number;
  words: string[];
  subwords: { buckets: number; minN: number; maxN: number; maxWordsPerBucket: number };
  sections: { wordVectors: number; bucketVectors: number; bucketCounts: number };
}

/** Why a cache file was not used. */
export type CacheMissReason = 'missing' | 'corrupt' | 'stale' | 'unsupported';

/** Result of {@link readEmbeddingCache}. */
export type ReadCacheResult =
  { ok: true; table: EmbeddingTable } | { ok: false; reason: CacheMissReason; detail: string };

/** Inputs of {@link embeddingCacheKey}. */
export interface EmbeddingCacheKeyInput {
  readonly source: EmbeddingSource;
  /** The requested vocabulary (order and duplicates do not matter). */
  readonly vocabulary: Iterable<string>;
  readonly subwords: CacheHeader['subwords'];
}

/**
 * The cache key: SHA-256 (hex) over the cache version, the source package and version, the sorted distinct
 * vocabulary and the sub-word settings.
 */
export function embeddingCacheKey(input: EmbeddingCacheKeyInput): string {
  const words = [...new Set(input.vocabulary)].sort();
  const vocabularyHash = createHash('sha256').update(words.join('\n')).digest('hex');
  const { buckets, minN, maxN, maxWordsPerBucket } = input.subwords;
  const material = JSON.stringify([
    EMBEDDING_CACHE_VERSION,
    input.source.name,
    input.source.version,
    vocabularyHash,
    buckets,
    minN,
    maxN,
    maxWordsPerBucket,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/** Path of the cache file for a key: `<cacheDir>/<source>@<version>-<key prefix>.bin`. */
export function embeddingCachePath(
  cacheDir: string,
  input: { source: EmbeddingSource; key: string },
): string {
  const safe = `${input.source.name}@${input.source.version}`.replace(/[^\w.@-]/g, '_');
  return join(cacheDir, `${safe}-${input.key.slice(0, 24)}.bin`);
}

function view(buf: Buffer, offset: number, bytes: number): ArrayBuffer {
  // A copy: the file buffer may be a slice of a shared pool with an unaligned offset.
  return buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + bytes) as ArrayBuffer;
}

/**
 * Writes the table atomically (temporary file + rename).
 * @param path - destination file (its directory is created)
 * @param table - the table to store
 * @param key - its cache key ({@link embeddingCacheKey})
 * @throws Error when the platform is big-endian or the file cannot be written
 */
export function writeEmbeddingCache(path: string, table: EmbeddingTable, key: string): void {
  if (!LITTLE_ENDIAN) throw new Error('the embedding cache is little-endian only');
  const { subwords: s } = table;
  const header: CacheHeader = {
    format: 'gradeshift.embedding-cache',
    version: EMBEDDING_CACHE_VERSION,
    key,
    source: table.source,
    dims: table.dims,
    words: [...table.words],
    subwords: {
      buckets: s.buckets,
      minN: s.minN,
      maxN: s.maxN,
      maxWordsPerBucket: s.maxWordsPerBucket,
    },
    sections: {
      wordVectors: table.vectors.byteLength,
      bucketVectors: s.vectors.byteLength,
      bucketCounts: s.counts.byteLength,
    },
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  const pad = Buffer.alloc((4 - ((MAGIC.length + 4 + json.length) % 4)) % 4);
  const parts = [
    MAGIC,
    length,
    json,
    pad,
    Buffer.from(table.vectors.buffer, table.vectors.byteOffset, table.vectors.byteLength),
    Buffer.from(s.vectors.buffer, s.vectors.byteOffset, s.vectors.byteLength),
    Buffer.from(s.counts.buffer, s.counts.byteOffset, s.counts.byteLength),
  ];
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  parts.push(hash.digest());
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat(parts));
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Reads and verifies a cache file.
 * @param path - the cache file
 * @param key - the key the caller expects
 * @returns the table, or why it cannot be used (`missing`, `corrupt`, `stale` = other key or version, `unsupported` = big-endian platform)
 */
export function readEmbeddingCache(path: string, key: string): ReadCacheResult {
  if (!LITTLE_ENDIAN) return { ok: false, reason: 'unsupported', detail: 'big-endian platform' };
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: 'missing', detail: (error as Error).message };
  }
  const corrupt = (detail: string): ReadCacheResult => ({ ok: false, reason: 'corrupt', detail });
  if (buf.length < MAGIC.length + 4 + DIGEST_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC))
    return corrupt('bad magic or too short');
  const body = buf.subarray(0, buf.length - DIGEST_BYTES);
  if (
    !createHash('sha256')
      .update(body)
      .digest()
      .equals(buf.subarray(buf.length - DIGEST_BYTES))
  )
    return corrupt('checksum mismatch (truncated or modified)');
  const headerLength = buf.readUInt32LE(MAGIC.length);
  let header: CacheHeader;
  try {
    header = JSON.parse(
      buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength),
    ) as CacheHeader;
  } catch {
    return corrupt('unreadable header');
  }
  if (header.format !== 'gradeshift.embedding-cache' || header.version !== EMBEDDING_CACHE_VERSION)
    return { ok: false, reason: 'stale', detail: `format version ${String(header.version)}` };
  if (header.key !== key) return { ok: false, reason: 'stale', detail: 'different cache key' };
  const { dims, words, subwords, sections } = header;
  const start =
    MAGIC.length + 4 + headerLength + ((4 - ((MAGIC.length + 4 + headerLength) % 4)) % 4);
  const expected = {
    wordVectors: words.length * dims * 4,
    bucketVectors: subwords.buckets * dims * 4,
    bucketCounts: subwords.buckets * 4,
  };
  const dataBytes = expected.wordVectors + expected.bucketVectors + expected.bucketCounts;
  if (
    sections.wordVectors !== expected.wordVectors ||
    sections.bucketVectors !== expected.bucketVectors ||
    sections.bucketCounts !== expected.bucketCounts ||
    start + dataBytes !== body.length
  ) {
    return corrupt('section sizes disagree with the header');
  }
  const vectors = new Float32Array(view(buf, start, expected.wordVectors));
  const bucketVectors = new Float32Array(
    view(buf, start + expected.wordVectors, expected.bucketVectors),
  );
  const counts = new Uint32Array(
    view(buf, start + expected.wordVectors + expected.bucketVectors, expected.bucketCounts),
  );
  return {
    ok: true,
    table: {
      source: header.source,
      dims,
      words,
      vectors,
      subwords: { ...subwords, dims, vectors: bucketVectors, counts },
    },
  };
}
