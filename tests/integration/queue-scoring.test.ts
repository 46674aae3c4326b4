/**
 * Distributed scoring end to end on a real redis-server: a bundle trained with the CLI on a 3,000-row slice of
 * the Home Depot file, then 1,000,000 synthetic pairs built from its vocabulary (GRADESHIFT_QUEUE_PAIRS to change
 * the size) scored once by `gradeshift score` in one process and once by `score --queue` on three
 * `gradeshift worker` processes, one of which is killed with SIGKILL while it holds a chunk. The merged file must
 * be complete, every pair once and in input order, and byte-identical (sha256) to the single-process file; the
 * killed worker's chunk must have been scored again by another worker (stalled-job check: --lock-ms 5000,
 * --stalled-ms 2000 here), and the others must stop cleanly on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { hasRedisServer, startRedisServer, type RedisServer } from '@gradeshift/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HOMEDEPOT_SOURCE, REPO_ROOT, writeHomeDepotSlice } from './home-depot-slice';
import { prepareSliceArgs, step } from './run-gradeshift';
import { homeDepotVocabulary, writeSyntheticPairs } from './synthetic-pairs';

const PAIRS = Number(process.env['GRADESHIFT_QUEUE_PAIRS'] ?? 1_000_000);
const BIN = join(REPO_ROOT, 'apps/cli/bin/gradeshift.js');
const why = !hasRedisServer()
  ? ' (skipped: redis-server is not installed; apt-get install redis-server)'
  : !existsSync(HOMEDEPOT_SOURCE)
    ? ` (skipped: ${HOMEDEPOT_SOURCE} is missing: the shared data folder must sit beside the checkout)`
    : '';

/** A `gradeshift` process in its own process group, its stderr kept. */
interface Spawned {
  readonly child: ChildProcess;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnGradeshift(cwd: string, args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    detached: true,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => err, exited };
}

async function until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The `id` of every row, in file order. */
async function rowIds(path: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity }))
    ids.push(/^\{"id":"([^"]*)"/.exec(line)?.[1] ?? '?');
  return ids;
}

const taken = (log: string) => [...log.matchAll(/chunk (\S+): pairs \S+ taken/g)].map((m) => m[1]);
const finished = (log: string) =>
  [...log.matchAll(/chunk (\S+): pairs \S+ in \d+ ms/g)].map((m) => m[1]);

describe.skipIf(why !== '')(`score --queue with three workers, one killed${why}`, () => {
  let dir: string;
  let redis: RedisServer;
  const scoreArgs = ['--model', 'run/bundle', '--data', 'pairs.csv', '--query-col', 'query'];
  const columns = [...scoreArgs, '--item-col', 'title', '--id-col', 'id'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-queue-'));
    await writeHomeDepotSlice(dir, 3000);
    await step(dir, prepareSliceArgs('run'));
    await step(dir, ['train', '--run', 'run', '--epochs', '1']);
    await step(dir, ['export', '--run', 'run', '--resamples', '20']);
    await writeSyntheticPairs(
      join(dir, 'pairs.csv'),
      await homeDepotVocabulary(HOMEDEPOT_SOURCE),
      PAIRS,
    );
    redis = await startRedisServer();
  }, 600_000);
  afterAll(async () => {
    await redis?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('merges a complete file, byte-identical to one process, after a worker is killed mid-chunk', async () => {
    await step(dir, ['score', ...columns, '--out', 'single.jsonl']);
    const timing = ['--lock-ms', '5000', '--stalled-ms', '2000'];
    const workers = [0, 1, 2].map(() =>
      spawnGradeshift(dir, ['worker', '--queue', redis.url, ...timing]),
    );
    try {
      const producer = spawnGradeshift(dir, [
        'score',
        '--queue',
        redis.url,
        ...columns,
        '--out',
        'queued.jsonl',
        '--chunk',
        '16384',
      ]);
      const [victim, ...others] = workers as [Spawned, Spawned, Spawned];
      // Killed while it holds its second chunk: it has finished one, taken another, and not finished that.
      await until(
        () => taken(victim.stderr()).length >= 2,
        1_200_000,
        'the victim to take a second chunk',
      );
      const inHand = taken(victim.stderr()).at(-1);
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const done = await producer.exited;
      expect(done.code, producer.stderr()).toBe(0);
      expect(producer.stderr()).toMatch(
        new RegExp(`${PAIRS} pairs scored in \\d+ chunks on the queue`),
      );
      expect(finished(victim.stderr())).not.toContain(inHand);
      expect(others.flatMap((w) => finished(w.stderr()))).toContain(inHand);
      for (const w of others) w.child.kill('SIGTERM');
      for (const w of others) {
        expect(await w.exited).toEqual({ code: null, signal: 'SIGTERM' });
        expect(w.stderr()).toMatch(/worker stopped after \d+ chunks/);
      }
    } finally {
      for (const w of workers)
        if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    }
    const ids = await rowIds(join(dir, 'queued.jsonl'));
    expect(ids).toHaveLength(PAIRS);
    expect(ids.every((id, i) => id === `p${i}`)).toBe(true);
    expect(await sha256(join(dir, 'queued.jsonl'))).toBe(await sha256(join(dir, 'single.jsonl')));
    expect(existsSync(join(dir, 'queued.jsonl.parts'))).toBe(false);
  }, 3_600_000);
});
