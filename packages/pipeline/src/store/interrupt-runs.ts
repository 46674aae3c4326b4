/**
 * Ending a process cleanly on SIGINT / SIGTERM: every run this process started and has not finished is marked
 * `interrupted` in its run store and the temporary files in its folder are removed, synchronously, so a signal
 * handler can call it just before the process ends.
 */
import { activeRuns, removeTempFiles } from './recover-runs';
import { openRunStore } from './run-store';

/**
 * Marks this process's unfinished runs interrupted.
 * @param reason - recorded as the runs' error (e.g. `interrupted (SIGINT)`)
 * @returns the ids of the runs marked
 */
export function interruptActiveRuns(reason: string): string[] {
  const marked: string[] = [];
  for (const run of activeRuns()) {
    try {
      const store = openRunStore(run.storePath);
      try {
        if (store.getRun(run.id)?.status === 'running') {
          store.finishRun(run.id, { status: 'interrupted', error: reason });
          marked.push(run.id);
        }
      } finally {
        store.close();
      }
    } catch {
      // The store cannot be opened now: the next process to open it marks the run (recoverRuns).
    }
    removeTempFiles(run.outDir);
  }
  return marked;
}
