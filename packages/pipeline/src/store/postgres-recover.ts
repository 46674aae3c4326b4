/**
 * @file Crash recovery on the PostgreSQL run store, as `recoverRuns` does for the SQLite file: a run left `running`
 * by a process of this host that is gone (killed with SIGKILL, crashed) is marked `interrupted` and the temporary
 * files of its folder are removed. Runs of other hosts are never judged (nothing here knows whether a process on
 * another machine is alive), nor runs without an owner (copied from a replica's SQLite file, whose own recovery
 * marks them).
 */
import { hostname } from 'node:os';

import type pg from 'pg';

import { ownerGone, removeTempFiles } from './recover-runs';

/** Why a recovered run stopped, as the SQLite store says it. */
const GONE = 'the process running it stopped before it finished (killed or crashed)';

/**
 * Marks this host's runs whose process is gone `interrupted`.
 * @returns the ids of the runs marked
 */
export async function recoverPostgresRuns(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string; out_dir: string; owner: string }>(
    `SELECT id, out_dir, owner FROM runs WHERE status = 'running' AND owner LIKE $1`,
    [`${hostname().replace(/[\\%_]/g, (c) => `\\${c}`)}:%`],
  );
  const marked: string[] = [];
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
