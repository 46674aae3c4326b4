/**
 * @file A job thread: runs one evaluate, select or labels job off the HTTP thread. For evaluate and select it loads
 * the leased model's bundle itself (and refuses it if the folder no longer holds the bundle the job was accepted
 * on); it runs the same work functions as before (evaluate-work.ts, select-work.ts, labels-work.ts), reports
 * progress, and stops at its next progress point when the server cancels it (labels training has none: the server
 * terminates that thread). Messages come from threaded-work.ts.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

import { installNativeGuard } from '@gradeshift/core/node';

import type { JobContext } from '../jobs/job-runner';
import type { ScorerModel } from '../models/model-kinds';
import { createEvaluateWork } from './evaluate-work';
import {
  loadNodeModelForJob,
  type JobThreadData,
  type JobThreadMessage,
  type ModelJobThreadData,
} from './job-thread-protocol';
import type { WorkContext } from './job-work';
import { labelsWork } from './labels-work';
import { createSelectWork } from './select-work';

const port = parentPort;
if (port === null) throw new Error('job-thread-main.ts runs only as a worker thread');
const data = workerData as JobThreadData & { readonly nativeGuard?: SharedArrayBuffer };
// The host terminates this thread only outside onnxruntime's native calls (core/node's native-guard.ts).
installNativeGuard(data.nativeGuard);
const controller = new AbortController();
port.on('message', (message: { type: 'cancel'; reason: string }) => {
  if (message.type === 'cancel') controller.abort(new Error(message.reason));
});
const post = (message: JobThreadMessage): void => port.postMessage(message);

/**
 * Nice value of a job thread: the HTTP and scoring threads (nice 0) get the cores first while a job runs (weight
 * 110 against 1024 under Linux's CFS), and a job still gets every core the server leaves idle.
 */
export const JOB_THREAD_NICE = 10;

/**
 * Lowers this thread's scheduling priority before it loads onnxruntime, so the threads it starts (onnxruntime's
 * pool, a job's scoring threads) inherit it. On Linux the nice value is per thread and `setpriority(PRIO_PROCESS,
 * 0)` changes the calling thread only (man 2 setpriority, NOTES); elsewhere it may change the whole process, so it
 * is done on Linux only. A refusal (a sandbox without the right) leaves the priority as it is.
 */
function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(JOB_THREAD_NICE);
  } catch {
    // Not allowed here: the job runs at the server's priority, as before.
  }
}

const job: JobContext = {
  signal: controller.signal,
  progress: (progress) => post({ type: 'progress', progress }),
};

async function runWithModel(data: ModelJobThreadData): Promise<unknown> {
  const { loaded, dispose } = await loadNodeModelForJob(data);
  try {
    const model: ScorerModel = {
      ...data.model,
      kind: 'scorer',
      manifest: loaded.bundle.manifest,
      scorer: loaded.scorer,
    };
    const context: WorkContext = { model, job };
    return data.kind === 'evaluate'
      ? await createEvaluateWork(data.settings)(data.request, context)
      : await createSelectWork(data.settings)(data.request, context);
  } finally {
    await loaded.dispose();
    await dispose();
  }
}

lowerPriority();
// The last message, then the port closes so the thread ends (its listener would keep it alive).
(data.kind === 'labels' ? labelsWork(data.request, job) : runWithModel(data))
  .then(
    (result) => post({ type: 'done', result }),
    (error: unknown) =>
      post({
        type: 'failed',
        name: error instanceof Error ? error.name : 'Error',
        message: error instanceof Error ? error.message : String(error),
      }),
  )
  .finally(() => port.close());
