/**
 * Distributed scoring benchmark: the Home Depot file (74,067 pairs) through the default bundle (runs/default,
 * built when missing) three ways in the same run: `scoreFile` in this process (2 scoring threads, the CLI's
 * default), and `queueScoreFile` on 1 and on 2 `gradeshift worker` processes (one onnxruntime session each) on a
 * private redis-server. Each path twice: the first pass cold (workers load the input and the bundle on their first
 * chunk), the second warm. Queue overhead per chunk (1 worker) = (wall time from queuing to the last chunk back −
 * the sum of the worker's in-chunk times) ÷ chunks: enqueueing, the lock, taking the next job, the completion event.
 *
 *   npm run bench -- distributed      (CHUNK=<pairs> for another chunk size, default 4096; BUNDLE=<dir> for
 *                                      another bundle than runs/default/bundle)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { queueScoreFile, scoreFile } from '@gradeshift/pipeline';
import { startRedisServer } from '@gradeshift/pipeline/testing';

import { ensureBundle } from './scoring';

const REPO_ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'apps/cli/bin/gradeshift.js');
const DATA = resolve(REPO_ROOT, '../shared/data/homedepot/train.csv');
const LOAD = { columns: { id: 'id', query: 'search_term', item: 'product_title' } };

interface Worker {
  readonly child: ChildProcess;
  /** The in-chunk times logged so far, in ms. */
  readonly chunkMs: number[];
}

function startWorker(url: string): Promise<Worker> {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const chunkMs: number[] = [];
  return new Promise((ready) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      for (const m of text.matchAll(/ in (\d+) ms/g)) chunkMs.push(Number(m[1]));
      if (text.includes('worker ready')) ready({ child, chunkMs });
    });
  });
}

async function stopWorker(w: Worker): Promise<void> {
  const done = new Promise((r) => w.child.once('exit', r));
  w.child.kill('SIGTERM');
  await done;
}

/**
 * Runs the suite.
 * @param opts - log sink
 */
export async function runDistributedBench(opts: { log: (line: string) => void }): Promise<void> {
  const { log } = opts;
  const modelDir = process.env['BUNDLE'] ?? (await ensureBundle(log));
  const chunkPairs = Number(process.env['CHUNK'] ?? 4096);
  const dir = mkdtempSync(join(tmpdir(), 'gradeshift-bench-queue-'));
  const redis = await startRedisServer();
  const load0 = loadavg()[0] ?? 0;
  const rows: string[] = [];
  try {
    for (let pass = 1; pass <= 2; pass++) {
      const t0 = performance.now();
      const { pairs } = await scoreFile({
        modelDir,
        path: DATA,
        load: LOAD,
        out: join(dir, 'single.jsonl'),
      });
      const ms = performance.now() - t0;
      rows.push(
        `| single process, 2 scoring threads | ${pass === 1 ? 'cold' : 'warm'} | ${pairs} | | ${Math.round(ms)} | ${Math.round(pairs / (ms / 1000))} | | |`,
      );
    }
    for (const k of [1, 2]) {
      const workers = await Promise.all(Array.from({ length: k }, () => startWorker(redis.url)));
      try {
        for (let pass = 1; pass <= 2; pass++) {
          for (const w of workers) w.chunkMs.length = 0;
          const t0 = performance.now();
          const r = await queueScoreFile({
            modelDir,
            path: DATA,
            load: LOAD,
            out: join(dir, `q${k}.jsonl`),
            url: redis.url,
            chunkPairs,
          });
          const ms = performance.now() - t0;
          const inChunks = workers.flatMap((w) => w.chunkMs).reduce((a, b) => a + b, 0);
          const overhead = k === 1 ? ((r.queuedMs - inChunks) / r.chunks).toFixed(1) : '';
          const readMerge = Math.round(ms - r.queuedMs);
          rows.push(
            `| queue, ${k} worker${k > 1 ? 's' : ''} × 1 session | ${pass === 1 ? 'cold' : 'warm'} | ${r.pairs} | ${r.chunks} | ${Math.round(ms)} | ${Math.round(r.pairs / (ms / 1000))} | ${overhead} | ${readMerge} |`,
          );
        }
      } finally {
        await Promise.all(workers.map(stopWorker));
      }
    }
  } finally {
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  log(
    `load average at start ${load0.toFixed(2)}, at end ${(loadavg()[0] ?? 0).toFixed(2)} (shared machine); chunk ${chunkPairs} pairs`,
  );
  log(
    '| path | pass | pairs | chunks | ms (read → written file) | pairs/s | queue overhead per chunk, ms | producer read + merge, ms |',
  );
  log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) log(row);
}
