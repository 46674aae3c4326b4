/** Opens the run store a setting names: a PostgreSQL URL, else the SQLite file. */
import { openPostgresStore } from './postgres-store';
import { openRunStore } from './run-store';
import {
  isPostgresUrl,
  sqliteBackend,
  type RunRecorder,
  type RunStoreBackend,
} from './run-store-backend';
import { storeConnection } from './run-store-path';

/**
 * Opens the run store named by `setting`: a `postgres://` (or `postgresql://`) URL opens PostgreSQL; anything else
 * is the path of the SQLite file, opened read-write.
 * @throws Error naming the store when it cannot be opened
 */
export async function openRunStoreBackend(setting: string): Promise<RunStoreBackend> {
  return isPostgresUrl(setting) ? openPostgresStore(setting) : sqliteBackend(openRunStore(setting));
}

/**
 * Opens the store a pipeline run records into: an SQLite path, a PostgreSQL URL, or a PostgreSQL URL whose
 * password run.json hid (then `GRADESHIFT_STORE` gives it).
 * @throws Error naming the store when it cannot be opened or its password is not found
 */
export async function openRunRecorder(setting: string): Promise<RunRecorder> {
  return openRunStoreBackend(storeConnection(setting));
}
