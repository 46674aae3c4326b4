/**
 * Distributed scoring against a real redis-server (Debian's, started on a free loopback port per file): two
 * in-process workers score a file in chunks, and the merged output is byte for byte the single-process
 * `scoreFile` output; a file changed behind the producer's back fails its chunks with the reason.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSmallBundle } from '../bundle/test-fixtures';
import { writeBundle } from '../bundle/write-bundle';
import { scoreFile } from '../pipeline/score-file';
import { checkChunkPairs } from './chunk-job';
import { queueScoreFile } from './queue-score-file';
import { openRedis, SCORE_QUEUE_NAME } from './queue-settings';
import { hasRedisServer, startRedisServer, type RedisServer } from './redis-server';
import { runChunkWorker } from './run-chunk-worker';

const present = hasRedisServer();
const skipped = present
  ? ''
  : ' (skipped: redis-server is not installed; apt-get install redis-server)';
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const TIMING = { lockMs: 2000, stalledMs: 1000 };

const WORDS = [
  'angle',
  'bracket',
  'deck',
  'paint',
  'white',
  'steel',
  'rain',
  'shower',
  'head',
  'over',
];

/** `n` pairs over 40 queries, the same query's pairs spread across chunks (ranks must join them). */
function pairsCsv(n: number): string {
  const lines = ['q,title'];
  for (let i = 0; i < n; i++) {
    const query = `${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} ${i % 4}`;
    const title = `${WORDS[(i * 3) % 10]} ${WORDS[(i * 11 + 1) % 10]} "x${i % 13}"`;
    lines.push(`${query},"${title.replaceAll('"', '""')}"`);
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!present)(`scoring on a BullMQ queue${skipped}`, () => {
  let dir: string;
  let modelDir: string;
  let redis: RedisServer;
  const load = { columns: { query: 'q', item: 'title' } };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-queue-'));
    const small = createSmallBundle(4);
    modelDir = writeBundle({
      dir: join(dir, 'bundle'),
      model: small.model,
      manifest: small.draft,
    }).dir;
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts a file on multiples of the model batch only', () => {
    expect(checkChunkPairs(256)).toBe(256);
    expect(() => checkChunkPairs(100)).toThrow(/multiple of 128/);
    expect(() => checkChunkPairs(0)).toThrow(/multiple of 128/);
  });

  it('merges the chunks of two workers into the single-process bytes', async () => {
    const path = join(dir, 'pairs.csv');
    writeFileSync(path, pairsCsv(1000));
    const single = join(dir, 'single.jsonl');
    await scoreFile({ modelDir, path, load, out: single, threads: 0 });
    const stop = new AbortController();
    const logs: number[] = [];
    const workers = [0, 1].map(() =>
      runChunkWorker({
        url: redis.url,
        signal: stop.signal,
        timing: TIMING,
        onChunk: (e) => logs.push(e.end - e.start),
      }),
    );
    const out = join(dir, 'queued.jsonl');
    const events: { stage: string; done?: number; message: string }[] = [];
    const result = await queueScoreFile({
      modelDir,
      path,
      load,
      out,
      url: redis.url,
      chunkPairs: 128,
      progress: (e) => events.push(e),
    });
    stop.abort();
    const done = await Promise.all(workers);
    expect(result).toMatchObject({ pairs: 1000, skipped: 0, chunks: 8 });
    expect(sha(out)).toBe(sha(single));
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(1001);
    expect(done.reduce((a, d) => a + d.chunks, 0)).toBe(8);
    expect(logs.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(events.filter((e) => e.stage === 'score').at(-1)).toMatchObject({
      done: 1000,
      message: 'scoring on the queue, 8/8 chunks',
    });
    expect(existsSync(`${out}.parts`)).toBe(false);
  });

  it('fails a chunk, naming the file, when its bytes changed after the producer read them', async () => {
    const path = join(dir, 'moving.csv');
    writeFileSync(path, pairsCsv(300));
    const stop = new AbortController();
    const failures: string[] = [];
    const producer = queueScoreFile({
      modelDir,
      path,
      load,
      out: join(dir, 'moving.jsonl'),
      url: redis.url,
      chunkPairs: 128,
      progress: (e) => {
        // Once the producer has read the file, change it before any worker starts.
        if (e.stage === 'load' && failures.length === 0) {
          failures.push('changed');
          writeFileSync(path, pairsCsv(300).replace('angle', 'ANGLE'));
        }
      },
    });
    const worker = runChunkWorker({
      url: redis.url,
      signal: stop.signal,
      timing: TIMING,
      onChunk: (e) => e.error !== undefined && failures.push(e.error),
    });
    await expect(producer).rejects.toThrow(
      /failed: .*moving\.csv changed since the producer read it/,
    );
    stop.abort();
    await worker;
    expect(failures.slice(1).every((f) => f.includes('changed since'))).toBe(true);
  });

  it('takes its chunks off the queue when aborted before any worker came', async () => {
    const path = join(dir, 'aborted.csv');
    writeFileSync(path, pairsCsv(600));
    const stop = new AbortController();
    const producer = queueScoreFile({
      modelDir,
      path,
      load,
      out: join(dir, 'aborted.jsonl'),
      url: redis.url,
      chunkPairs: 128,
      signal: stop.signal,
    });
    const redisClient = await openRedis(redis.url);
    const queue = new Queue(SCORE_QUEUE_NAME, { connection: redisClient });
    try {
      for (let i = 0; i < 100 && (await queue.getWaitingCount()) < 5; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await queue.getWaitingCount()).toBe(5);
      stop.abort();
      await expect(producer).rejects.toThrow(/interrupted while waiting for the queue/);
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      await queue.close();
      await redisClient.quit();
    }
  });

  it('says which Redis it cannot reach', async () => {
    await expect(
      queueScoreFile({
        modelDir,
        path: 'x.csv',
        load,
        out: join(dir, 'x.jsonl'),
        url: 'redis://127.0.0.1:1',
      }),
    ).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1 .*is redis-server running\?/);
    await expect(
      queueScoreFile({ modelDir, path: 'x.csv', load, out: join(dir, 'x.jsonl'), url: 'http://x' }),
    ).rejects.toThrow(/--queue must be a redis:\/\/ URL/);
  });
});
