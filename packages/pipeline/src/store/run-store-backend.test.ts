/**
 * The run store backends against one contract: the SQLite file and a real PostgreSQL server (a throwaway cluster
 * from Debian's postgresql; skipped with a message when it is not installed).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { interruptActivePostgresRuns, interruptActiveRuns } from './interrupt-runs';
import { openRunRecorder, openRunStoreBackend } from './open-run-store-backend';
import { postgresBinDir, startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { RECONNECTED_TOPIC, redactUrl } from './postgres-store';
import { openRunStore } from './run-store';
import {
  copyChangedRuns,
  snapshotOf,
  type RunStoreBackend,
  type StoreMessage,
} from './run-store-backend';

const PG = postgresBinDir();
if (PG === undefined)
  process.stderr.write(
    'PostgreSQL tests skipped: no /usr/lib/postgresql/*/bin (apt-get install postgresql)\n',
  );

/** A source SQLite store with one finished run (stages, metrics with and without intervals, artifacts). */
function sourceStore(dir: string) {
  const store = openRunStore(join(dir, 'source.sqlite'));
  const run = store.createRun({ name: 'r1', kind: 'evaluate', outDir: '/x/r1', config: { a: 1 } });
  store.startStage(run.id, 'evaluate');
  store.finishStage(run.id, 'evaluate', { rows: 12 });
  store.putMetrics(run.id, [
    { stage: 'evaluate', split: 'test', name: 'ndcg@10', value: 0.75, lo: 0.7, hi: 0.8 },
    { stage: 'evaluate', split: 'test', name: 'pairs', value: 12 },
  ]);
  store.putArtifacts(run.id, [{ kind: 'report', path: '/x/r1/report.json', bytes: 3_000_000_000 }]);
  store.finishRun(run.id, { status: 'succeeded' });
  return { store, id: run.id };
}

function contract(name: string, open: (dir: string) => Promise<RunStoreBackend>): void {
  describe(`run store backend: ${name}`, () => {
    let dir: string;
    let backend: RunStoreBackend;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gradeshift-backend-'));
      backend = await open(dir);
    });
    afterAll(async () => {
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('copies a run with its records, and again only once it changes', async () => {
      const { store, id } = sourceStore(dir);
      expect(await copyChangedRuns(store, backend)).toEqual([id]);
      expect(await copyChangedRuns(store, backend)).toEqual([]);
      const want = snapshotOf(store, id);
      expect(await backend.getRun(id)).toEqual(want.run);
      expect(await backend.getMetrics(id)).toEqual(want.metrics);
      expect(await backend.getStages(id)).toEqual(want.stages);
      expect(await backend.getArtifacts(id)).toEqual(want.artifacts);
      const second = store.createRun({ name: 'r2', kind: 'pipeline', outDir: '/x/r2', config: {} });
      expect(await copyChangedRuns(store, backend)).toEqual([second.id]);
      store.finishRun(second.id, { status: 'failed', error: 'boom' });
      expect(await copyChangedRuns(store, backend)).toEqual([second.id]);
      const listed = await backend.listRuns();
      expect(listed.map((r) => [r.name, r.status])).toEqual([
        ['r2', 'failed'],
        ['r1', 'succeeded'],
      ]);
      expect((await backend.listRuns({ kind: 'evaluate' })).map((r) => r.name)).toEqual(['r1']);
      expect(await backend.getRun('nope')).toBeUndefined();
      // With what earlier copies left, a copy reads only the file: a run changed in `to` by someone else is not
      // compared again, and a change in the file is copied.
      const known = new Map<string, string>();
      expect(await copyChangedRuns(store, backend, { known })).toEqual([]);
      expect(known.size).toBe(2);
      store.finishRun(second.id, { status: 'interrupted', error: 'gone' });
      expect(await copyChangedRuns(store, backend, { known })).toEqual([second.id]);
      expect((await backend.getRun(second.id))?.status).toBe('interrupted');
      store.close();
    });

    it('records a run as it goes, each write readable at once, as the SQLite RunStore records it', async () => {
      const run = await backend.createRun({
        name: 'live',
        kind: 'pipeline',
        outDir: '/x/live',
        config: { seed: 3 },
        dataFingerprint: 'abc',
      });
      expect(await backend.getRun(run.id)).toEqual(run);
      expect(run).toMatchObject({ status: 'running', finishedAt: null, config: { seed: 3 } });
      await backend.startStage(run.id, 'train');
      expect((await backend.getStages(run.id))[0]).toMatchObject({
        stage: 'train',
        finishedAt: null,
      });
      await backend.finishStage(run.id, 'train', { epochs: 2 });
      await backend.putMetrics(run.id, [
        { stage: 'final', split: 'id_test', name: 'ndcg', value: 0.5, lo: 0.4, hi: 0.6 },
      ]);
      await backend.putMetrics(run.id, [
        { stage: 'final', split: 'id_test', name: 'ndcg', value: 0.55, lo: 0.45, hi: 0.65 },
      ]);
      await expect(
        backend.putMetrics(run.id, [{ stage: 'final', split: 'x', name: 'nan', value: NaN }]),
      ).rejects.toThrow(/must be finite/);
      await backend.putArtifacts(run.id, [{ kind: 'report', path: '/x/live/report.json' }]);
      await backend.finishRun(run.id, { status: 'succeeded' });
      await expect(backend.finishRun('nope', { status: 'succeeded' })).rejects.toThrow(
        /no run with id "nope"/,
      );
      // The same writes on a SQLite RunStore give the same records.
      const file = openRunStore(join(dir, `recorded-${name}.sqlite`));
      const ref = file.createRun({ ...run, config: { seed: 3 }, dataFingerprint: 'abc' });
      file.startStage(ref.id, 'train');
      file.finishStage(ref.id, 'train', { epochs: 2 });
      file.putMetrics(ref.id, [
        { stage: 'final', split: 'id_test', name: 'ndcg', value: 0.55, lo: 0.45, hi: 0.65 },
      ]);
      file.putArtifacts(ref.id, [{ kind: 'report', path: '/x/live/report.json' }]);
      file.finishRun(ref.id, { status: 'succeeded' });
      const want = snapshotOf(file, ref.id);
      file.close();
      const times = { createdAt: '', finishedAt: '' };
      expect({ ...(await backend.getRun(run.id)), ...times }).toEqual({ ...want.run, ...times });
      expect(await backend.getMetrics(run.id)).toEqual(want.metrics);
      expect(await backend.getArtifacts(run.id)).toEqual(want.artifacts);
      const stages = (await backend.getStages(run.id)).map((st) => [st.stage, st.summary]);
      expect(stages).toEqual(want.stages.map((st) => [st.stage, st.summary]));
    });

    it('keeps the last reload recorded of each model', async () => {
      await backend.putModelReload('default', { sha256: 'a', path: 'next' });
      await backend.putModelReload('alt', { sha256: 'b', path: null });
      await backend.putModelReload('default', { sha256: 'c', path: 'default' });
      expect(await backend.listModelReloads()).toEqual([
        { id: 'alt', notice: { sha256: 'b', path: null } },
        { id: 'default', notice: { sha256: 'c', path: 'default' } },
      ]);
    });

    it('keeps the newest job states, the last state of each', async () => {
      for (const id of ['j1', 'j2', 'j3']) await backend.putJob(id, { id, status: 'running' }, 2);
      await backend.putJob('j3', { id: 'j3', status: 'succeeded', result: [1.5] }, 2);
      expect(await backend.getJob('j1')).toBeUndefined();
      expect((await backend.getJob('j3'))?.state).toEqual({
        id: 'j3',
        status: 'succeeded',
        result: [1.5],
      });
      expect((await backend.listJobs(10)).map((j) => j.state)).toEqual([
        { id: 'j3', status: 'succeeded', result: [1.5] },
        { id: 'j2', status: 'running' },
      ]);
      expect(await backend.listJobs(1)).toHaveLength(1);
    });

    it('ages a job state until it is put or touched again', async () => {
      await backend.putJob('aging', { id: 'aging' }, 10);
      await new Promise((r) => setTimeout(r, 120));
      const aged = (await backend.getJob('aging'))?.ageMs ?? 0;
      expect(aged).toBeGreaterThanOrEqual(100);
      expect(aged).toBeLessThan(5000);
      await backend.touchJobs(['aging', 'unknown']);
      expect((await backend.getJob('aging'))?.ageMs).toBeLessThan(100);
      expect((await backend.getJob('aging'))?.state).toEqual({ id: 'aging' });
    });

    it('delivers a published message to a subscriber', async () => {
      const got: StoreMessage[] = [];
      const stop = await backend.subscribe((m) => got.push(m));
      await backend.publish({ topic: 't', payload: { n: 1 } });
      for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      await stop();
      expect(got).toEqual([{ topic: 't', payload: { n: 1 } }]);
    });
  });
}

contract('SQLite', (dir) => openRunStoreBackend(join(dir, 'shared.sqlite')));

describe.skipIf(PG === undefined)('PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  contract('PostgreSQL', () => openRunStoreBackend(cluster.url));

  it('listens again after its connection is cut, and says so to subscribers', async () => {
    const backend = await openRunStoreBackend(cluster.url);
    const got: StoreMessage[] = [];
    await backend.subscribe((m) => got.push(m));
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    const cut = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`,
    );
    expect(cut.rowCount).toBe(1);
    for (let i = 0; i < 300 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([{ topic: RECONNECTED_TOPIC, payload: null }]);
    await backend.publish({ topic: 't', payload: 2 });
    for (let i = 0; i < 100 && got.length === 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(got[1]).toEqual({ topic: 't', payload: 2 });
    await admin.end();
    await backend.close();
  });

  it("marks this process's unfinished PostgreSQL runs interrupted", async () => {
    const recorder = await openRunRecorder(cluster.url);
    const running = await recorder.createRun({
      name: 'cut',
      kind: 'steps',
      outDir: '/x/cut',
      config: {},
    });
    const done = await recorder.createRun({
      name: 'ok',
      kind: 'steps',
      outDir: '/x/ok',
      config: {},
    });
    await recorder.finishRun(done.id, { status: 'succeeded' });
    await recorder.close();
    // The SQLite pass leaves PostgreSQL runs alone (and opens no file named after the URL).
    expect(interruptActiveRuns('interrupted (SIGINT)')).toEqual([]);
    expect(existsSync('postgres:')).toBe(false);
    expect(await interruptActivePostgresRuns('interrupted (SIGINT)')).toEqual([running.id]);
    const store = await openRunStoreBackend(cluster.url);
    expect(await store.getRun(running.id)).toMatchObject({
      status: 'interrupted',
      error: 'interrupted (SIGINT)',
    });
    expect((await store.getRun(done.id))?.status).toBe('succeeded');
    await store.close();
  });

  it('names the database without its password when it cannot be reached', async () => {
    const url = 'postgres://u:secret@127.0.0.1:1/none';
    expect(redactUrl(url)).toBe('postgres://u:***@127.0.0.1:1/none');
    await expect(openRunStoreBackend(url)).rejects.toThrow(
      /^cannot open run store postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED/,
    );
  });
});
