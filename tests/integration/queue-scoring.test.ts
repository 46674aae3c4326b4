/**
 * Distributed scoring end to end on a real redis-server: a bundle trained with the CLI on a 3,000-row slice of
 * the Home Depot file, then 1,000,000 synthetic pairs built from its vocabulary (GRADESHIFT_QUEUE_PAIRS to change
 * the size) scored once by `gradeshift score` in one process and once by `score --queue` on three
 * `gradeshift worker` processes, one of which is killed with SIGKILL while it holds a chunk. The merged file must
 * be complete, every pair once and in input order, and byte-identical (sha256) to the single-process file; the
 * killed worker's chunk must have been scored again by another worker (stalled-job check: --lock-ms 5000,
 * --stalled-ms 2000 here), and the others must stop cleanly on SIGTERM. Run as root, each worker runs in its own
 * network namespace whose only link leads to Redis (checked: the host's loopback Redis port is unreachable from
 * inside), so the workers need nothing but the queue and the shared folder; elsewhere they run on the host, and
 * the test says so on stderr. Memory is bounded: the producer streams the file and merges one chunk at a time, a
 * worker reads its chunk's bytes alone with a bounded featuriser memo, so each one's peak RSS (getrusage, printed as
 * it ends) stays under {@link PEAK_RSS_MB} at a million pairs (the single-process `gradeshift score` holds the whole
 * file; before this, the producer and each worker held it too: about 0.5 and 1.5 GB).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { hasRedisServer, startRedisServer, type RedisServer } from '@gradeshift/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HOMEDEPOT_SOURCE, writeHomeDepotSlice } from './home-depot-slice';
import { prepareSliceArgs, spawnGradeshift, step, type Spawned } from './run-gradeshift';
import { createWorkerNamespaces, type WorkerNamespace } from './netns';
import { homeDepotVocabulary, writeSyntheticPairs } from './synthetic-pairs';

const PAIRS = Number(process.env['GRADESHIFT_QUEUE_PAIRS'] ?? 1_000_000);
/** 16,384 pairs per chunk (62 chunks of the million), fewer for a smaller run so it still has about 30. */
const CHUNK = String(Math.min(16_384, Math.max(128, Math.floor(PAIRS / 30 / 128) * 128)));
/**
 * The bounds on the producer's and each worker's peak RSS, in MB. Each process starts at about 250–300 MB (Node
 * with tsx, onnxruntime, the bundle: 177 MB for the producer, 287–289 MB for the workers at 30,000 pairs); a worker
 * adds one chunk, its featuriser memo (8,192 texts, about 6 KB each) and the garbage its chunks leave between
 * collections, whatever the number of pairs (476–484 MB at a million pairs, one chunk of 16,384 after another,
 * against 1.5 GB when a worker held the whole input); the producer adds the ids it has seen (an id column is mapped
 * here, about 100 bytes each: that part grows with the file; 304 MB at a million) and nothing for the merge.
 */
const PEAK_RSS_MB = { producer: 450, worker: 600 } as const;
const peakRss = (log: string): number => Number(/peak RSS (\d+) MB/.exec(log)?.[1] ?? NaN);
const why = !hasRedisServer()
  ? ' (skipped: redis-server is not installed; apt-get install redis-server)'
  : !existsSync(HOMEDEPOT_SOURCE)
    ? ` (skipped: ${HOMEDEPOT_SOURCE} is missing: the shared data folder must sit beside the checkout)`
    : '';

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
  let namespaces: WorkerNamespace[] = [];
  let removeNamespaces = (): void => undefined;
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
    const netns = createWorkerNamespaces(3);
    if ('reason' in netns)
      process.stderr.write(
        `queue workers run on the host network (no namespaces: ${netns.reason})\n`,
      );
    else ({ namespaces, remove: removeNamespaces } = netns);
    redis = await startRedisServer(namespaces.map((n) => n.hostAddress));
  }, 600_000);
  afterAll(async () => {
    await redis?.stop();
    removeNamespaces();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each worker namespace the queue on its link and not the host loopback', () => {
    if (namespaces.length === 0) return; // on the host network: nothing to isolate (said on stderr)
    const probe = (ns: WorkerNamespace, host: string): string => {
      const script = `const s = require('net').connect(${redis.port}, '${host}'); s.on('connect', () => s.write('PING\\r\\n')).on('data', (d) => { console.log(String(d).trim()); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); })`;
      const [command = '', ...rest] = [...ns.exec, process.execPath, '-e', script];
      return spawnSync(command, rest, { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
    };
    for (const ns of namespaces) {
      expect(probe(ns, ns.hostAddress)).toBe('+PONG');
      expect(probe(ns, '127.0.0.1')).toBe('ECONNREFUSED');
    }
  });

  it('merges a complete file, byte-identical to one process, after a worker is killed mid-chunk', async () => {
    await step(dir, ['score', ...columns, '--out', 'single.jsonl']);
    const timing = ['--lock-ms', '5000', '--stalled-ms', '2000'];
    const workers = [0, 1, 2].map((i) => {
      const ns = namespaces[i];
      if (ns === undefined)
        return spawnGradeshift(dir, ['worker', '--queue', redis.url, ...timing]);
      const url = `redis://${ns.hostAddress}:${redis.port}`;
      return spawnGradeshift(dir, ['worker', '--queue', url, ...timing], ns.exec);
    });
    let producerLog = '';
    try {
      const producer = spawnGradeshift(dir, [
        'score',
        '--queue',
        redis.url,
        ...columns,
        '--out',
        'queued.jsonl',
        '--chunk',
        CHUNK,
      ]);
      const [victim, ...others] = workers as [Spawned, Spawned, Spawned];
      // Killed while it holds its second chunk: it has finished one, taken another, and not finished that.
      await until(
        () => {
          const gone = [...workers, producer].find((w) => w.child.exitCode !== null);
          if (gone !== undefined) throw new Error(`a process ended early:\n${gone.stderr()}`);
          return taken(victim.stderr()).length >= 2;
        },
        1_200_000,
        'the victim to take a second chunk',
      );
      const inHand = taken(victim.stderr()).at(-1);
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
      const done = await producer.exited;
      producerLog = producer.stderr();
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
    const logs = [producerLog, ...workers.slice(1).map((w) => w.stderr())];
    const ids = await rowIds(join(dir, 'queued.jsonl'));
    expect(ids).toHaveLength(PAIRS);
    expect(ids.every((id, i) => id === `p${i}`)).toBe(true);
    expect(await sha256(join(dir, 'queued.jsonl'))).toBe(await sha256(join(dir, 'single.jsonl')));
    expect(existsSync(join(dir, 'queued.jsonl.parts'))).toBe(false);
    // Memory last, so a run over the bound still reports the rest.
    const peaks = logs.map(peakRss);
    process.stderr.write(
      `peak RSS (MB): producer ${peaks[0]}, workers ${peaks.slice(1).join(', ')}\n`,
    );
    expect(peaks[0]).toBeLessThan(PEAK_RSS_MB.producer);
    for (const peak of peaks.slice(1)) expect(peak).toBeLessThan(PEAK_RSS_MB.worker);
  }, 3_600_000);
});
