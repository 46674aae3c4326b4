/**
 * @file The run store on PostgreSQL (the `pg` client): the same runs, stages, metrics and artifacts as the SQLite
 * file, for several API replicas to share, and its message channel on LISTEN/NOTIFY (one channel,
 * `gradeshift_store`, JSON payloads under 8000 bytes).
 *
 * The schema is created on first open inside a transaction holding an advisory lock, so replicas starting at once
 * do not race; its version is kept in `gradeshift_schema`. Times are ISO strings as in the SQLite store, and a
 * `seq` column orders runs created in the same millisecond.
 */
import pg from 'pg';

import type { ArtifactRecord, MetricRecord, RunRecord, RunRow } from './run-records';
import { recoverPostgresRuns } from './postgres-recover';
import { inTransaction, migrate, redactUrl } from './postgres-schema';
import { recordQueries } from './postgres-recorder';
import type { RunLease } from './run-lease';
import { runValues, toRecord, upsertRunSql } from './run-records';
import type {
  JobState,
  RunSnapshot,
  RunStoreBackend,
  StageRecord,
  StoreMessage,
} from './run-store-backend';

const CHANNEL = 'gradeshift_store';

export { redactUrl };
/** A number column read back (BIGINT comes as a string; DOUBLE PRECISION as a number). */
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

async function writeRun(client: pg.PoolClient, snapshot: RunSnapshot): Promise<void> {
  const { run } = snapshot;
  await client.query(
    upsertRunSql((n) => `$${n}`),
    runValues(run),
  );
  for (const table of ['stages', 'metrics', 'artifacts'])
    await client.query(`DELETE FROM ${table} WHERE run_id = $1`, [run.id]);
  for (const s of snapshot.stages)
    await client.query(
      `INSERT INTO stages (run_id, stage, started_at, finished_at, summary_json) VALUES ($1, $2, $3, $4, $5)`,
      [
        run.id,
        s.stage,
        s.startedAt,
        s.finishedAt,
        s.summary === null ? null : JSON.stringify(s.summary),
      ],
    );
  for (const m of snapshot.metrics)
    await client.query(
      `INSERT INTO metrics (run_id, stage, split, name, value, lo, hi) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [run.id, m.stage, m.split, m.name, m.value, m.lo ?? null, m.hi ?? null],
    );
  for (const a of snapshot.artifacts)
    await client.query(
      `INSERT INTO artifacts (run_id, kind, path, sha256, bytes) VALUES ($1, $2, $3, $4, $5)`,
      [run.id, a.kind, a.path, a.sha256 ?? null, a.bytes ?? null],
    );
}

/** The message subscribers get when the listening connection came back after a loss (messages between were lost). */
export const RECONNECTED_TOPIC = 'store.reconnected';

/**
 * LISTEN on a dedicated connection; each subscriber gets every message. A lost connection (server restart, a
 * terminated backend) is reopened with a backoff of 100 ms doubling to 5 s, then subscribers get a
 * {@link RECONNECTED_TOPIC} message, since what was sent meanwhile is lost.
 */
function channelOf(url: string): Pick<RunStoreBackend, 'subscribe'> & { close(): Promise<void> } {
  let listening: Promise<pg.Client> | undefined;
  let closed = false;
  let retryMs = 100;
  const listeners = new Set<(message: StoreMessage) => void>();
  const deliver = (message: StoreMessage): void => {
    for (const listener of listeners) listener(message);
  };
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    let ready = false;
    let lost = false;
    const onLost = (): void => {
      // Before LISTEN succeeded, the failure rejects `connect` itself.
      if (!ready || lost || closed) return;
      lost = true;
      listening = undefined;
      void client.end().catch(() => undefined);
      setTimeout(reconnect, retryMs).unref();
      retryMs = Math.min(retryMs * 2, 5000);
    };
    client.on('error', onLost);
    client.on('end', onLost);
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload !== undefined)
        deliver(JSON.parse(n.payload) as StoreMessage);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      ready = true;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return client;
  };
  const reconnect = (): void => {
    if (closed) return;
    const attempt = connect();
    listening = attempt;
    attempt.then(
      () => {
        retryMs = 100;
        deliver({ topic: RECONNECTED_TOPIC, payload: null });
      },
      () => {
        listening = undefined;
        setTimeout(reconnect, retryMs).unref();
        retryMs = Math.min(retryMs * 2, 5000);
      },
    );
  };
  return {
    async subscribe(listener) {
      listening ??= connect();
      try {
        await listening;
      } catch (error) {
        listening = undefined;
        throw error;
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        return Promise.resolve();
      };
    },
    async close() {
      closed = true;
      const client = await listening?.catch(() => undefined);
      await client?.end().catch(() => undefined);
    },
  };
}

/** Rows of a query. */
const rowsOf =
  (pool: pg.Pool) =>
  async <T extends pg.QueryResultRow>(sql: string, params: unknown[]): Promise<T[]> =>
    (await pool.query<T>(sql, params)).rows;

/** The run records' reads and writes. */
function runQueries(
  pool: pg.Pool,
): Pick<
  RunStoreBackend,
  'listRuns' | 'getRun' | 'getMetrics' | 'getStages' | 'getArtifacts' | 'putRun'
> {
  const rows = rowsOf(pool);
  return {
    async listRuns({ limit = 100, kind } = {}) {
      const found =
        kind === undefined
          ? await rows<RunRow>(`SELECT * FROM runs ORDER BY created_at DESC, seq DESC LIMIT $1`, [
              limit,
            ])
          : await rows<RunRow>(
              `SELECT * FROM runs WHERE kind = $1 ORDER BY created_at DESC, seq DESC LIMIT $2`,
              [kind, limit],
            );
      return found.map(toRecord);
    },
    async getRun(id): Promise<RunRecord | undefined> {
      const [row] = await rows<RunRow>(`SELECT * FROM runs WHERE id = $1`, [id]);
      return row === undefined ? undefined : toRecord(row);
    },
    async getMetrics(runId): Promise<MetricRecord[]> {
      const found = await rows<MetricRecord>(
        `SELECT stage, split, name, value, lo, hi FROM metrics WHERE run_id = $1 ORDER BY stage, split, name`,
        [runId],
      );
      return found.map((m) => ({ ...m, lo: num(m.lo), hi: num(m.hi) }));
    },
    async getStages(runId): Promise<StageRecord[]> {
      const found = await rows<{
        stage: string;
        started_at: string;
        finished_at: string | null;
        summary_json: string | null;
      }>(
        `SELECT stage, started_at, finished_at, summary_json FROM stages WHERE run_id = $1 ORDER BY started_at, stage`,
        [runId],
      );
      return found.map((r) => ({
        stage: r.stage,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        summary: r.summary_json === null ? null : (JSON.parse(r.summary_json) as unknown),
      }));
    },
    async getArtifacts(runId): Promise<ArtifactRecord[]> {
      const found = await rows<ArtifactRecord>(
        `SELECT kind, path, sha256, bytes FROM artifacts WHERE run_id = $1 ORDER BY kind`,
        [runId],
      );
      return found.map((a) => ({ ...a, bytes: num(a.bytes) }));
    },
    putRun: (snapshot) => inTransaction(pool, (client) => writeRun(client, snapshot)),
  };
}

const JOB_COLUMNS = `state_json, EXTRACT(EPOCH FROM (clock_timestamp() - updated_at)) * 1000 AS age_ms`;
interface JobRow {
  state_json: string;
  age_ms: string | number;
}
const jobStateOf = (row: JobRow): JobState => ({
  state: JSON.parse(row.state_json) as unknown,
  ageMs: Number(row.age_ms),
});

/** The server jobs' states. */
function jobQueries(
  pool: pg.Pool,
): Pick<RunStoreBackend, 'putJob' | 'touchJobs' | 'getJob' | 'listJobs'> {
  const rows = rowsOf(pool);
  return {
    async putJob(id, state, keep) {
      const { rows: inserted } = await pool.query<{ seq: string }>(
        `INSERT INTO jobs (id, state_json) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET state_json = excluded.state_json, updated_at = now() RETURNING seq`,
        [id, JSON.stringify(state)],
      );
      const seq = Number(inserted[0]?.seq ?? 0);
      if (seq > keep) await pool.query('DELETE FROM jobs WHERE seq <= $1', [seq - keep]);
    },
    async touchJobs(ids) {
      if (ids.length > 0)
        await pool.query('UPDATE jobs SET updated_at = now() WHERE id = ANY($1)', [ids]);
    },
    async getJob(id) {
      const [row] = await rows<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1`, [id]);
      return row === undefined ? undefined : jobStateOf(row);
    },
    async listJobs(limit) {
      const found = await rows<JobRow>(
        `SELECT ${JOB_COLUMNS} FROM jobs ORDER BY seq DESC LIMIT $1`,
        [limit],
      );
      return found.map(jobStateOf);
    },
  };
}

/**
 * Opens (creating the tables if needed) the run store in a PostgreSQL database.
 * @param url - `postgres://user:password@host:port/database` (or a `?host=/socket/dir` form)
 * @throws Error naming the database (password hidden) when it cannot be reached or its schema is newer
 */
export async function openPostgresStore(url: string): Promise<RunStoreBackend> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // An idle client that loses its connection must not take the process down.
  pool.on('error', () => undefined);
  try {
    await migrate(pool, location);
  } catch (cause) {
    await pool.end();
    throw new Error(`cannot open run store ${location}: ${(cause as Error).message}`, { cause });
  }
  // A store that cannot be written (a read-only role) still opens; its dead runs stay as they are.
  await recoverPostgresRuns(pool).catch(() => undefined);
  const channel = channelOf(url);
  // Leases this process renews, by run id: stopped when their run finishes or the store closes.
  const leases = new Map<string, RunLease>();
  return {
    kind: 'postgres',
    location,
    ...runQueries(pool),
    ...recordQueries(pool, { url, location, leases }),
    recoverDeadRuns: () => recoverPostgresRuns(pool),
    ...jobQueries(pool),
    async putModelReload(id, notice) {
      await pool.query(
        `INSERT INTO model_reloads (id, notice_json) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET notice_json = excluded.notice_json, updated_at = now()`,
        [id, JSON.stringify(notice)],
      );
    },
    async listModelReloads() {
      const { rows } = await pool.query<{ id: string; notice_json: string }>(
        'SELECT id, notice_json FROM model_reloads ORDER BY id',
      );
      return rows.map((r) => ({ id: r.id, notice: JSON.parse(r.notice_json) as unknown }));
    },
    async publish(message) {
      await pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(message)]);
    },
    subscribe: (listener) => channel.subscribe(listener),
    async close() {
      await Promise.all([...leases.values()].map((lease) => lease.stop()));
      leases.clear();
      await channel.close();
      await pool.end();
    },
  };
}
