/**
 * `gradeshift runs`: lists the runs of a run store, or shows one run with its stages, metrics and artifacts.
 * The store is opened read-only, so listing never migrates or locks a store a pipeline is writing.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

import { openRunStore, type RunRecord, type RunStore } from '@gradeshift/pipeline';

import type { RunsArgs } from '../parsed-command';
import { InputMissingError, UsageError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { RUNS_SPEC } from '../specs/runs-specs';
import { formatRunDetails, formatRunTable } from './runs-format';

/** Every run id this many runs back is searched for a prefix match. */
const PREFIX_SEARCH_LIMIT = 100_000;

function findRun(store: RunStore, id: string): RunRecord {
  const exact = store.getRun(id);
  if (exact !== undefined) return exact;
  const matches = store.listRuns({ limit: PREFIX_SEARCH_LIMIT }).filter((r) => r.id.startsWith(id));
  const [first, second] = matches;
  if (first !== undefined && second === undefined) return first;
  if (first === undefined) {
    throw new InputMissingError('run', {
      path: `${id} in ${store.path}`,
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
 * Opens the store read-write when it can, so runs left `running` by a dead process are marked `interrupted`
 * before they are listed (crash recovery); read-only otherwise (a store the user may not write).
 */
function openForListing(path: string): RunStore {
  try {
    return openRunStore(path);
  } catch {
    return openRunStore(path, { readonly: true });
  }
}

/**
 * Runs `gradeshift runs`.
 * @returns the exit code
 * @throws InputMissingError when the store or the run does not exist
 */
export function runRunsCommand(args: RunsArgs, ctx: CommandContext): ExitCode {
  const path = resolve(ctx.cwd, args.store);
  if (!existsSync(path)) {
    throw new InputMissingError('run store', {
      path,
      hint: 'run `gradeshift pipeline --out runs/<name>` first (it records into runs/runs.sqlite), or pass --store <file>',
    });
  }
  const store = openForListing(path);
  try {
    if (args.action === 'list') {
      const runs = store.listRuns({
        limit: args.limit,
        ...(args.kind === undefined ? {} : { kind: args.kind }),
      });
      if (args.json) ctx.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
      else
        ctx.stdout.write(runs.length === 0 ? `no runs in ${path}\n` : `${formatRunTable(runs)}\n`);
      return EXIT_CODES.OK;
    }
    const run = findRun(store, args.id ?? '');
    const details = {
      run,
      stages: store.getStages(run.id),
      metrics: store.getMetrics(run.id),
      artifacts: store.getArtifacts(run.id),
    };
    ctx.stdout.write(
      args.json ? `${JSON.stringify(details, null, 2)}\n` : `${formatRunDetails(details)}\n`,
    );
    return EXIT_CODES.OK;
  } finally {
    store.close();
  }
}
