/**
 * @file The run store as the server sees it. One process: the SQLite file is both where runs are written and where
 * they are read. Several replicas (`GRADESHIFT_STORE=postgres://…`): each still writes into its file (the job
 * threads and the CLI do), and the runs of the file are copied into PostgreSQL after each job (before the job is
 * reported done) and every `storeSyncMs`, and every replica reads runs from PostgreSQL.
 */
import type { Logger } from 'pino';

import {
  copyChangedRuns,
  openPostgresStore,
  type CopiedRuns,
  sqliteBackend,
  type RunStore,
  type RunStoreBackend,
} from '@gradeshift/pipeline';

/** The store runs are read from, and the copy of the file's runs into it. */
/** What a part of the API that listens on the run store's channel is given: the store and a logger. */
export interface StoreListenerOptions {
  readonly backend: RunStoreBackend;
  readonly logger: Logger;
}

export interface SharedStore {
  readonly backend: RunStoreBackend;
  /** Copies the runs of the file that the shared store lacks or holds in another state (no-op on one file). */
  sync(): Promise<void>;
  /** Stops the periodic copy, copies once more and closes both stores. */
  close(): Promise<void>;
}

/**
 * Opens the shared store named by `url`, or serves the file alone when there is none.
 * @param local - the open SQLite store; closed by `close()`
 * @throws Error naming the database (password hidden) when it cannot be reached
 */
export async function openSharedStore(options: {
  local: RunStore;
  url: string | undefined;
  syncMs: number;
  logger: Logger;
}): Promise<SharedStore> {
  const { local, url, logger } = options;
  if (url === undefined) {
    const backend = sqliteBackend(local);
    return { backend, sync: () => Promise.resolve(), close: () => backend.close() };
  }
  const backend = await openPostgresStore(url);
  // What this replica copied, so later copies read only the file (store/run-store-backend.ts).
  const known: CopiedRuns = new Map();
  let tail = Promise.resolve();
  let busy = false;
  const copy = async (): Promise<void> => {
    busy = true;
    try {
      const ids = await copyChangedRuns(local, backend, { known });
      if (ids.length > 0) logger.debug({ runs: ids, store: backend.location }, 'runs copied');
      // Runs the CLI records straight into PostgreSQL: a lapsed lease means their process is gone.
      const marked = await backend.recoverDeadRuns();
      if (marked.length > 0)
        logger.info(
          { runs: marked, store: backend.location },
          'runs of gone processes marked interrupted',
        );
    } catch (error) {
      logger.warn(
        { err: error, store: backend.location },
        'copying runs to the shared store failed',
      );
    } finally {
      busy = false;
    }
  };
  const sync = (): Promise<void> => (tail = tail.then(copy));
  await sync();
  const timer = setInterval(() => {
    if (!busy) void sync();
  }, options.syncMs);
  timer.unref();
  logger.info({ store: backend.location }, 'runs shared through PostgreSQL');
  return {
    backend,
    sync,
    async close() {
      clearInterval(timer);
      await sync();
      await backend.close();
      local.close();
    },
  };
}
