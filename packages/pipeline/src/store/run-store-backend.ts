/**
 * @file The run store behind one asynchronous interface, so servers that run as several replicas can share it:
 * the embedded SQLite file (the default, {@link sqliteBackend} over {@link RunStore}) or a PostgreSQL database
 * (postgres-store.ts), chosen by one setting ({@link openRunStoreBackend}). Besides the records, a backend carries
 * a small message channel between the processes on the same store (PostgreSQL: LISTEN/NOTIFY; SQLite: within
 * one process only).
 */
import { EventEmitter } from 'node:events';

import type { ArtifactRecord, CreateRunOptions, MetricRecord, RunRecord } from './run-records';
import { recoverRuns } from './recover-runs';
import type { RunStore } from './run-store';

/** A stage of a run as stored. */
export interface StageRecord {
  stage: string;
  startedAt: string;
  finishedAt: string | null;
  summary: unknown;
}

/** A run with every record that belongs to it, as copied between stores. */
export interface RunSnapshot {
  run: RunRecord;
  stages: StageRecord[];
  metrics: MetricRecord[];
  artifacts: ArtifactRecord[];
}

/** A server job's last recorded state and the time since it was recorded or touched (the store's clock). */
export interface JobState {
  state: unknown;
  ageMs: number;
}

/** A message between the processes on one store: a JSON value under a topic. */
export interface StoreMessage {
  topic: string;
  payload: unknown;
}

/** How a run ends. */
export type RunOutcome =
  { status: 'succeeded' } | { status: 'failed' | 'interrupted'; error: string };

/**
 * What a process running the pipeline writes as it goes (`gradeshift pipeline`, `prepare`, `train`, `evaluate`…):
 * the run, its stages, metrics and artifacts, on either store, each write visible to every reader at once.
 */
export interface RunRecorder {
  /** Where the store is: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Records a new run in status `running` (this process's: it is marked interrupted if the process stops). */
  createRun(options: CreateRunOptions): Promise<RunRecord>;
  /** One run, or `undefined`. */
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Records the start of a stage (a restarted stage resets its times). */
  startStage(runId: string, stage: string): Promise<void>;
  /** Records the end of a stage with a JSON summary. */
  finishStage(runId: string, stage: string, summary: unknown): Promise<void>;
  /** Writes metrics in one transaction, replacing same-keyed values. @throws RangeError for a non-finite value */
  putMetrics(runId: string, metrics: readonly MetricRecord[]): Promise<void>;
  /** Records artifact files, replacing same-kind ones. */
  putArtifacts(runId: string, artifacts: readonly ArtifactRecord[]): Promise<void>;
  /** Marks a run finished. @throws RangeError when there is no such run */
  finishRun(id: string, outcome: RunOutcome): Promise<void>;
  close(): Promise<void>;
}

/** The run store as the API's replicas share it. */
export interface RunStoreBackend extends RunRecorder {
  /** `sqlite` or `postgres`. */
  readonly kind: 'sqlite' | 'postgres';
  /** Runs, newest first. */
  listRuns(options?: { limit?: number; kind?: string }): Promise<RunRecord[]>;
  getMetrics(runId: string): Promise<MetricRecord[]>;
  getStages(runId: string): Promise<StageRecord[]>;
  getArtifacts(runId: string): Promise<ArtifactRecord[]>;
  /** Writes a run with its stages, metrics and artifacts, replacing what the store held for it, in one transaction. */
  putRun(snapshot: RunSnapshot): Promise<void>;
  /**
   * Records the state of a server job (a JSON value), replacing the last one of that id; the store keeps the
   * newest `keep` jobs. On SQLite the jobs are kept in this process only.
   */
  putJob(id: string, state: unknown, keep: number): Promise<void>;
  /** Marks jobs as still followed by their process (their age starts again), their state unchanged. */
  touchJobs(ids: readonly string[]): Promise<void>;
  /** The last state of a job, or `undefined`. */
  getJob(id: string): Promise<JobState | undefined>;
  /** The last states of the newest jobs, newest first. */
  listJobs(limit: number): Promise<JobState[]>;
  /**
   * Records the last reload of model `id` (a JSON value), replacing the one before, so a replica that missed its
   * message can catch up. On SQLite it is kept in this process only.
   */
  putModelReload(id: string, notice: unknown): Promise<void>;
  /** The last reload recorded of each model, by model id. */
  listModelReloads(): Promise<{ id: string; notice: unknown }[]>;
  /**
   * Marks `interrupted` the running runs whose process is gone (SQLite: a dead owner on this host; PostgreSQL: that,
   * or a lapsed lease on any host) and removes their temporary files; nothing for a store this process cannot write.
   * @returns the ids marked
   */
  recoverDeadRuns(): Promise<string[]>;
  /** Sends a message to every subscriber on this store (this process's included). */
  publish(message: StoreMessage): Promise<void>;
  /** Calls `listener` for each message; resolves once listening. Returns the unsubscribe function. */
  subscribe(listener: (message: StoreMessage) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Every record of one run of a {@link RunStore}. @throws RangeError when there is no such run */
export function snapshotOf(store: RunStore, id: string): RunSnapshot {
  return {
    run: store.requireRun(id),
    stages: store.getStages(id),
    metrics: store.getMetrics(id),
    artifacts: store.getArtifacts(id),
  };
}

/** `work()`'s value as a promise, its throw as a rejection. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/**
 * The SQLite run store behind the backend interface. Messages reach the subscribers of this process only: two
 * processes on one SQLite file share the runs, not the messages.
 * @param store - an open store, closed with the backend
 */
export function sqliteBackend(store: RunStore): RunStoreBackend {
  const bus = new EventEmitter();
  // Newest last (a Map keeps insertion order; a re-put job moves to the end only when new).
  const jobs = new Map<string, { json: string; at: number }>();
  const reloads = new Map<string, string>();
  const stateOf = (job: { json: string; at: number }): JobState => ({
    state: JSON.parse(job.json) as unknown,
    ageMs: Date.now() - job.at,
  });
  return {
    kind: 'sqlite',
    location: store.path,
    listRuns: (options) => Promise.resolve(store.listRuns(options)),
    getRun: (id) => Promise.resolve(store.getRun(id)),
    getMetrics: (id) => Promise.resolve(store.getMetrics(id)),
    getStages: (id) => Promise.resolve(store.getStages(id)),
    getArtifacts: (id) => Promise.resolve(store.getArtifacts(id)),
    putRun: (snapshot) => Promise.resolve(store.importRun(snapshot)),
    // A read-only file refuses the writes: nothing is marked.
    recoverDeadRuns: () => settle(() => recoverRuns(store)).catch(() => []),
    createRun: (options) => settle(() => store.createRun(options)),
    startStage: (id, stage) => settle(() => store.startStage(id, stage)),
    finishStage: (id, stage, summary) => settle(() => store.finishStage(id, stage, summary)),
    putMetrics: (id, metrics) => settle(() => store.putMetrics(id, metrics)),
    putArtifacts: (id, artifacts) => settle(() => store.putArtifacts(id, artifacts)),
    finishRun: (id, outcome) => settle(() => store.finishRun(id, outcome)),
    putJob(id, state, keep) {
      jobs.set(id, { json: JSON.stringify(state), at: Date.now() });
      for (const old of [...jobs.keys()].slice(0, Math.max(0, jobs.size - keep))) jobs.delete(old);
      return Promise.resolve();
    },
    touchJobs(ids) {
      for (const id of ids) {
        const job = jobs.get(id);
        if (job !== undefined) job.at = Date.now();
      }
      return Promise.resolve();
    },
    getJob(id) {
      const job = jobs.get(id);
      return Promise.resolve(job === undefined ? undefined : stateOf(job));
    },
    listJobs(limit) {
      return Promise.resolve([...jobs.values()].reverse().slice(0, limit).map(stateOf));
    },
    putModelReload(id, notice) {
      reloads.set(id, JSON.stringify(notice));
      return Promise.resolve();
    },
    listModelReloads() {
      return Promise.resolve(
        [...reloads]
          .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
          .map(([id, json]) => ({ id, notice: JSON.parse(json) as unknown })),
      );
    },
    publish(message) {
      // A copy, as a database round trip would give.
      bus.emit('message', JSON.parse(JSON.stringify(message)) as StoreMessage);
      return Promise.resolve();
    },
    subscribe(listener) {
      bus.on('message', listener);
      return Promise.resolve(() => {
        bus.off('message', listener);
        return Promise.resolve();
      });
    },
    close: () => Promise.resolve(store.close()),
  };
}

/** Whether a store setting names a PostgreSQL database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(setting: string): boolean {
  return /^postgres(ql)?:\/\//i.test(setting);
}

/** What a copy knows `to` holds: each run's status and end time, by id (filled and kept by {@link copyChangedRuns}). */
export type CopiedRuns = Map<string, string>;

const stateKey = (run: RunRecord): string => `${run.status} ${run.finishedAt ?? ''}`;

/**
 * Copies the runs of `from` that `to` lacks or holds in another state (status, end time) into `to`.
 * @param options - `known`: what earlier copies left in `to`; empty, it is read from `to` once (later calls then
 *   read only `from`); the newest `limit` runs are compared @default 10000
 * @returns the ids copied
 */
export async function copyChangedRuns(
  from: RunStore,
  to: RunStoreBackend,
  options: { limit?: number; known?: CopiedRuns } = {},
): Promise<string[]> {
  const limit = options.limit ?? 10_000;
  const known = options.known ?? new Map<string, string>();
  if (known.size === 0)
    for (const run of await to.listRuns({ limit })) known.set(run.id, stateKey(run));
  const copied: string[] = [];
  for (const run of from.listRuns({ limit })) {
    const key = stateKey(run);
    if (known.get(run.id) === key) continue;
    await to.putRun(snapshotOf(from, run.id));
    known.set(run.id, key);
    copied.push(run.id);
  }
  return copied;
}
