/**
 * Run leases on a real PostgreSQL server (a throwaway cluster; skipped without Debian's postgresql): a lease is
 * renewed from its own thread while the recording process's main thread is blocked, a lapsed lease marks its run
 * interrupted on any host, and a finished run leaves no lease behind.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { openRunRecorder, openRunStoreBackend } from './open-run-store-backend';
import { postgresBinDir, startPostgresCluster, type PostgresCluster } from './postgres-cluster';
import { leasePeriodMs, LEASE_LAPSE_PERIODS } from './run-lease';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('leasePeriodMs', () => {
  it('reads GRADESHIFT_RUN_LEASE_MS, defaults to 10 s, and refuses what is not a period', () => {
    expect(leasePeriodMs({})).toBe(10_000);
    expect(leasePeriodMs({ GRADESHIFT_RUN_LEASE_MS: '250' })).toBe(250);
    expect(() => leasePeriodMs({ GRADESHIFT_RUN_LEASE_MS: '50' })).toThrow(
      'GRADESHIFT_RUN_LEASE_MS must be an integer from 100 to 3600000 (got "50")',
    );
    expect(() => leasePeriodMs({ GRADESHIFT_RUN_LEASE_MS: '1.5' })).toThrow(RangeError);
  });
});

describe.skipIf(postgresBinDir() === undefined)('run leases on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let admin: pg.Client;
  beforeAll(async () => {
    cluster = await startPostgresCluster();
    admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    cluster?.stop();
  });
  afterEach(() => {
    delete process.env['GRADESHIFT_RUN_LEASE_MS'];
  });

  const leaseOf = async (id: string) =>
    (
      await admin.query<{ period_ms: number; age_ms: number }>(
        `SELECT period_ms, EXTRACT(EPOCH FROM (now() - renewed_at)) * 1000 AS age_ms
         FROM run_leases WHERE run_id = $1`,
        [id],
      )
    ).rows[0];

  it('is renewed while the main thread is blocked, and removed when the run finishes', async () => {
    process.env['GRADESHIFT_RUN_LEASE_MS'] = '200';
    const recorder = await openRunRecorder(cluster.url);
    const run = await recorder.createRun({
      name: 'busy',
      kind: 'steps',
      outDir: '/x/busy',
      config: {},
    });
    await sleep(300);
    // Synchronous work far longer than the lapse (6 periods = 1.2 s): only a thread of its own can renew.
    const until = Date.now() + 3000;
    while (Date.now() < until);
    const lease = await leaseOf(run.id);
    expect(lease?.period_ms).toBe(200);
    expect(Number(lease?.age_ms)).toBeLessThan(200 * LEASE_LAPSE_PERIODS);
    const reader = await openRunStoreBackend(cluster.url);
    expect(await reader.recoverDeadRuns()).toEqual([]);
    expect((await reader.getRun(run.id))?.status).toBe('running');
    await recorder.finishRun(run.id, { status: 'succeeded' });
    expect(await leaseOf(run.id)).toBeUndefined();
    await recorder.close();
    await reader.close();
  }, 30_000);

  it('keeps renewing when the store drops the lease connection', async () => {
    process.env['GRADESHIFT_RUN_LEASE_MS'] = '200';
    const recorder = await openRunRecorder(cluster.url);
    const run = await recorder.createRun({
      name: 'cut',
      kind: 'steps',
      outDir: '/x/cut',
      config: {},
    });
    await sleep(300);
    // A server restart, a fail-over or an idle-session timeout, as the lease's connection sees it.
    const { rows } = await admin.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
       WHERE query LIKE 'UPDATE run_leases%' AND pid <> pg_backend_pid()`,
    );
    expect(rows.length).toBeGreaterThan(0);
    await sleep(200 * LEASE_LAPSE_PERIODS + 400);
    expect(Number((await leaseOf(run.id))?.age_ms)).toBeLessThan(200 * LEASE_LAPSE_PERIODS);
    const reader = await openRunStoreBackend(cluster.url);
    expect(await reader.recoverDeadRuns()).toEqual([]);
    expect((await reader.getRun(run.id))?.status).toBe('running');
    await recorder.finishRun(run.id, { status: 'succeeded' });
    await recorder.close();
    await reader.close();
  }, 30_000);

  it('refuses a bad lease setting before it writes the run', async () => {
    process.env['GRADESHIFT_RUN_LEASE_MS'] = '50';
    const recorder = await openRunRecorder(cluster.url);
    await expect(
      recorder.createRun({ name: 'refused', kind: 'steps', outDir: '/x/refused', config: {} }),
    ).rejects.toThrow('GRADESHIFT_RUN_LEASE_MS');
    const { rows } = await admin.query(`SELECT id FROM runs WHERE name = 'refused'`);
    expect(rows).toEqual([]);
    await recorder.close();
  }, 30_000);

  it('marks a run interrupted once its lease lapses, whatever host ran it', async () => {
    // Long enough that opening the reader below (pool, schema check, recovery) fits well inside the lapse.
    process.env['GRADESHIFT_RUN_LEASE_MS'] = '300';
    const recorder = await openRunRecorder(cluster.url);
    const run = await recorder.createRun({
      name: 'gone',
      kind: 'steps',
      outDir: '/x/gone',
      config: {},
    });
    // Another machine's process, which stops renewing: the owner check cannot judge it, the lease can.
    await admin.query(`UPDATE runs SET owner = 'elsewhere:4242:1' WHERE id = $1`, [run.id]);
    await recorder.close(); // stops the renewing thread without finishing the run
    const reader = await openRunStoreBackend(cluster.url);
    expect((await reader.getRun(run.id))?.status).toBe('running');
    await sleep(300 * LEASE_LAPSE_PERIODS + 500);
    expect(await reader.recoverDeadRuns()).toEqual([run.id]);
    expect(await reader.getRun(run.id)).toMatchObject({
      status: 'interrupted',
      error: expect.stringContaining("stopped renewing the run's lease") as unknown,
    });
    expect(await leaseOf(run.id)).toBeUndefined();
    expect(await reader.recoverDeadRuns()).toEqual([]);
    await reader.close();
  }, 30_000);
});
