/**
 * @file Jobs as every replica sees them. Each replica runs its own jobs (job-runner.ts) and, on a shared
 * PostgreSQL store, records their states there (start, progress at most once a second, end), so `jobs.get`,
 * `jobs.list`, `jobs.export` and `labels.export` answer on any replica; `jobs.cancel` of another replica's job is
 * sent to it on the store's message channel. A replica marks its running jobs every `touchMs`; a running job left
 * unmarked three times as long (its replica died) is shown failed. On the SQLite file alone the board is the runner itself.
 */

import type { JobState } from '@gradeshift/pipeline';

import type { StoreListenerOptions } from '../store/shared-store';
import type { JobRunner, JobSnapshot } from './job-runner';

const CANCEL_TOPIC = 'jobs.cancel';

/** The jobs of every replica on the store. */
export interface JobBoard {
  /** A job of any replica, or undefined when unknown (or no longer kept). */
  get(id: string): Promise<JobSnapshot | undefined>;
  /** Jobs of every replica, newest first. */
  list(): Promise<JobSnapshot[]>;
  /** Asks a running job to stop, on whichever replica runs it; false when it is not running. */
  cancel(id: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The board of one process: its runner's jobs only. */
function localBoard(runner: JobRunner): JobBoard {
  return {
    get: (id) => Promise.resolve(runner.get(id)),
    list: () => Promise.resolve(runner.list()),
    cancel: (id) => Promise.resolve(runner.cancel(id)),
    close: () => Promise.resolve(),
  };
}

/**
 * The job board over `runner` and, on PostgreSQL, the jobs recorded by the other replicas.
 * @param options - the runner (its `onChange` must record into `backend`), the store, jobs kept, a logger
 */
export async function createJobBoard(
  options: StoreListenerOptions & {
    runner: JobRunner;
    retention: number;
    /** How often this replica marks its running jobs as followed, ms; a running job unmarked 3 times as long is lost. */
    touchMs: number;
  },
): Promise<JobBoard> {
  const { runner, backend, retention, logger } = options;
  if (backend.kind === 'sqlite') return localBoard(runner);
  const unsubscribe = await backend.subscribe((message) => {
    const id = (message.payload as { id?: unknown } | null)?.id;
    if (message.topic !== CANCEL_TOPIC || typeof id !== 'string') return;
    if (runner.cancel(id)) logger.info({ job: id }, 'job cancelled from another replica');
  });
  const timer = setInterval(() => {
    const running = runner.list().filter((j) => j.status === 'running');
    backend
      .touchJobs(running.map((j) => j.id))
      .catch((error: unknown) => logger.warn({ err: error }, 'marking running jobs failed'));
  }, options.touchMs);
  timer.unref();
  const lostAfterMs = 3 * options.touchMs;
  const shared = async (id: string): Promise<JobSnapshot | undefined> => {
    const found = await backend.getJob(id);
    return found === undefined ? undefined : seen(found, lostAfterMs);
  };
  return {
    get: async (id) => runner.get(id) ?? (await shared(id)),
    async list() {
      const mine = runner.list();
      const ids = new Set(mine.map((j) => j.id));
      const others = (await backend.listJobs(retention))
        .map((found) => seen(found, lostAfterMs))
        .filter((j) => !ids.has(j.id));
      return [...mine, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    async cancel(id) {
      if (runner.get(id) !== undefined) return runner.cancel(id);
      if ((await shared(id))?.status !== 'running') return false;
      await backend.publish({ topic: CANCEL_TOPIC, payload: { id } });
      return true;
    },
    async close() {
      clearInterval(timer);
      await unsubscribe();
    },
  };
}

/**
 * A job of another replica as recorded: a `running` job its replica stopped marking (the process died, or lost
 * the store) is shown `failed`, saying so.
 */
function seen(found: JobState, lostAfterMs: number): JobSnapshot {
  const job = found.state as JobSnapshot;
  if (job.status !== 'running' || found.ageMs <= lostAfterMs) return job;
  return {
    ...job,
    status: 'failed',
    error: `the replica running this job stopped answering (no sign of it for ${Math.round(found.ageMs / 1000)} s)`,
  };
}
