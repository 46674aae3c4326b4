import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  embeddingCacheKey,
  embeddingCachePath,
  readEmbeddingCache,
  writeEmbeddingCache,
} from './embedding-cache';
import { loadEmbeddingTable } from './load-embedding-table';
import { deriveSubwordVectors } from './subword-vectors';
import { writeWinkFixture } from './test-fixtures';
import type { EmbeddingTable } from './types';

const ENTRIES = [
  ['angle', [0.5, -1, 2]],
  ['bracket', [1, 0, 0.25]],
  ['shower', [0, 1, 0]],
  ['head', [-2, 0.5, 1]],
] as const;
const SUBWORDS = { buckets: 97, minN: 3, maxN: 5, maxWordsPerBucket: 8 };
const SOURCE = { name: 'test', version: '1' };

function sampleTable(): EmbeddingTable {
  const words = {
    dims: 3,
    words: ENTRIES.map(([w]) => w),
    vectors: Float32Array.from(ENTRIES.flatMap(([, v]) => v)),
  };
  return { ...words, source: SOURCE, subwords: deriveSubwordVectors(words, SUBWORDS) };
}

describe('embedding cache file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-embcache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const key = embeddingCacheKey({
    source: SOURCE,
    vocabulary: ['angle', 'bracket'],
    subwords: SUBWORDS,
  });

  it('round-trips a table, atomically, into a new directory', () => {
    const table = sampleTable();
    const path = join(dir, 'nested', 'cache.bin');
    writeEmbeddingCache(path, table, key);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['cache.bin']);
    const back = readEmbeddingCache(path, key);
    expect(back).toEqual({ ok: true, table });
  });

  it('keys on the sorted distinct vocabulary, the source and the sub-word settings', () => {
    expect(
      embeddingCacheKey({
        source: SOURCE,
        vocabulary: ['bracket', 'angle', 'angle'],
        subwords: SUBWORDS,
      }),
    ).toBe(key);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    for (const other of [
      embeddingCacheKey({ source: SOURCE, vocabulary: ['angle'], subwords: SUBWORDS }),
      embeddingCacheKey({
        source: { name: 'test', version: '2' },
        vocabulary: ['angle', 'bracket'],
        subwords: SUBWORDS,
      }),
      embeddingCacheKey({
        source: SOURCE,
        vocabulary: ['angle', 'bracket'],
        subwords: { ...SUBWORDS, buckets: 98 },
      }),
    ]) {
      expect(other).not.toBe(key);
    }
    expect(embeddingCachePath('/c', { source: { name: 'a/b', version: '1.0' }, key })).toBe(
      `/c/a_b@1.0-${key.slice(0, 24)}.bin`,
    );
  });

  it('detects missing, truncated, modified and foreign files, and a different key', () => {
    const path = join(dir, 'cache.bin');
    expect(readEmbeddingCache(path, key)).toMatchObject({ ok: false, reason: 'missing' });
    writeEmbeddingCache(path, sampleTable(), key);
    const good = readFileSync(path);
    const variants: [string, Buffer][] = [
      ['truncated', good.subarray(0, good.length - 10)],
      ['cut to the header', good.subarray(0, 40)],
      ['empty', Buffer.alloc(0)],
      ['data byte flipped', Buffer.from(good).fill(0x55, good.length - 60, good.length - 59)],
      ['header byte flipped', Buffer.from(good).fill(0x20, 30, 31)],
      ['foreign', Buffer.from('not a cache file at all, but long enough to have a trailer......')],
    ];
    for (const [name, bytes] of variants) {
      writeFileSync(path, bytes);
      expect({ name, result: readEmbeddingCache(path, key) }).toMatchObject({
        name,
        result: { ok: false, reason: 'corrupt' },
      });
    }
    writeFileSync(path, good);
    expect(readEmbeddingCache(path, 'f'.repeat(64))).toMatchObject({ ok: false, reason: 'stale' });
    expect(readEmbeddingCache(path, key)).toMatchObject({ ok: true });
  });
});

describe('loadEmbeddingTable', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-embtable-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds from the wink file once, then serves the cache, and rebuilds a corrupt cache', async () => {
    const path = writeWinkFixture(dir, ENTRIES);
    const cacheDir = join(dir, 'cache');
    const options = {
      path,
      cacheDir,
      vocabulary: ['<pad>', '<unk>', 'angle', 'bracket', 'brakcet'],
      subwords: { buckets: 97, minN: 3, maxN: 5 },
    };
    const phases: string[] = [];
    const first = await loadEmbeddingTable({ ...options, onProgress: (p) => phases.push(p.phase) });
    expect(first).toMatchObject({
      fromCache: false,
      rebuildReason: 'missing',
      missing: ['<pad>', '<unk>', 'brakcet'],
    });
    expect(first.table.words).toEqual(['angle', 'bracket']);
    expect(phases).toContain('read');
    expect(readdirSync(cacheDir)).toHaveLength(1);

    phases.length = 0;
    const second = await loadEmbeddingTable({
      ...options,
      onProgress: (p) => phases.push(p.phase),
    });
    expect(second).toMatchObject({
      fromCache: true,
      cacheFile: first.cacheFile,
      missing: ['<pad>', '<unk>', 'brakcet'],
    });
    expect(second.table).toEqual(first.table);
    expect(phases).toEqual([]);

    const bytes = readFileSync(first.cacheFile);
    writeFileSync(first.cacheFile, bytes.subarray(0, bytes.length - 1));
    const third = await loadEmbeddingTable(options);
    expect(third).toMatchObject({ fromCache: false, rebuildReason: 'corrupt' });
    expect(third.table).toEqual(first.table);
    expect((await loadEmbeddingTable(options)).fromCache).toBe(true);
  });

  it('still returns the table when the cache cannot be written', async () => {
    const path = writeWinkFixture(dir, ENTRIES);
    const blocker = join(dir, 'file-not-dir');
    writeFileSync(blocker, 'x');
    const result = await loadEmbeddingTable({
      path,
      cacheDir: join(blocker, 'cache'),
      vocabulary: ['angle'],
      subwords: { buckets: 97, minN: 3, maxN: 5 },
    });
    expect(result.table.words).toEqual(['angle']);
    expect(result.cacheWriteError).toMatch(/ENOTDIR|EEXIST/);
  });
});
