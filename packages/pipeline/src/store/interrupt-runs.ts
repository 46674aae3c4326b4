/**
 * Ending a process cleanly on SIGINT / SIGTERM: every run this process started and has not finished is marked
 * `interrupted` in its run store and the temporary files in its folder are removed. On the SQLite file this is
 * synchronous, so a signal handler can call it just before the process ends; on PostgreSQL it needs a round trip,
 * so the process awaits {@link interruptActivePostgresRuns} first when it can.
 */
import { openPostgresStore } from './postgres-store';
import { activeRuns, removeTempFiles } from './recover-runs';
import { openRunStore } from './run-store';
import { isPostgresUrl } from './run-store-backend';

/**
 * Marks this process's unfinished runs interrupted (those on the SQLite file; a PostgreSQL run only loses its
 * temporary files here).
 * @param reason - recorded as the runs' error (e.g. `interrupted (SIGINT)`)
 * @returns the ids of the runs marked
 */
export function interruptActiveRuns(reason: string): string[] {
  const marked: string[] = [];
  for (const run of activeRuns()) {
    if (!isPostgresUrl(run.storePath))
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

/**
 * Marks this process's unfinished runs on PostgreSQL interrupted.
 * @param reason - recorded as the runs' error
 * @returns the ids of the runs marked; a store that cannot be reached is skipped
 */
export async function interruptActivePostgresRuns(reason: string): Promise<string[]> {
  const marked: string[] = [];
  for (const run of activeRuns().filter((r) => isPostgresUrl(r.storePath))) {
    try {
      const store = await openPostgresStore(run.storePath);
      try {
        if ((await store.getRun(run.id))?.status === 'running') {
          await store.finishRun(run.id, { status: 'interrupted', error: reason });
          marked.push(run.id);
        }
      } finally {
        await store.close();
      }
    } catch {
      // Not reachable now: the run stays `running` in that store.
    }
  }
  return marked;
}
