/**
 * Evaluation on the queue against a real redis-server (Debian's, on a free loopback port per file): two in-process
 * workers score a labelled file in chunks, and report.json (run id, name and time aside), predictions.jsonl and
 * the metrics are those of the in-process `evaluateBundle` on the same bundle and file; a bad file or label stops
 * the producer with file:line: reason before any job is queued. (`tests/integration/queue-evaluate.test.ts` runs
 * the same comparison through the CLI with `gradeshift worker` processes.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createSmallBundle } from '../bundle/test-fixtures';
import { writeBundle } from '../bundle/write-bundle';
import { loadDataSource } from '../data/load-data-source';
import { evaluateBundle } from '../pipeline/evaluate-bundle';
import { openRunStore } from '../store/run-store';
import type { DataSource } from '../pipeline/types';
import { queueEvaluateBundle } from './queue-evaluate-bundle';
import { openRedis, SCORE_QUEUE_NAME } from './queue-settings';
import { hasRedisServer, startRedisServer, type RedisServer } from './redis-server';
import { runChunkWorker } from './run-chunk-worker';

const present = hasRedisServer();
const skipped = present
  ? ''
  : ' (skipped: redis-server is not installed; apt-get install redis-server)';
const TIMING = { lockMs: 2000, stalledMs: 1000 };
const WORDS = ['angle', 'bracket', 'deck', 'paint', 'white', 'steel', 'rain', 'shower', 'head'];
const RATINGS = ['1', '1.33', '1.67', '2', '2.33', '2.67', '3'];

/** `n` judged pairs over 36 queries, each query's pairs spread across chunks. */
function judgedCsv(n: number): string {
  const lines = ['id,q,title,rating'];
  for (let i = 0; i < n; i++) {
    const query = `${WORDS[i % 9]} ${WORDS[(i * 7) % 9]} ${i % 4}`;
    const title = `${WORDS[(i * 3) % 9]} ${WORDS[(i * 11 + 1) % 9]} x${i % 13}`;
    lines.push(`p${i},${query},${title},${RATINGS[(i * 5) % 7]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** report.json without what differs between two runs of the same evaluation: the run's id, name and time. */
function reportFigures(outDir: string): unknown {
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as {
    run: Record<string, unknown>;
  };
  return { ...report, run: undefined };
}

describe.skipIf(!present)(`evaluation on a BullMQ queue${skipped}`, () => {
  let dir: string;
  let modelDir: string;
  let redis: RedisServer;
  const mapping = (path: string): DataSource => ({
    path,
    columns: { id: 'id', query: 'q', item: 'title', label: 'rating' },
    grades: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-queue-evaluate-'));
    const small = createSmallBundle(5);
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

  it('gives the in-process report, predictions and metrics, scored by two workers', async () => {
    const path = join(dir, 'judged.csv');
    writeFileSync(path, judgedCsv(1000));
    const data = mapping(path);
    const settings = { resamples: 200, seed: 3 };
    const dataset = await loadDataSource(data, { repoRoot: dir });
    const single = await evaluateBundle({
      model: modelDir,
      dataset,
      outDir: join(dir, 'single'),
      threads: 0,
      ...settings,
    });
    const stop = new AbortController();
    const workers = [0, 1].map(() =>
      runChunkWorker({ url: redis.url, signal: stop.signal, timing: TIMING }),
    );
    const queued = await queueEvaluateBundle({
      modelDir,
      data,
      repoRoot: dir,
      url: redis.url,
      chunkPairs: 128,
      outDir: join(dir, 'queued'),
      storePath: join(dir, 'runs.sqlite'),
      ...settings,
    });
    stop.abort();
    const done = await Promise.all(workers);
    expect(done.reduce((a, d) => a + d.chunks, 0)).toBe(8);
    expect(queued).toMatchObject({ pairs: 1000, chunks: 8, queries: single.queries });
    expect(queued.metrics).toEqual(single.metrics);
    expect(queued.ood).toEqual(single.ood);
    expect(Object.keys(queued.ood).length).toBeGreaterThan(0);
    expect(queued.metrics.rmse.value).toBeGreaterThan(0);
    expect(reportFigures(join(dir, 'queued'))).toEqual(reportFigures(join(dir, 'single')));
    expect(readFileSync(join(dir, 'queued', 'predictions.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'single', 'predictions.jsonl'), 'utf8'),
    );
    expect(queued.runId).toMatch(/./);
    expect(existsSync(join(dir, 'queued', 'parts'))).toBe(false);
  });

  it('takes its chunks off the queue and records the run interrupted when aborted', async () => {
    const path = join(dir, 'aborted.csv');
    writeFileSync(path, judgedCsv(600));
    const stop = new AbortController();
    const storePath = join(dir, 'aborted.sqlite');
    const producer = queueEvaluateBundle({
      modelDir,
      data: mapping(path),
      repoRoot: dir,
      url: redis.url,
      chunkPairs: 128,
      outDir: join(dir, 'aborted'),
      storePath,
      signal: stop.signal,
    });
    const connection = await openRedis(redis.url);
    const queue = new Queue(SCORE_QUEUE_NAME, { connection });
    try {
      for (let i = 0; i < 100 && (await queue.getWaitingCount()) < 5; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(await queue.getWaitingCount()).toBe(5);
      stop.abort();
      await expect(producer).rejects.toThrow(/interrupted while waiting for the queue/);
      expect(await queue.getWaitingCount()).toBe(0);
    } finally {
      await queue.close();
      await connection.quit();
    }
    const store = openRunStore(storePath, { readonly: true });
    try {
      expect(store.listRuns().map((r) => r.status)).toEqual(['interrupted']);
    } finally {
      store.close();
    }
  });

  it('stops while it reads the file: nothing queued, no run recorded', async () => {
    const path = join(dir, 'long.csv');
    writeFileSync(path, judgedCsv(40_000));
    const stop = new AbortController();
    const storePath = join(dir, 'read-aborted.sqlite');
    let afterAbort = 0;
    const connection = await openRedis(redis.url);
    const queue = new Queue(SCORE_QUEUE_NAME, { connection });
    try {
      const before = await queue.getJobCounts();
      await expect(
        queueEvaluateBundle({
          modelDir,
          data: mapping(path),
          repoRoot: dir,
          url: redis.url,
          outDir: join(dir, 'read-aborted'),
          storePath,
          signal: stop.signal,
          // Ctrl-C at the first report of rows read: the reading stops at its next report.
          progress: (event) => {
            if (event.stage !== 'load') return;
            if (stop.signal.aborted) afterAbort++;
            stop.abort();
          },
        }),
      ).rejects.toThrow(/abort/i);
      expect(afterAbort).toBe(0);
      expect(await queue.getJobCounts()).toEqual(before);
    } finally {
      await queue.close();
      await connection.quit();
    }
    if (existsSync(storePath)) {
      const store = openRunStore(storePath, { readonly: true });
      try {
        expect(store.listRuns()).toEqual([]);
      } finally {
        store.close();
      }
    }
  });

  it.each([
    ['a missing label column', 'id,q,title\np1,deck,white paint\n', /nolabel\.csv.*rating/],
    ['a label that is no number', 'id,q,title,rating\np1,a,b,2\np2,a,c,high\n', /nolabel\.csv:3/],
  ])('stops on %s with file and line before queueing anything', async (_, text, message) => {
    const path = join(dir, 'nolabel.csv');
    writeFileSync(path, text);
    const connection = await openRedis(redis.url);
    const queue = new Queue(SCORE_QUEUE_NAME, { connection });
    try {
      const before = await queue.getJobCounts();
      await expect(
        queueEvaluateBundle({
          modelDir,
          data: mapping(path),
          repoRoot: dir,
          url: redis.url,
          outDir: join(dir, 'bad'),
        }),
      ).rejects.toThrow(message);
      expect(await queue.getJobCounts()).toEqual(before);
      expect(existsSync(join(dir, 'bad'))).toBe(false);
    } finally {
      await queue.close();
      await connection.quit();
    }
  });

  it("refuses a grade outside the bundle's scale, naming file and line, before queueing", async () => {
    const path = join(dir, 'four.csv');
    writeFileSync(path, 'id,q,title,rating\np1,a,b,0\np2,a,c,3\n');
    await expect(
      queueEvaluateBundle({
        modelDir,
        data: {
          path,
          columns: { id: 'id', query: 'q', item: 'title', label: 'rating' },
          grades: { kind: 'values', grades: [['0'], ['1'], ['2'], ['3']] },
        },
        repoRoot: dir,
        url: redis.url,
        outDir: join(dir, 'four'),
      }),
    ).rejects.toThrow(/four\.csv:3: grade 3 is outside the bundle's 3 grades/);
    expect(existsSync(join(dir, 'four'))).toBe(false);
  });
});
