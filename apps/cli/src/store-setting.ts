/**
 * @file Which run store a command records into: `--store` when the command has it, else `GRADESHIFT_STORE`, else
 * none (the pipeline's default, `runs.sqlite` beside the run folder). A `postgres://` URL records straight into
 * PostgreSQL, where API replicas on the same database list the run at once.
 */
import { resolve } from 'node:path';

import { isPostgresUrl } from '@gradeshift/pipeline';

import type { CommandContext } from './command-context';

/**
 * The run store setting of a command.
 * @param ctx - its working directory and environment
 * @param explicit - the `--store` value, if the command has one and it was given
 * @returns a PostgreSQL URL as given, an SQLite path made absolute, or undefined for the default
 */
export function storeSetting(
  ctx: Pick<CommandContext, 'cwd' | 'env'>,
  explicit?: string,
): string | undefined {
  const setting = explicit ?? ctx.env['GRADESHIFT_STORE'];
  if (setting === undefined || setting === '') return undefined;
  return isPostgresUrl(setting) ? setting : resolve(ctx.cwd, setting);
}

/** `{ storePath }` for a setting, nothing for the default. */
export function optionalStore(setting: string | undefined): { storePath?: string } {
  return setting === undefined ? {} : { storePath: setting };
}
