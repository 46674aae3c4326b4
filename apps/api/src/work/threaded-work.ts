/**
 * @file The evaluate, select and labels work run in job threads (worker_threads), one per job, so a job's loading,
 * scoring, bootstrap and training never hold the HTTP thread: health checks, `score` and `jobs.cancel` are
 * answered throughout.
 *
 * Cancellation: an evaluate or select thread is asked to stop and does so at its next progress point (or right
 * after the bootstrap); a thread still busy after `cancelGraceMs` is terminated, and its run, if it had started
 * one, is marked `interrupted` in the run store with its temporary files removed. Labels training has no stopping
 * point, so its thread is terminated at once and its run handled the same way (labels-work.ts). A thread that dies
 * (out of memory under its heap cap, a crash) fails its job; the server stays up.
 */
import { Worker } from 'node:worker_threads';

import { createNativeGuard, terminateOutsideNative } from '@gradeshift/core/node';

import type { RunStore } from '@gradeshift/pipeline';

import type { JobContext } from '../jobs/job-runner';

import { WorkInputError } from './dataset-source';
import type { EvaluateRequest } from './evaluate-work';
import type {
  JobThreadData,
  JobThreadMessage,
  JobThreadSettings,
  ModelJobThreadData,
} from './job-thread-protocol';
import type { LabelsResult } from '../labels/labels-job';
import type { JobWork, WorkContext } from './job-work';
import { interruptLabelsRun, interruptRun } from './labels-work';
import type { SelectRequest } from './select-work';

/** Options of {@link createThreadedWork}. */
export interface ThreadedWorkOptions {
  readonly settings: JobThreadSettings;
  /** The run store, to mark the run of a terminated thread interrupted. */
  readonly store: RunStore;
  /** Time a cancelled thread has to stop by itself before it is terminated, ms. @default 2000 */
  readonly cancelGraceMs?: number;
  /** Heap cap of a job thread, MB. @default 4096 */
  readonly maxHeapMb?: number;
}

const BOOT = new URL('./job-thread-boot.mjs', import.meta.url);

/** What a terminated thread leaves: an evaluate or labels run still `running` is marked interrupted. */
function afterTerminate(data: JobThreadData, store: RunStore, reason: string): void {
  if (data.kind === 'evaluate') interruptRun(store, data.request.name, reason);
  else if (data.kind === 'labels') interruptLabelsRun(data.request, reason);
}

/** Rebuilds a thread's failure as the error class the API maps to a status. */
function failure(message: { name: string; message: string }): Error {
  const error =
    message.name === 'WorkInputError'
      ? new WorkInputError(message.message)
      : new Error(message.message);
  return error;
}

function runInThread(
  data: JobThreadData,
  job: JobContext,
  options: ThreadedWorkOptions,
): Promise<unknown> {
  // Labels training never checks the signal: waiting would only delay the termination.
  const grace = data.kind === 'labels' ? 0 : (options.cancelGraceMs ?? 2000);
  const guard = createNativeGuard();
  const worker = new Worker(BOOT, {
    workerData: { ...data, nativeGuard: guard },
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 4096 },
  });
  return new Promise((resolve, reject) => {
    let outcome: { ok: true; result: unknown } | { ok: false; error: Error } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      const reason = job.signal.reason instanceof Error ? job.signal.reason.message : 'cancelled';
      worker.postMessage({ type: 'cancel', reason });
      timer = setTimeout(() => {
        const cancelled =
          job.signal.reason instanceof Error ? job.signal.reason : new Error(reason);
        outcome ??= { ok: false, error: cancelled };
        // Outside onnxruntime's native calls: terminating inside one aborts the server (native-guard.ts).
        void terminateOutsideNative(worker, guard).then(() =>
          afterTerminate(data, options.store, reason),
        );
      }, grace);
    };
    if (job.signal.aborted) onAbort();
    else job.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: JobThreadMessage) => {
      if (message.type === 'progress') job.progress(message.progress);
      else if (message.type === 'done') outcome ??= { ok: true, result: message.result };
      else outcome ??= { ok: false, error: failure(message) };
    });
    worker.on('error', (error) => {
      outcome ??= { ok: false, error: new Error(`the job thread failed: ${error.message}`) };
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      job.signal.removeEventListener('abort', onAbort);
      const settled = outcome ?? {
        ok: false,
        error: new Error(`the job thread stopped (exit code ${code}) before it finished`),
      };
      if (settled.ok) resolve(settled.result);
      else reject(settled.error);
    });
  });
}

/**
 * The evaluate, select and labels work, each job in its own thread.
 * @param options - the threads' settings, the run store, the cancel grace and heap cap
 */
export function createThreadedWork(options: ThreadedWorkOptions): JobWork {
  const modelOf = (context: WorkContext): ModelJobThreadData['model'] => {
    const { id, version, dir, loadedAt, sha256, bytes } = context.model;
    return { id, version, dir, loadedAt, sha256, bytes };
  };
  const { settings } = options;
  const run = <TKind extends 'evaluate' | 'select'>(kind: TKind) =>
    ((request: EvaluateRequest | SelectRequest, context: WorkContext) =>
      runInThread(
        { kind, request, model: modelOf(context), settings } as ModelJobThreadData,
        context.job,
        options,
      )) as JobWork[TKind];
  return {
    evaluate: run('evaluate'),
    select: run('select'),
    labels: (request, job) =>
      runInThread({ kind: 'labels', request, settings }, job, options) as Promise<LabelsResult>,
  };
}
