/** The records of the run store (runs, metrics, artifacts) and the `runs` row they are read from. */

/** Status of a run. */
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'interrupted';

/** A run as stored. */
export interface RunRecord {
  id: string;
  name: string;
  kind: string;
  status: RunStatus;
  createdAt: string;
  finishedAt: string | null;
  outDir: string;
  config: unknown;
  dataFingerprint: string | null;
  error: string | null;
}

/** One metric value, optionally with a confidence interval. */
export interface MetricRecord {
  stage: string;
  split: string;
  name: string;
  value: number;
  lo?: number | null;
  hi?: number | null;
}

/** An artifact file of a run. */
export interface ArtifactRecord {
  kind: string;
  path: string;
  sha256?: string | null;
  bytes?: number | null;
}

/** Options for `RunStore.createRun`. */
export interface CreateRunOptions {
  name: string;
  kind: string;
  outDir: string;
  config: unknown;
  dataFingerprint?: string;
  /** @default a random UUID */
  id?: string;
}

/** A `runs` row as SQLite returns it. */
export interface RunRow {
  id: string;
  name: string;
  kind: string;
  status: RunStatus;
  created_at: string;
  finished_at: string | null;
  out_dir: string;
  config_json: string;
  data_fingerprint: string | null;
  error: string | null;
  owner?: string | null;
}

/** A `runs` row as a {@link RunRecord}. */
export function toRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    outDir: row.out_dir,
    config: JSON.parse(row.config_json) as unknown,
    dataFingerprint: row.data_fingerprint,
    error: row.error,
  };
}

/** The `runs` columns a copied run writes (all but `owner`, which belongs to the process that ran it). */
const COPIED_COLUMNS = [
  'id',
  'name',
  'kind',
  'status',
  'created_at',
  'finished_at',
  'out_dir',
  'config_json',
  'data_fingerprint',
  'error',
] as const;

/**
 * The statement that writes a copied run, replacing the row of that id: SQLite and PostgreSQL both take it, each
 * with its placeholders.
 * @param placeholder - the n-th (1-based) parameter: `?` for SQLite, `$n` for PostgreSQL
 */
export function upsertRunSql(placeholder: (n: number) => string): string {
  const columns = COPIED_COLUMNS.join(', ');
  const values = COPIED_COLUMNS.map((_, i) => placeholder(i + 1)).join(', ');
  const updates = COPIED_COLUMNS.slice(1)
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO runs (${columns}) VALUES (${values}) ON CONFLICT (id) DO UPDATE SET ${updates}`;
}

/** A run's values in the order of {@link upsertRunSql}'s columns. */
export function runValues(
  run: RunRecord,
): [
  string,
  string,
  string,
  string,
  string,
  string | null,
  string,
  string,
  string | null,
  string | null,
] {
  return [
    run.id,
    run.name,
    run.kind,
    run.status,
    run.createdAt,
    run.finishedAt,
    run.outDir,
    JSON.stringify(run.config),
    run.dataFingerprint,
    run.error,
  ];
}
