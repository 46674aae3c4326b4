/**
 * @file The PostgreSQL run store's schema: the same runs, stages, metrics and artifacts tables as the SQLite file
 * (their shared column lists in schema.ts), a jobs table, the last reload of each served model, the process that
 * records a run (`runs.owner`) and its lease (`run_leases`, run-lease.ts) (these three added without a version
 * change: a table or a column created when missing, which older code ignores), and the creation on first open inside a transaction
 * holding an advisory lock, so replicas starting at once do not race; the version is kept in `gradeshift_schema`.
 */
import type pg from 'pg';

import { RUNS_COLUMNS, STAGES_COLUMNS } from './schema';

/** The PostgreSQL schema version this code writes. */
export const POSTGRES_SCHEMA_VERSION = 1;
/** Any number: the advisory lock that serialises schema creation. */
const SCHEMA_LOCK = 0x67726164;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS gradeshift_schema (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  seq BIGSERIAL UNIQUE,
  ${RUNS_COLUMNS}
);
CREATE INDEX IF NOT EXISTS runs_created ON runs (created_at DESC);
ALTER TABLE runs ADD COLUMN IF NOT EXISTS owner TEXT;
CREATE TABLE IF NOT EXISTS stages (${STAGES_COLUMNS});
CREATE TABLE IF NOT EXISTS metrics (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage TEXT NOT NULL,
  split TEXT NOT NULL,
  name TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  lo DOUBLE PRECISION,
  hi DOUBLE PRECISION,
  PRIMARY KEY (run_id, stage, split, name)
);
CREATE TABLE IF NOT EXISTS artifacts (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT,
  bytes BIGINT,
  PRIMARY KEY (run_id, kind)
);
CREATE TABLE IF NOT EXISTS run_leases (
  run_id TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
  period_ms INTEGER NOT NULL,
  renewed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS model_reloads (
  id TEXT PRIMARY KEY,
  notice_json TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS jobs (
  seq BIGSERIAL UNIQUE,
  id TEXT PRIMARY KEY,
  state_json TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** Runs `work` in one transaction on a client of the pool (rolled back when it throws). */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The tables {@link SCHEMA} creates. */
const TABLES = [
  'gradeshift_schema',
  'runs',
  'stages',
  'metrics',
  'artifacts',
  'run_leases',
  'model_reloads',
  'jobs',
];

/**
 * Whether every table, column and index of {@link SCHEMA} exists already, read from the catalogue (which takes no
 * lock): the common case, in which opening the store runs no DDL at all — `ALTER TABLE` would queue for an ACCESS
 * EXCLUSIVE lock behind any long reader of `runs` (a `pg_dump`), and a role that does not own the tables may not run it.
 */
async function schemaComplete(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ tables: number; owner: number; indexes: number }>(
    `SELECT
       (SELECT count(*) FROM pg_catalog.pg_tables
         WHERE schemaname = current_schema() AND tablename = ANY($1))::int AS tables,
       (SELECT count(*) FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = 'runs' AND column_name = 'owner')::int AS owner,
       (SELECT count(*) FROM pg_catalog.pg_indexes
         WHERE schemaname = current_schema() AND indexname = 'runs_created')::int AS indexes`,
    [TABLES],
  );
  const row = rows[0];
  return row?.tables === TABLES.length && row.owner === 1 && row.indexes === 1;
}

/** How long the schema's creation waits for a lock before it fails with a message (not forever). */
const DDL_LOCK_TIMEOUT = '10s';

/**
 * Creates the tables when missing and checks the schema version. When the schema is complete already, only the
 * version is read.
 * @throws Error when the database holds a newer schema than this code writes, or when creating a missing table waits
 *   longer than {@link DDL_LOCK_TIMEOUT} for a lock
 */
export async function migrate(pool: pg.Pool, where: string): Promise<void> {
  const checkVersion = (version: number | undefined): void => {
    if (version !== undefined && version > POSTGRES_SCHEMA_VERSION)
      throw new Error(
        `run store ${where} has schema version ${version}, newer than this gradeshift (${POSTGRES_SCHEMA_VERSION}); upgrade gradeshift`,
      );
  };
  if (await schemaComplete(pool)) {
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM gradeshift_schema');
    checkVersion(rows[0]?.version);
    if (rows[0] !== undefined) return;
  }
  await inTransaction(pool, async (client) => {
    await client.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    try {
      await client.query(SCHEMA);
    } catch (cause) {
      if ((cause as { code?: string }).code === '55P03')
        throw new Error(
          `creating the missing run-store tables waited ${DDL_LOCK_TIMEOUT} for a lock on them (a long reader such as pg_dump?); run the command again once it has finished`,
          { cause },
        );
      throw cause;
    }
    const { rows } = await client.query<{ version: number }>(
      'SELECT version FROM gradeshift_schema',
    );
    const version = rows[0]?.version;
    if (version === undefined)
      await client.query('INSERT INTO gradeshift_schema (version) VALUES ($1)', [
        POSTGRES_SCHEMA_VERSION,
      ]);
    else checkVersion(version);
  });
}
