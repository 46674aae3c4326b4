/**
 * @file The jobs port: long work (evaluate, select) runs in the background under an id the client polls.
 *
 * Design: `submit` takes a plain async function, so routers do not know how work is scheduled, and the work does
 * not know HTTP. At most `maxConcurrent` jobs run at once; a submission over that is refused at once (the client
 * retries later) rather than queued without bound. Finished jobs are kept, newest first, up to `retention`.
 * `shutdown` aborts the jobs still running and waits for them to notice.
 */
import { randomUUID } from 'node:crypto';

import { limitMessage } from '../limits';

/** Longest job error kept, in characters: `jobs.list` stays small whatever a job met. */
export const MAX_JOB_ERROR_CHARS = 2000;

function capMessage(message: string): string {
  return message.length <= MAX_JOB_ERROR_CHARS
    ? message
    : `${message.slice(0, MAX_JOB_ERROR_CHARS)}… (${message.length} characters)`;
}

/** The state of a job. */
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Where a job is. */
export interface JobProgress {
  /** The step, e.g. `reading`, `scoring`, `metrics`. */
  readonly stage: string;
  readonly done?: number;
  readonly total?: number;
  readonly message?: string;
}

/** What the work function gets. */
export interface JobContext {
  /** Reports progress (cheap; call freely). */
  progress(progress: JobProgress): void;
  /** Aborted on cancel or shutdown: stop at the next convenient point. */
  readonly signal: AbortSignal;
}

/** A job as clients see it. */
export interface JobSnapshot<TKind extends string = string, TResult = unknown> {
  readonly id: string;
  readonly kind: TKind;
  readonly status: JobStatus;
  readonly progress: JobProgress;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly result: TResult | null;
  readonly error: string | null;
}

/** Thrown by `submit` when `maxConcurrent` jobs are running. */
export class JobLimitError extends Error {
  constructor(limit: number) {
    super(
      `${limit} jobs are running; try again when one finishes: ${limitMessage('maxConcurrentJobs', limit)}`,
    );
    this.name = 'JobLimitError';
  }
}

/** Options of {@link createJobRunner}. */
export interface CreateJobRunnerOptions {
  /** Jobs running at once. */
  maxConcurrent: number;
  /** Finished jobs kept. @default 100 */
  retention?: number;
  /** Called when a job fails, for logging. @default undefined */
  onError?: (job: JobSnapshot, error: unknown) => void;
  /**
   * Awaited after each job's work ends and before its status changes (copying its run to a shared store, so a
   * client that sees the job done finds the run on every replica). Its errors are its own to report.
   * @default undefined
   */
  afterWork?: () => Promise<void>;
  /**
   * Called with a job's state when it starts, at most once a second as it progresses, and when it ends (awaited
   * before the end shows here, so other replicas never lag behind this one). Calls for one job run in order; their
   * errors are their own to report.
   * @default undefined
   */
  onChange?: (snapshot: JobSnapshot) => Promise<void>;
}

/** Least time between two progress states passed to `onChange`, ms. */
const PROGRESS_SHARE_MS = 1000;

/** The job runner. */
export interface JobRunner {
  /** Starts `work` now. @throws JobLimitError when `maxConcurrent` jobs are running */
  submit<TKind extends string, TResult>(
    kind: TKind,
    work: (context: JobContext) => Promise<TResult>,
  ): JobSnapshot<TKind, TResult>;
  /** A job, or undefined when unknown (or no longer kept). */
  get(id: string): JobSnapshot | undefined;
  /** Resolves once the `onChange` calls made so far for a job are done (at once for an unknown job). */
  recorded(id: string): Promise<void>;
  /** Jobs, newest first. */
  list(): JobSnapshot[];
  /** Asks a running job to stop; false when it is not running. */
  cancel(id: string): boolean;
  /** Jobs running now. */
  running(): number;
  /** Aborts running jobs and waits for them (at most `timeoutMs`). */
  shutdown(timeoutMs: number): Promise<void>;
}

interface MutableJob {
  snapshot: JobSnapshot;
  /** The tail of this job's `onChange` calls. */
  shared: Promise<void>;
  sharedAt: number;
  controller: AbortController;
  done: Promise<void>;
}

/** Passes a job's states to `onChange` in order, each call after the last (a no-op without it). */
function sharer(
  onChange: CreateJobRunnerOptions['onChange'],
): (job: MutableJob, snapshot: JobSnapshot) => Promise<void> {
  return (job, snapshot) => {
    if (onChange === undefined) return Promise.resolve();
    job.sharedAt = performance.now();
    job.shared = job.shared.then(() => onChange(snapshot)).catch(() => undefined);
    return job.shared;
  };
}

/**
 * Creates a job runner.
 * @param options - concurrency, retention, error hook
 * @returns the runner
 * @example const jobs = createJobRunner({ maxConcurrent: 2 }); const { id } = jobs.submit('evaluate', work);
 */
export function createJobRunner(options: CreateJobRunnerOptions): JobRunner {
  const { maxConcurrent, retention = 100, onError, afterWork, onChange } = options;
  const share = sharer(onChange);
  const settle = (): Promise<void> => (afterWork?.() ?? Promise.resolve()).catch(() => undefined);
  const jobs = new Map<string, MutableJob>();
  let active = 0;

  const prune = (): void => {
    const finished = [...jobs.values()].filter((j) => j.snapshot.status !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - retention)))
      jobs.delete(job.snapshot.id);
  };

  return {
    submit(kind, work) {
      if (active >= maxConcurrent) throw new JobLimitError(maxConcurrent);
      active += 1;
      const controller = new AbortController();
      const job: MutableJob = {
        controller,
        done: Promise.resolve(),
        shared: Promise.resolve(),
        sharedAt: 0,
        snapshot: {
          id: randomUUID(),
          kind,
          status: 'running',
          progress: { stage: 'queued' },
          createdAt: new Date().toISOString(),
          finishedAt: null,
          result: null,
          error: null,
        },
      };
      jobs.set(job.snapshot.id, job);
      void share(job, job.snapshot);
      const finish = async (patch: Partial<JobSnapshot>): Promise<void> => {
        const final = { ...job.snapshot, ...patch, finishedAt: new Date().toISOString() };
        await share(job, final);
        active -= 1;
        job.snapshot = final;
        prune();
      };
      const context: JobContext = {
        signal: controller.signal,
        progress(progress) {
          if (job.snapshot.status !== 'running') return;
          job.snapshot = { ...job.snapshot, progress };
          if (performance.now() - job.sharedAt >= PROGRESS_SHARE_MS) void share(job, job.snapshot);
        },
      };
      // The work starts on the next tick, so `submit` returns before any of it runs.
      job.done = Promise.resolve()
        .then(() => {
          // Cancelled before it started: do not start it.
          if (controller.signal.aborted) throw controller.signal.reason;
          return work(context);
        })
        .then(
          async (result) => {
            await settle();
            await finish({ status: 'succeeded', result, progress: { stage: 'done' } });
          },
          async (error: unknown) => {
            await settle();
            const message = capMessage(error instanceof Error ? error.message : String(error));
            const cancelled = controller.signal.aborted;
            await finish({ status: cancelled ? 'cancelled' : 'failed', error: message });
            if (!cancelled) onError?.(job.snapshot, error);
          },
        );
      return job.snapshot as JobSnapshot<typeof kind, never>;
    },
    get: (id) => jobs.get(id)?.snapshot,
    recorded: (id) => jobs.get(id)?.shared ?? Promise.resolve(),
    list: () => [...jobs.values()].map((j) => j.snapshot).reverse(),
    cancel(id) {
      const job = jobs.get(id);
      if (job?.snapshot.status !== 'running') return false;
      job.controller.abort(new Error('the job was cancelled'));
      return true;
    },
    running: () => active,
    async shutdown(timeoutMs) {
      const running = [...jobs.values()].filter((j) => j.snapshot.status === 'running');
      for (const job of running) job.controller.abort(new Error('the server is shutting down'));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(running.map((j) => j.done)),
        new Promise((done) => {
          timer = setTimeout(done, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
