/**
 * @file The embedded run store: one SQLite file (better-sqlite3) that records every pipeline run, its stages,
 * metrics and artifact paths, for the CLI, the API and the dashboard to read.
 *
 * Durability: WAL journal with `synchronous = NORMAL`, every multi-row write in one transaction, so a process
 * killed mid-run leaves the file consistent (at worst the run stays `running`). Each run records the process
 * that runs it (`owner`: host, pid, process start); opening the store read-write turns the `running` rows of
 * processes that are gone into `interrupted` and removes their temporary files (recover-runs.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import Database from 'better-sqlite3';

import { processOwner, recoverRuns, trackRun, untrackRun } from './recover-runs';
import {
  runValues,
  toRecord,
  upsertRunSql,
  type ArtifactRecord,
  type CreateRunOptions,
  type MetricRecord,
  type RunRecord,
  type RunRow,
} from './run-records';
import type { RunSnapshot } from './run-store-backend';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

/** The run store. Open with {@link openRunStore}; close when done. */
export class RunStore {
  readonly path: string;
  private readonly db: Database.Database;

  constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
  }

  /** Records a new run in status `running`. */
  createRun(options: CreateRunOptions): RunRecord {
    const id = options.id ?? randomUUID();
    this.db
      .prepare(
        `INSERT INTO runs (id, name, kind, status, created_at, out_dir, config_json, data_fingerprint, owner)
         VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        options.name,
        options.kind,
        new Date().toISOString(),
        options.outDir,
        JSON.stringify(options.config),
        options.dataFingerprint ?? null,
        processOwner(),
      );
    trackRun(id, this.path, options.outDir);
    return this.requireRun(id);
  }

  /** Marks a run finished (`succeeded` or `failed` with an error message). */
  finishRun(
    id: string,
    outcome: { status: 'succeeded' } | { status: 'failed' | 'interrupted'; error: string },
  ): void {
    const error = outcome.status === 'succeeded' ? null : outcome.error;
    const info = this.db
      .prepare(`UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?`)
      .run(outcome.status, new Date().toISOString(), error, id);
    if (info.changes === 0) throw new RangeError(`no run with id "${id}" in ${this.path}`);
    untrackRun(id);
  }

  /** Records the start of a stage (idempotent: a restarted stage resets its times). */
  startStage(runId: string, stage: string): void {
    this.db
      .prepare(
        `INSERT INTO stages (run_id, stage, started_at) VALUES (?, ?, ?)
         ON CONFLICT (run_id, stage) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL`,
      )
      .run(runId, stage, new Date().toISOString());
  }

  /** Records the end of a stage with a JSON summary. */
  finishStage(runId: string, stage: string, summary: unknown): void {
    this.db
      .prepare(`UPDATE stages SET finished_at = ?, summary_json = ? WHERE run_id = ? AND stage = ?`)
      .run(new Date().toISOString(), JSON.stringify(summary), runId, stage);
  }

  /** Writes many metrics in one transaction (replacing same-keyed values). */
  putMetrics(runId: string, metrics: readonly MetricRecord[]): void {
    const stmt = this.db.prepare(
      `INSERT OR REPLACE INTO metrics (run_id, stage, split, name, value, lo, hi) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const m of metrics) {
        if (!Number.isFinite(m.value))
          throw new RangeError(
            `metric ${m.stage}/${m.split}/${m.name} must be finite (got ${m.value})`,
          );
        stmt.run(runId, m.stage, m.split, m.name, m.value, m.lo ?? null, m.hi ?? null);
      }
    })();
  }

  /** Records artifact files of a run. */
  putArtifacts(runId: string, artifacts: readonly ArtifactRecord[]): void {
    const stmt = this.db.prepare(
      `INSERT OR REPLACE INTO artifacts (run_id, kind, path, sha256, bytes) VALUES (?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const a of artifacts) stmt.run(runId, a.kind, a.path, a.sha256 ?? null, a.bytes ?? null);
    })();
  }

  /**
   * Writes a run copied from another store with its stages, metrics and artifacts, replacing what this store held
   * for it, in one transaction.
   */
  importRun(snapshot: RunSnapshot): void {
    const { run } = snapshot;
    this.db.transaction(() => {
      this.db.prepare(upsertRunSql(() => '?')).run(...runValues(run));
      for (const table of ['stages', 'metrics', 'artifacts'])
        this.db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(run.id);
      const stage = this.db.prepare(
        `INSERT INTO stages (run_id, stage, started_at, finished_at, summary_json) VALUES (?, ?, ?, ?, ?)`,
      );
      for (const s of snapshot.stages)
        stage.run(
          run.id,
          s.stage,
          s.startedAt,
          s.finishedAt,
          s.summary === null ? null : JSON.stringify(s.summary),
        );
      this.putMetrics(run.id, snapshot.metrics);
      this.putArtifacts(run.id, snapshot.artifacts);
    })();
  }

  /** All runs, newest first. */
  listRuns(options: { limit?: number; kind?: string } = {}): RunRecord[] {
    const { limit = 100, kind } = options;
    const rows =
      kind === undefined
        ? this.db
            .prepare(`SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?`)
            .all(limit)
        : this.db
            .prepare(
              `SELECT * FROM runs WHERE kind = ? ORDER BY created_at DESC, rowid DESC LIMIT ?`,
            )
            .all(kind, limit);
    return (rows as RunRow[]).map(toRecord);
  }

  /** One run, or `undefined`. */
  getRun(id: string): RunRecord | undefined {
    const row = this.db.prepare(`SELECT * FROM runs WHERE id = ?`).get(id) as RunRow | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  /** One run. @throws RangeError naming the store when it does not exist. */
  requireRun(id: string): RunRecord {
    const run = this.getRun(id);
    if (run === undefined) throw new RangeError(`no run with id "${id}" in ${this.path}`);
    return run;
  }

  /** Metrics of a run. */
  getMetrics(runId: string): MetricRecord[] {
    return this.db
      .prepare(
        `SELECT stage, split, name, value, lo, hi FROM metrics WHERE run_id = ? ORDER BY stage, split, name`,
      )
      .all(runId) as MetricRecord[];
  }

  /** Stages of a run, in start order. */
  getStages(
    runId: string,
  ): { stage: string; startedAt: string; finishedAt: string | null; summary: unknown }[] {
    const rows = this.db
      .prepare(
        `SELECT stage, started_at, finished_at, summary_json FROM stages WHERE run_id = ? ORDER BY started_at, rowid`,
      )
      .all(runId) as {
      stage: string;
      started_at: string;
      finished_at: string | null;
      summary_json: string | null;
    }[];
    return rows.map((r) => ({
      stage: r.stage,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      summary: r.summary_json === null ? null : (JSON.parse(r.summary_json) as unknown),
    }));
  }

  /** Artifacts of a run. */
  getArtifacts(runId: string): ArtifactRecord[] {
    return this.db
      .prepare(`SELECT kind, path, sha256, bytes FROM artifacts WHERE run_id = ? ORDER BY kind`)
      .all(runId) as ArtifactRecord[];
  }

  /** Runs still `running`, with the process that runs each (`owner`, null for runs of older versions). */
  runningRuns(): { id: string; outDir: string; owner: string | null }[] {
    return (
      this.db.prepare(`SELECT id, out_dir, owner FROM runs WHERE status = 'running'`).all() as {
        id: string;
        out_dir: string;
        owner: string | null;
      }[]
    ).map((r) => ({ id: r.id, outDir: r.out_dir, owner: r.owner }));
  }

  /** Marks every run still `running` as `interrupted` (call at start-up of a single-writer process). */
  markInterrupted(reason = 'the process stopped before the run finished'): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE status = 'running'`,
      )
      .run(new Date().toISOString(), reason).changes;
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

/** Options for {@link openRunStore}. */
export interface OpenRunStoreOptions {
  /** Open read-only (the API and dashboard). @default false */
  readonly?: boolean;
}

/**
 * Opens (creating and migrating if needed) the run store at `path`.
 * @throws Error with the path and what to do when the file is not a gradeshift run store or is newer than this code.
 */
export function openRunStore(path: string, options: OpenRunStoreOptions = {}): RunStore {
  const readonly = options.readonly === true;
  if (!readonly) mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (cause) {
    throw new Error(
      `cannot open run store ${path}: ${(cause as Error).message}. Run \`gradeshift pipeline\` to create one.`,
      { cause },
    );
  }
  try {
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `run store ${path} has schema version ${version}, newer than this gradeshift (${SCHEMA_VERSION}); upgrade gradeshift`,
      );
    }
    if (version < SCHEMA_VERSION) {
      if (readonly)
        throw new Error(
          `run store ${path} has schema version ${version}; open it once read-write to migrate`,
        );
      for (let v = version; v < SCHEMA_VERSION; v++) {
        db.transaction(() => {
          db.exec(MIGRATIONS[v] ?? '');
          db.pragma(`user_version = ${v + 1}`);
        })();
      }
    }
  } catch (error) {
    db.close();
    if (error instanceof Error && /file is not a database|malformed/.test(error.message)) {
      throw new Error(
        `${path} is not a gradeshift run store (or is corrupt): ${error.message}. Move it away and rerun.`,
        { cause: error },
      );
    }
    throw error;
  }
  const store = new RunStore(path, db);
  if (!readonly) recoverRuns(store);
  return store;
}
