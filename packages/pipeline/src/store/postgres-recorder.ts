/**
 * @file The writes of a process running the pipeline, on the PostgreSQL run store: the same statements as the
 * SQLite file's `RunStore` (runs, stages, metrics, artifacts), each committed at once, so every replica's reads
 * see a run as it progresses. A run created here is tracked as this process's, so SIGINT removes its temporary
 * files; marking it interrupted is left to the awaited `finishRun` of the code that created it. The run's row
 * names its process (`owner`: host, pid, start), so a process on the same host that opens the store later marks
 * it interrupted if that process is gone (`recoverPostgresRuns`).
 */
import { randomUUID } from 'node:crypto';

import type pg from 'pg';

import { inTransaction } from './postgres-schema';
import { processOwner, trackRun, untrackRun } from './recover-runs';
import { leasePeriodMs, startRunLease, type RunLease } from './run-lease';
import { toRecord, type RunRow } from './run-records';
import type { RunRecorder } from './run-store-backend';

/**
 * The recorder's statements on a pool.
 * @param store - its URL (kept in this process only, to mark its runs interrupted on SIGINT) and its name in
 *   errors (password hidden)
 */
export function recordQueries(
  pool: pg.Pool,
  store: {
    readonly url: string;
    readonly location: string;
    readonly leases: Map<string, RunLease>;
  },
): Omit<RunRecorder, 'location' | 'close' | 'getRun'> {
  const now = (): string => new Date().toISOString();
  const where = store.location;
  const { leases } = store;
  return {
    async createRun(options) {
      const id = options.id ?? randomUUID();
      // The setting first: a bad GRADESHIFT_RUN_LEASE_MS refuses the run before anything is written.
      const period = leasePeriodMs();
      // The run and its lease in one transaction: no run without a lease that other hosts could never recover.
      const row = await inTransaction(pool, async (client) => {
        const { rows } = await client.query<RunRow>(
          `INSERT INTO runs (id, name, kind, status, created_at, out_dir, config_json, data_fingerprint, owner)
           VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8) RETURNING *`,
          [
            id,
            options.name,
            options.kind,
            now(),
            options.outDir,
            JSON.stringify(options.config),
            options.dataFingerprint ?? null,
            processOwner(),
          ],
        );
        await client.query('INSERT INTO run_leases (run_id, period_ms) VALUES ($1, $2)', [
          id,
          period,
        ]);
        return rows[0];
      });
      if (row === undefined) throw new Error(`${where}: the run ${id} was not inserted`);
      trackRun(id, store.url, options.outDir);
      leases.set(id, startRunLease(store.url, id, period));
      return toRecord(row);
    },
    async startStage(runId, stage) {
      await pool.query(
        `INSERT INTO stages (run_id, stage, started_at) VALUES ($1, $2, $3)
         ON CONFLICT (run_id, stage) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL`,
        [runId, stage, now()],
      );
    },
    async finishStage(runId, stage, summary) {
      await pool.query(
        `UPDATE stages SET finished_at = $1, summary_json = $2 WHERE run_id = $3 AND stage = $4`,
        [now(), JSON.stringify(summary), runId, stage],
      );
    },
    async putMetrics(runId, metrics) {
      for (const m of metrics)
        if (!Number.isFinite(m.value))
          throw new RangeError(
            `metric ${m.stage}/${m.split}/${m.name} must be finite (got ${m.value})`,
          );
      await inTransaction(pool, async (client) => {
        for (const m of metrics)
          await client.query(
            `INSERT INTO metrics (run_id, stage, split, name, value, lo, hi) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (run_id, stage, split, name) DO UPDATE SET value = excluded.value, lo = excluded.lo, hi = excluded.hi`,
            [runId, m.stage, m.split, m.name, m.value, m.lo ?? null, m.hi ?? null],
          );
      });
    },
    async putArtifacts(runId, artifacts) {
      await inTransaction(pool, async (client) => {
        for (const a of artifacts)
          await client.query(
            `INSERT INTO artifacts (run_id, kind, path, sha256, bytes) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (run_id, kind) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, bytes = excluded.bytes`,
            [runId, a.kind, a.path, a.sha256 ?? null, a.bytes ?? null],
          );
      });
    },
    async finishRun(id, outcome) {
      const error = outcome.status === 'succeeded' ? null : outcome.error;
      const { rowCount } = await pool.query(
        `UPDATE runs SET status = $1, finished_at = $2, error = $3 WHERE id = $4`,
        [outcome.status, now(), error, id],
      );
      if (rowCount === 0) throw new RangeError(`no run with id "${id}" in ${where}`);
      untrackRun(id);
      await stopLease(pool, leases, id);
    },
  };
}

/** Stops renewing the lease of a finished run and removes it. */
export async function stopLease(
  pool: pg.Pool,
  leases: Map<string, RunLease>,
  id: string,
): Promise<void> {
  const lease = leases.get(id);
  leases.delete(id);
  await lease?.stop();
  await pool.query('DELETE FROM run_leases WHERE run_id = $1', [id]);
}
