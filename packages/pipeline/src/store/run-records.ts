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
