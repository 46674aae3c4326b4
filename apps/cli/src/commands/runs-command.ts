/**
 * `gradeshift runs`: lists the runs of a run store, or shows one run with its stages, metrics and artifacts. The
 * store is `--store` (an SQLite file or a `postgres://` URL), else `GRADESHIFT_STORE`, else runs/runs.sqlite — the
 * same setting the pipeline and the API record into, so a run written to PostgreSQL is listed from any machine.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import {
  isPostgresUrl,
  redactUrl,
  openRunStore,
  openRunStoreBackend,
  sqliteBackend,
  type RunRecord,
  type RunStoreBackend,
} from '@gradeshift/pipeline';

import type { RunsArgs } from '../parsed-command';
import { InputMissingError, UsageError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { DEFAULT_STORE, RUNS_SPEC } from '../specs/runs-specs';
import { storeSetting } from '../store-setting';
import { formatRunDetails, formatRunTable } from './runs-format';

/** Every run id this many runs back is searched for a prefix match. */
const PREFIX_SEARCH_LIMIT = 100_000;

async function findRun(store: RunStoreBackend, id: string, where: string): Promise<RunRecord> {
  const exact = await store.getRun(id);
  if (exact !== undefined) return exact;
  const runs = await store.listRuns({ limit: PREFIX_SEARCH_LIMIT });
  const matches = runs.filter((r) => r.id.startsWith(id));
  const [first, second] = matches;
  if (first !== undefined && second === undefined) return first;
  if (first === undefined) {
    throw new InputMissingError('run', {
      path: `${id} in ${where}`,
      hint: 'list the runs with `gradeshift runs`',
    });
  }
  throw new UsageError(
    `run id prefix "${id}" matches ${matches.length} runs (${matches
      .slice(0, 5)
      .map((r) => r.id)
      .join(', ')}); give more characters`,
    { usage: RUNS_SPEC.usage, command: 'runs' },
  );
}

/**
 * Opens the store for listing. An SQLite file is opened read-write when it can be, so runs left `running` by a
 * dead process are marked `interrupted` before they are listed (crash recovery), read-only otherwise (a store the
 * user may not write); a PostgreSQL URL opens the shared store.
 * @throws InputMissingError when the SQLite file does not exist
 */
async function openForListing(setting: string): Promise<RunStoreBackend> {
  if (isPostgresUrl(setting)) return openRunStoreBackend(setting);
  if (!existsSync(setting)) {
    throw new InputMissingError('run store', {
      path: setting,
      hint: 'run `gradeshift pipeline --out runs/<name>` first (it records into runs/runs.sqlite), or pass --store <file|url> (or set GRADESHIFT_STORE)',
    });
  }
  try {
    return sqliteBackend(openRunStore(setting));
  } catch {
    return sqliteBackend(openRunStore(setting, { readonly: true }));
  }
}

/**
 * Runs `gradeshift runs`.
 * @returns the exit code
 * @throws InputMissingError when the store or the run does not exist
 */
export async function runRunsCommand(args: RunsArgs, ctx: CommandContext): Promise<ExitCode> {
  const setting = storeSetting(ctx, args.store) ?? resolve(ctx.cwd, DEFAULT_STORE);
  const where = isPostgresUrl(setting) ? redactUrl(setting) : setting;
  const store = await openForListing(setting);
  try {
    if (args.action === 'list') {
      const runs = await store.listRuns({
        limit: args.limit,
        ...(args.kind === undefined ? {} : { kind: args.kind }),
      });
      if (args.json) ctx.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      else
        ctx.stdout.write(runs.length === 0 ? `no runs in ${where}\n` : `${formatRunTable(runs)}\n`);
      return EXIT_CODES.OK;
    }
    const run = await findRun(store, args.id ?? '', where);
    const details = {
      run,
      stages: await store.getStages(run.id),
      metrics: await store.getMetrics(run.id),
      artifacts: await store.getArtifacts(run.id),
    };
    ctx.stdout.write(
      args.json ? `${JSON.stringify(details, null, 2)}\n` : `${formatRunDetails(details)}\n`,
    );
    return EXIT_CODES.OK;
  } finally {
    await store.close();
  }
}
