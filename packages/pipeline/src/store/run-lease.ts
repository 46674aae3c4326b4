/**
 * @file Leases of the runs a process records into the PostgreSQL run store. The process that creates a run inserts
 * its lease (`run_leases`: the run, the renewal period, the last renewal in the database's clock) and renews it from
 * a worker thread of its own every period; any process that opens the store (and every API replica, at each store
 * sync) marks `interrupted` a running run whose lease has not been renewed for {@link LEASE_LAPSE_PERIODS} periods —
 * its process is gone, on whatever machine it ran. Both sides read the database's clock, so the hosts' clocks do not
 * matter. A run without a lease (written by older code, or copied from a replica's SQLite file) is left to the
 * owner check of `recoverPostgresRuns`.
 */
import { Worker } from 'node:worker_threads';

/** Renewal period of a run's lease, unless `GRADESHIFT_RUN_LEASE_MS` says otherwise. */
export const DEFAULT_LEASE_PERIOD_MS = 10_000;
/** A lease not renewed for this many periods has lapsed: its process is taken for gone. */
export const LEASE_LAPSE_PERIODS = 6;

/** The lease period of this process: `GRADESHIFT_RUN_LEASE_MS` (100 ms to 1 hour), else the default. */
export function leasePeriodMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['GRADESHIFT_RUN_LEASE_MS'];
  if (text === undefined || text === '') return DEFAULT_LEASE_PERIOD_MS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 100 || value > 3_600_000)
    throw new RangeError(
      `GRADESHIFT_RUN_LEASE_MS must be an integer from 100 to 3600000 (got "${text}")`,
    );
  return value;
}

/** A lease being renewed. */
export interface RunLease {
  /** Stops renewing (the run finished; its row says so). Resolves once the thread has closed its connection. */
  stop(): Promise<void>;
}

/**
 * Starts renewing the lease of run `runId` (its row inserted already) from a worker thread that does not keep the
 * process alive. The thread reconnects by itself when the store drops its connection; should the thread itself end
 * before {@link RunLease.stop} (an uncaught error in it), another is started at once, so that a live process never
 * stops renewing.
 * @param url - the store's URL (with its password: the thread opens its own connection)
 */
export function startRunLease(url: string, runId: string, periodMs: number): RunLease {
  let stopping = false;
  let worker: Worker;
  let exited: Promise<void>;
  const spawn = (): void => {
    worker = new Worker(new URL('./run-lease-thread.mjs', import.meta.url), {
      workerData: { url, runId, periodMs },
    });
    worker.unref();
    // The thread's own failure: its 'exit' follows and starts another.
    worker.on('error', () => undefined);
    exited = new Promise<void>((resolve) =>
      worker.once('exit', () => {
        if (!stopping) spawn();
        resolve();
      }),
    );
  };
  spawn();
  return {
    async stop() {
      stopping = true;
      const current = worker;
      const done = exited;
      current.postMessage('stop');
      const timeout = setTimeout(() => void current.terminate(), 2000);
      await done;
      clearTimeout(timeout);
    },
  };
}
