/**
 * The run store's schema, versioned with SQLite's `user_version`. Each migration runs inside a transaction,
 * so a store is either at the old version or the new one, never in between.
 */
export const SCHEMA_VERSION = 2;

/** The runs table's columns as first created (version 1; SQLite and PostgreSQL alike). */
export const RUNS_COLUMNS = `
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
  created_at TEXT NOT NULL,
  finished_at TEXT,
  out_dir TEXT NOT NULL,
  config_json TEXT NOT NULL,
  data_fingerprint TEXT,
  error TEXT`;

/** The stages table's columns and key (SQLite and PostgreSQL alike). */
export const STAGES_COLUMNS = `
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  stage TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary_json TEXT,
  PRIMARY KEY (run_id, stage)`;

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (${RUNS_COLUMNS});
  CREATE INDEX runs_created ON runs (created_at DESC);
  CREATE TABLE stages (${STAGES_COLUMNS});
  CREATE TABLE metrics (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    split TEXT NOT NULL,
    name TEXT NOT NULL,
    value REAL NOT NULL,
    lo REAL,
    hi REAL,
    PRIMARY KEY (run_id, stage, split, name)
  );
  CREATE TABLE artifacts (
    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT,
    bytes INTEGER,
    PRIMARY KEY (run_id, kind)
  );
  `,
  // 2: the process that runs a run (host, pid and the process's start time), so a later process can tell a run
  // left `running` by a dead process from one still in progress.
  `
  ALTER TABLE runs ADD COLUMN owner TEXT;
  `,
];
