/**
 * @file Crash recovery on the PostgreSQL run store, as `recoverRuns` does for the SQLite file: a run left `running`
 * by a process that is gone (killed with SIGKILL, crashed) is marked `interrupted` and the temporary files of its
 * folder are removed (by a process on the run's own host). Gone means: its lease lapsed (run-lease.ts; any host), or its owner is a process of this host
 * that is no longer alive (at once, without waiting for the lease). Runs without an owner or a lease (copied from a
 * replica's SQLite file, whose own recovery marks them) are left alone.
 */
import { hostname } from 'node:os';

import type pg from 'pg';

import { ownerGone, ownerLocal, removeTempFiles } from './recover-runs';
import { LEASE_LAPSE_PERIODS } from './run-lease';

/** Why a recovered run stopped, as the SQLite store says it. */
const GONE = 'the process running it stopped before it finished (killed or crashed)';

/** Why a run whose lease lapsed stopped. */
const LAPSED = `its process stopped renewing the run's lease for ${LEASE_LAPSE_PERIODS} periods (killed, crashed or cut off from the store)`;

/**
 * Marks `interrupted` the running runs whose lease lapsed, on any host (run-lease.ts).
 * @returns the ids of the runs marked
 */
async function recoverLapsedRuns(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string; out_dir: string; owner: string | null }>(
    `UPDATE runs SET status = 'interrupted', finished_at = $1, error = $2
     WHERE status = 'running' AND id IN (
       SELECT run_id FROM run_leases
       WHERE renewed_at < now() - make_interval(secs => period_ms * $3 / 1000.0))
     RETURNING id, out_dir, owner`,
    [new Date().toISOString(), LAPSED, LEASE_LAPSE_PERIODS],
  );
  if (rows.length > 0)
    await pool.query('DELETE FROM run_leases WHERE run_id = ANY($1)', [rows.map((r) => r.id)]);
  // The folder is a path on the owner's machine: swept only when that is this one (elsewhere the path means nothing).
  for (const run of rows) if (ownerLocal(run.owner)) removeTempFiles(run.out_dir);
  return rows.map((r) => r.id);
}

/**
 * Marks `interrupted` the running runs whose process is gone: a lapsed lease (any host), or an owner of this host
 * that is no longer alive.
 * @returns the ids of the runs marked
 */
export async function recoverPostgresRuns(pool: pg.Pool): Promise<string[]> {
  const marked = await recoverLapsedRuns(pool);
  const { rows } = await pool.query<{ id: string; out_dir: string; owner: string }>(
    `SELECT id, out_dir, owner FROM runs WHERE status = 'running' AND owner LIKE $1`,
    [`${hostname().replace(/[\\%_]/g, (c) => `\\${c}`)}:%`],
  );
  for (const run of rows) {
    if (!ownerGone(run.owner)) continue;
    const { rowCount } = await pool.query(
      `UPDATE runs SET status = 'interrupted', finished_at = $1, error = $2
       WHERE id = $3 AND status = 'running' AND owner = $4`,
      [new Date().toISOString(), GONE, run.id, run.owner],
    );
    if (rowCount === 0) continue;
    removeTempFiles(run.out_dir);
    marked.push(run.id);
  }
  return marked;
}
