import { dirname, join, resolve } from 'node:path';

import { redactUrl } from './postgres-schema';
import { isPostgresUrl } from './run-store-backend';

/**
 * The run store a run folder records into when none is named: `runs.sqlite` beside the folder.
 * @param runDir - the run folder
 */
export function defaultRunStorePath(runDir: string): string {
  return join(dirname(runDir), 'runs.sqlite');
}

/**
 * A store setting as a run folder's run.json keeps it: an SQLite path made absolute, a PostgreSQL URL without its
 * password (the password is never written into a run folder; {@link storeConnection} finds it again).
 */
export function storeReference(setting: string): string {
  return isPostgresUrl(setting) ? redactUrl(setting) : resolve(setting);
}

/**
 * The setting to open for a store reference: a PostgreSQL URL whose password was hidden is the
 * `GRADESHIFT_STORE` URL that hides to the same text.
 * @param reference - an SQLite path or a PostgreSQL URL, its password possibly hidden (`***`)
 * @param env - where `GRADESHIFT_STORE` is read @default process.env
 * @throws Error naming the store and the variable to set when the password is hidden and not found
 */
export function storeConnection(
  reference: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (!isPostgresUrl(reference) || !reference.includes(':***@')) return reference;
  const url = env['GRADESHIFT_STORE'];
  if (url !== undefined && isPostgresUrl(url) && redactUrl(url) === reference) return url;
  throw new Error(
    `the run is recorded in ${reference}: set GRADESHIFT_STORE to that database's URL (with its password)`,
  );
}
