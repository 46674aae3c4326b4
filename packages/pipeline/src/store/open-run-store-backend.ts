/** Opens the run store a setting names: a PostgreSQL URL, else the SQLite file. */
import { openPostgresStore } from './postgres-store';
import { openRunStore } from './run-store';
import { isPostgresUrl, sqliteBackend, type RunStoreBackend } from './run-store-backend';

/**
 * Opens the run store named by `setting`: a `postgres://` (or `postgresql://`) URL opens PostgreSQL; anything else
 * is the path of the SQLite file, opened read-write.
 * @throws Error naming the store when it cannot be opened
 */
export async function openRunStoreBackend(setting: string): Promise<RunStoreBackend> {
  return isPostgresUrl(setting) ? openPostgresStore(setting) : sqliteBackend(openRunStore(setting));
}
