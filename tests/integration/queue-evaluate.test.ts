/**
 * `gradeshift evaluate --queue` end to end on a real redis-server with two `gradeshift worker` processes: a
 * bundle trained with the CLI on a 3,000-row slice of the Home Depot file evaluates the first 4,000 rows (labels
 * on the homedepot preset's scale) once in one process and once with its scoring on the queue (chunks of 512
 * pairs). report.json (its run id, name and time aside) and predictions.jsonl must be the same, the printed metric
 * table too; a file with a bad label stops the producer with file:line before any chunk is queued.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { hasRedisServer, startRedisServer, type RedisServer } from '@gradeshift/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HOMEDEPOT_SOURCE, headLines, writeHomeDepotSlice } from './home-depot-slice';
import {
  gradeshift,
  prepareSliceArgs,
  spawnGradeshift,
  step,
  type Spawned,
} from './run-gradeshift';

const why = !hasRedisServer()
  ? ' (skipped: redis-server is not installed; apt-get install redis-server)'
  : !existsSync(HOMEDEPOT_SOURCE)
    ? ` (skipped: ${HOMEDEPOT_SOURCE} is missing: the shared data folder must sit beside the checkout)`
    : '';

/** report.json without what differs between two runs of one evaluation: the run's id, name and seconds. */
function reportFigures(outDir: string): unknown {
  const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as {
    run: Record<string, unknown>;
  };
  return { ...report, run: undefined };
}

/** The metric table and OOD lines an evaluation prints (the lines naming files, run and chunks aside). */
const printedFigures = (stdout: string): string[] =>
  stdout.split('\n').filter((line) => !/pairs scored|^wrote |^recorded as run/.test(line));

const chunksTaken = (log: string): number => [...log.matchAll(/ taken\n/g)].length;

describe.skipIf(why !== '')(`evaluate --queue with two worker processes${why}`, () => {
  let dir: string;
  let redis: RedisServer;
  let workers: Spawned[] = [];
  const evaluate = ['evaluate', '--model', 'run/bundle', '--preset', 'homedepot'];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-queue-evaluate-'));
    await writeHomeDepotSlice(dir, 3000);
    await step(dir, prepareSliceArgs('run'));
    await step(dir, ['train', '--run', 'run', '--epochs', '1']);
    await step(dir, ['export', '--run', 'run', '--resamples', '20']);
    writeFileSync(join(dir, 'eval.csv'), await headLines(HOMEDEPOT_SOURCE, 4001));
    redis = await startRedisServer();
    workers = [0, 1].map(() => spawnGradeshift(dir, ['worker', '--queue', redis.url]));
    for (const w of workers)
      for (let i = 0; i < 600 && !w.stderr().includes('worker ready'); i++)
        await new Promise((r) => setTimeout(r, 100));
  }, 900_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await redis?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the in-process report and predictions, its pairs scored by the workers', async () => {
    const data = ['--data', 'eval.csv', '--resamples', '200', '--seed', '7'];
    const single = await step(dir, [...evaluate, ...data, '--out', 'runs/single']);
    const queued = await step(dir, [
      ...evaluate,
      ...data,
      '--queue',
      redis.url,
      '--chunk',
      '512',
      '--out',
      'runs/queued',
    ]);
    expect(queued.stdout).toMatch(/^4000 pairs scored in 8 chunks on the queue/);
    expect(workers.map((w) => chunksTaken(w.stderr())).reduce((a, b) => a + b, 0)).toBe(8);
    expect(printedFigures(queued.stdout)).toEqual(printedFigures(single.stdout));
    expect(reportFigures(join(dir, 'runs/queued'))).toEqual(
      reportFigures(join(dir, 'runs/single')),
    );
    expect(readFileSync(join(dir, 'runs/queued/predictions.jsonl'), 'utf8')).toBe(
      readFileSync(join(dir, 'runs/single/predictions.jsonl'), 'utf8'),
    );
    expect(existsSync(join(dir, 'runs/queued/parts'))).toBe(false);
  }, 900_000);

  it('stops on a bad label with file:line before queueing a chunk', async () => {
    const lines = (await headLines(HOMEDEPOT_SOURCE, 301)).split('\n');
    // Line 5 of the file: its relevance (the last field) made unreadable.
    lines[4] = lines[4]?.replace(/,[0-9.]+$/, ',high') ?? '';
    writeFileSync(join(dir, 'bad.csv'), lines.join('\n'));
    const before = workers.map((w) => chunksTaken(w.stderr()));
    const out = await gradeshift(dir, [
      ...evaluate,
      '--data',
      'bad.csv',
      '--queue',
      redis.url,
      '--out',
      'runs/bad',
    ]);
    expect(out.code).toBe(65);
    expect(out.stderr).toMatch(/bad\.csv:5/);
    await new Promise((r) => setTimeout(r, 500));
    expect(workers.map((w) => chunksTaken(w.stderr()))).toEqual(before);
  }, 120_000);
});
