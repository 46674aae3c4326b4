/**
 * Two API replicas on one PostgreSQL run store and one models, data and runs folder (each with its own SQLite
 * file, so nothing is shared through SQLite): a run created through one is listed by the other, a run name taken
 * on one is refused on the other, jobs and selections of one are read, exported and cancelled through the other,
 * a run the `gradeshift` CLI records with GRADESHIFT_STORE set is listed by both as soon as the command ends (no
 * copy period), and a `models.reload` on one is applied by the other within RELOAD_BOUND_MS, or, made while the
 * other's LISTEN connection was down (terminated, and kept from coming back until the reload is done), as soon as
 * that connection is back. Replica b connects as its own role, so its connections can be told apart and held off.
 * PostgreSQL is a throwaway cluster of Debian's binaries; the test is skipped, with a message, without them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openRunStoreBackend } from '@gradeshift/pipeline';
import {
  postgresBinDir,
  startPostgresCluster,
  type PostgresCluster,
} from '@gradeshift/pipeline/testing';

import type { RouterOutputs } from './index';
import { TEST_QUERIES, testItem, writeTestBundle } from './testing/create-test-bundle';
import { rejection, startTestServer, type TestServer } from './testing/test-server';

type Job = RouterOutputs['jobs']['get'];

/** The stated bound: a reload on one replica is served by the others within this time (README, "Replicas"). */
const RELOAD_BOUND_MS = 2000;
/** GRADESHIFT_STORE_SYNC_MS of both replicas: how often each copies its file's runs and marks its running jobs. */
const COPY_PERIOD_MS = 500;

const CSV_DATASET = {
  path: 'judged.csv',
  columns: { id: 'id', query: 'query', item: 'title', label: 'label' },
  grades: { kind: 'values' as const, grades: [['0'], ['1'], ['2']] },
};

const PG = postgresBinDir();
if (PG === undefined)
  process.stderr.write(
    'replica tests skipped: PostgreSQL is not installed (no /usr/lib/postgresql/*/bin; apt-get install postgresql)\n',
  );

/** Runs one statement as the cluster's superuser. @returns its rows */
async function admin(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function waitFor(server: TestServer, id: string): Promise<Job> {
  const client = server.client();
  for (let i = 0; i < 600; i++) {
    const job = await client.jobs.get.query({ id });
    if (job.status !== 'running') return job;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`job ${id} did not finish`);
}

async function evaluate(server: TestServer, name: string): Promise<string> {
  const started = await server.client().evaluate.mutate({
    dataset: CSV_DATASET,
    name,
    resamples: 20,
  });
  const job = await waitFor(server, started.id);
  if (job.kind !== 'evaluate' || job.result === null) throw new Error(job.error ?? 'no result');
  return job.result.runId;
}

describe.skipIf(PG === undefined)('two API replicas on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let a: TestServer;
  let b: TestServer;
  let bFileDir: string;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await admin(cluster.url, 'CREATE ROLE replica_b LOGIN SUPERUSER');
    const shared = {
      GRADESHIFT_STORE: cluster.url,
      GRADESHIFT_STORE_SYNC_MS: String(COPY_PERIOD_MS),
    };
    a = await startTestServer({ env: shared });
    bFileDir = mkdtempSync(join(tmpdir(), 'gradeshift-replica-b-'));
    const { models, data, runs } = a.dirs;
    b = await startTestServer({
      env: {
        ...shared,
        GRADESHIFT_STORE: cluster.url.replace('//postgres@', '//replica_b@'),
        GRADESHIFT_MODELS: `default=${join(models, 'default')},alt=${join(models, 'alt')}`,
        GRADESHIFT_MODELS_DIR: models,
        GRADESHIFT_DATA_DIR: data,
        GRADESHIFT_RUNS_DIR: runs,
        GRADESHIFT_RUN_STORE: join(bFileDir, 'runs.sqlite'),
      },
    });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    rmSync(bFileDir, { recursive: true, force: true });
    cluster?.stop();
  });

  it('says in its health which store it reads and which replica it is', async () => {
    const [ha, hb] = await Promise.all([a.client().health.query(), b.client().health.query()]);
    expect(ha.store.kind).toBe('postgres');
    expect(hb.store.kind).toBe('postgres');
    expect(ha.store.replica).not.toBe(hb.store.replica);
  });

  it('lists on each replica the runs evaluated through the other, as soon as the job is done', async () => {
    const fromA = await evaluate(a, 'from-a');
    const seen = await b.client().runs.get.query({ id: 'from-a' });
    expect(seen.run).toMatchObject({ id: fromA, kind: 'evaluate', status: 'succeeded' });
    expect(seen.metrics.length).toBeGreaterThan(5);
    expect(seen.report?.format).toBe('gradeshift-evaluation');
    expect(seen).toEqual(await a.client().runs.get.query({ id: fromA }));

    const fromB = await evaluate(b, 'from-b');
    const listed = await a.client().runs.list.query();
    expect(listed.map((r) => [r.id, r.name]).slice(0, 2)).toEqual([
      [fromB, 'from-b'],
      [fromA, 'from-a'],
    ]);
    expect(await b.client().runs.list.query()).toEqual(listed);
  });

  it("shows a run written into one replica's file (as the CLI writes) on the other within the copy period", async () => {
    const file = a.api.services.runs.store;
    const t0 = performance.now();
    const run = file.createRun({
      name: 'by-cli',
      kind: 'pipeline',
      outDir: join(a.dirs.runs, 'by-cli'),
      config: {},
    });
    let seen = await b.client().runs.list.query();
    while (!seen.some((r) => r.id === run.id) && performance.now() - t0 < 10_000) {
      await new Promise((done) => setTimeout(done, 20));
      seen = await b.client().runs.list.query();
    }
    const ms = performance.now() - t0;
    process.stderr.write(
      `run written into the file seen by the other replica after ${ms.toFixed(0)} ms\n`,
    );
    expect(ms).toBeLessThan(COPY_PERIOD_MS + 1000);
    file.finishRun(run.id, { status: 'failed', error: 'stopped' });
    for (let i = 0; i < 200; i++) {
      const got = await b.client().runs.get.query({ id: run.id });
      if (got.run.status === 'failed') break;
      await new Promise((done) => setTimeout(done, 20));
    }
    expect((await b.client().runs.get.query({ id: run.id })).run).toMatchObject({
      status: 'failed',
      error: 'stopped',
    });
  });

  it('lists a run the CLI recorded straight into PostgreSQL on both replicas, as soon as the command ends', () => {
    const bin = fileURLToPath(new URL('../../cli/bin/gradeshift.js', import.meta.url));
    const out = join(a.dirs.runs, 'cli-eval');
    const args = ['evaluate', '--model', join(a.dirs.models, 'default'), '--data'];
    const mapping = ['--query-col', 'query', '--item-col', 'title', '--label-col', 'label'];
    const cli = spawnSync(
      process.execPath,
      [
        bin,
        ...args,
        join(a.dirs.data, 'judged.csv'),
        ...mapping,
        ...['--values', '0:g0,1:g1,2:g2', '--resamples', '20', '--threads', '0'],
        ...['--out', out, '--json'],
      ],
      { encoding: 'utf8', env: { ...process.env, GRADESHIFT_STORE: cluster.url, NO_COLOR: '1' } },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const { runId } = JSON.parse(cli.stdout) as { runId: string };
    return (async () => {
      // No wait: the first read after the command ends lists the finished run, on either replica.
      const [onA, onB] = await Promise.all([
        a.client().runs.get.query({ id: runId }),
        b.client().runs.get.query({ id: runId }),
      ]);
      expect(onB.run).toMatchObject({ id: runId, kind: 'evaluate', status: 'succeeded' });
      expect(onB.metrics.length).toBeGreaterThan(5);
      expect(onA).toEqual(onB);
      // Not through the replica's SQLite file (which the CLI would write beside --out without the setting).
      expect(a.api.services.runs.store.path).toBe(join(a.dirs.runs, 'runs.sqlite'));
      expect(a.api.services.runs.store.getRun(runId)).toBeUndefined();
    })();
  });

  it('refuses on one replica a run name taken on the other', async () => {
    const error = await rejection(
      b.client().evaluate.mutate({ dataset: CSV_DATASET, name: 'from-a', resamples: 20 }),
    );
    expect(error.data?.httpStatus).toBe(409);
    expect(error.message).toContain('a run "from-a" already exists (succeeded)');
  });

  it('shows each replica the jobs and selections of the other, and cancels a job run by the other', async () => {
    const pool = Array.from({ length: 60 }, (_, i) => ({
      id: `pool-${i}`,
      query: TEST_QUERIES[i % TEST_QUERIES.length]!,
      item: testItem(5000 + i),
    }));
    const started = await a.client().select.mutate({ pool: { pairs: pool }, budget: 8, seed: 1 });
    // Recorded before the answer: the other replica knows the id at once.
    expect((await b.client().jobs.get.query({ id: started.id })).kind).toBe('select');
    const onA = await waitFor(a, started.id);
    expect(onA.status, onA.error ?? '').toBe('succeeded');
    expect(await b.client().jobs.get.query({ id: started.id })).toEqual(onA);
    for (const format of ['csv', 'jsonl'] as const)
      expect(await b.client().jobs.export.query({ id: started.id, format })).toEqual(
        await a.client().jobs.export.query({ id: started.id, format }),
      );
    const listed = await b.client().jobs.list.query();
    expect(listed.map((j) => j.id)).toContain(started.id);
    expect(await a.client().jobs.list.query()).toEqual(listed);

    const long = await a.client().evaluate.mutate({ dataset: CSV_DATASET, resamples: 10_000 });
    expect(await b.client().jobs.cancel.mutate({ id: long.id })).toEqual({ cancelled: true });
    const cancelled = await waitFor(a, long.id);
    expect(cancelled.status).toBe('cancelled');
    expect(await b.client().jobs.get.query({ id: long.id })).toEqual(cancelled);
    expect(await b.client().jobs.cancel.mutate({ id: long.id })).toEqual({ cancelled: false });
  });

  it('shows a job whose replica stopped answering as failed, after three marking periods', async () => {
    const other = await openRunStoreBackend(cluster.url);
    const ghost = {
      id: 'ghost-job',
      kind: 'evaluate',
      status: 'running',
      progress: { stage: 'scoring' },
      createdAt: new Date().toISOString(),
      finishedAt: null,
      result: null,
      error: null,
    };
    await other.putJob(ghost.id, ghost, 100);
    await other.close();
    expect((await b.client().jobs.get.query({ id: ghost.id })).status).toBe('running');
    const t0 = performance.now();
    let job = await b.client().jobs.get.query({ id: ghost.id });
    while (job.status === 'running' && performance.now() - t0 < 10_000) {
      await new Promise((done) => setTimeout(done, 50));
      job = await b.client().jobs.get.query({ id: ghost.id });
    }
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(
      /^the replica running this job stopped answering \(no sign of it for \d+ s\)$/,
    );
    expect(performance.now() - t0).toBeLessThan(3 * COPY_PERIOD_MS + 1000);
    expect(await a.client().jobs.cancel.mutate({ id: ghost.id })).toEqual({ cancelled: false });
  });

  it(`applies a reload on one replica to the other within ${RELOAD_BOUND_MS} ms`, async () => {
    await writeTestBundle({ dir: join(a.dirs.models, 'next'), seed: 9 });
    const delays: number[] = [];
    for (const [from, to, path] of [
      [a, b, 'next'],
      [b, a, 'default'],
      [a, b, 'next'],
      [b, a, 'default'],
      [a, b, 'next'],
    ] as const) {
      const reloaded = await from.client().models.reload.mutate({ id: 'default', path });
      const t0 = performance.now();
      const want = reloaded.model.sha256;
      let served = await to.client().models.get.query({ id: 'default' });
      while (served.sha256 !== want && performance.now() - t0 < 10_000) {
        await new Promise((done) => setTimeout(done, 5));
        served = await to.client().models.get.query({ id: 'default' });
      }
      delays.push(performance.now() - t0);
      expect(served.sha256).toBe(want);
      expect(served.path).toBe(path);
    }
    process.stderr.write(
      `reload seen by the other replica after (ms): ${delays.map((d) => d.toFixed(1)).join(', ')}\n`,
    );
    expect(Math.max(...delays)).toBeLessThan(RELOAD_BOUND_MS);
    const score = { query: 'deck', items: [{ id: 'x', text: 'deck paint' }] };
    const [sa, sb] = await Promise.all([
      a.client().score.mutate(score),
      b.client().score.mutate(score),
    ]);
    expect(sb.model.sha256).toBe(sa.model.sha256);
    expect(sb.items).toEqual(sa.items);
  });

  it('applies a reload made while its LISTEN connection was down once the connection is back', async () => {
    const served = async (server: TestServer) =>
      (await server.client().models.get.query({ id: 'default' })).sha256;
    const before = await served(b);
    const path = before === (await served(a)) ? 'alt-next' : 'next';
    await writeTestBundle({ dir: join(a.dirs.models, 'alt-next'), seed: 11 });
    // b's listening connection goes, and b cannot connect again until the reload on a is done: its notice is lost.
    await admin(cluster.url, 'ALTER ROLE replica_b NOLOGIN');
    const killed = await admin(
      cluster.url,
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE usename = 'replica_b' AND query LIKE 'LISTEN%'`,
    );
    expect(killed).toEqual([{ done: true }]);
    const reloaded = await a.client().models.reload.mutate({ id: 'default', path });
    const want = reloaded.model.sha256;
    expect(want).not.toBe(before);
    await new Promise((done) => setTimeout(done, 300));
    expect(await served(b)).toBe(before);
    await admin(cluster.url, 'ALTER ROLE replica_b LOGIN');
    const t0 = performance.now();
    while ((await served(b)) !== want && performance.now() - t0 < 15_000)
      await new Promise((done) => setTimeout(done, 20));
    expect(await served(b)).toBe(want);
    process.stderr.write(
      `missed reload applied ${(performance.now() - t0).toFixed(0)} ms after connections were allowed again\n`,
    );
    expect(
      b.logs.some((l) =>
        String(l['msg']).includes('1 reload(s) made meanwhile on another replica applied here'),
      ),
    ).toBe(true);
  });
});
