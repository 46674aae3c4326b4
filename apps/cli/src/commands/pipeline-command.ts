/**
 * `gradeshift pipeline`: runs the whole loop with a progress bar on stderr and prints a summary on stdout.
 * On SIGINT the command stops at once and marks its run `interrupted` in the run store (the pipeline cannot be
 * cancelled from inside yet, so the process exits; the store's WAL journal keeps the file consistent).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

import {
  isPostgresUrl,
  isRunFolderError,
  openRunStore,
  readRunReport,
  type PipelineResult,
  type RunReport,
} from '@gradeshift/pipeline';

import type { PipelineArgs } from '../parsed-command';
import { NotAvailableError, UsageError } from '../cli-errors';
import { MISSING_BACKENDS } from '../backends';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { createProgressBar } from '../progress-bar';
import { PIPELINE_SPEC } from '../specs/pipeline-specs';
import { storeSetting } from '../store-setting';
import { untilAborted } from '../until-aborted';
import { formatMetricTable } from './metric-table';
import { resolveDataSource, resolveFar } from './resolve-paths';

/**
 * Marks the runs of `outDir` that are still `running` as interrupted.
 * @returns a note for the user, or `undefined` when there was nothing to mark
 */
export function markRunInterrupted(location: {
  storePath: string;
  outDir: string;
}): string | undefined {
  // A PostgreSQL run is marked once the command has stopped (main.ts), which a network round trip needs.
  if (isPostgresUrl(location.storePath) || !existsSync(location.storePath)) return undefined;
  const store = openRunStore(location.storePath);
  try {
    const running = store
      .listRuns({ limit: 1000 })
      .filter((r) => r.status === 'running' && r.outDir === location.outDir);
    for (const run of running)
      store.finishRun(run.id, { status: 'interrupted', error: 'interrupted by Ctrl-C (SIGINT)' });
    return running.length === 0
      ? undefined
      : `run ${running.map((r) => r.id).join(', ')} marked interrupted in ${location.storePath}`;
  } finally {
    store.close();
  }
}

function summaryLines(result: PipelineResult): string[] {
  const { report } = result;
  const lines = [
    `run ${result.runId} (${report.run.name}) finished in ${result.seconds.toFixed(1)} s`,
    `report:       ${result.reportPath}`,
    `predictions:  ${result.predictionsPath}`,
    `model bundle: ${result.bundleDir}`,
    `run store:    ${result.storePath}`,
  ];
  const table = formatMetricTable(report.splits, ['id_test', 'ood_test']);
  return table === '' ? lines : [...lines, '', table];
}

/** The report of a finished run through the run contract, or the error that makes it unreadable here. */
function readableReport(path: string): RunReport | Error | null {
  try {
    return readRunReport(path);
  } catch (error) {
    if (isRunFolderError(error)) return error;
    throw error;
  }
}

/**
 * Runs `gradeshift pipeline`.
 * @returns the exit code
 * @throws UsageError when `--out` holds a finished run and `--overwrite` is not given; whatever the pipeline throws
 */
export async function runPipelineCommand(
  args: PipelineArgs,
  ctx: CommandContext,
): Promise<ExitCode> {
  const run = ctx.backends.runPipeline;
  if (run === undefined) throw new NotAvailableError('pipeline', MISSING_BACKENDS.runPipeline);
  const outDir = resolve(ctx.cwd, args.options.outDir);
  const reportPath = join(outDir, 'report.json');
  const bundleManifest = join(outDir, 'bundle', 'manifest.json');
  // A run is complete with its report and its model bundle; a report alone is an older or interrupted run.
  const complete = existsSync(reportPath) && existsSync(bundleManifest);
  let overwrite = args.options.overwrite === true;
  if (args.ifMissing && !overwrite && existsSync(reportPath) && !complete) {
    ctx.stderr.write(
      `${outDir} holds a run without a model bundle (an older or interrupted run): running it again\n`,
    );
    overwrite = true;
  }
  const existing = args.ifMissing && !overwrite && complete ? readableReport(reportPath) : null;
  if (existing instanceof Error) {
    ctx.stderr.write(`${existing.message}: running it again\n`);
    overwrite = true;
  } else if (existing !== null) {
    const report = existing;
    const lines = [
      `run ${report.run.id ?? '?'}${report.run.name === null ? '' : ` (${report.run.name})`} already in ${outDir}; nothing to do (--overwrite reruns it)`,
      `report:       ${reportPath}`,
      `predictions:  ${join(outDir, 'predictions.jsonl')}`,
      `model bundle: ${join(outDir, 'bundle')}`,
    ];
    const table = formatMetricTable(report.splits, ['id_test', 'ood_test']);
    ctx.stdout.write(`${[...lines, ...(table === '' ? [] : ['', table])].join('\n')}\n`);
    return EXIT_CODES.OK;
  }
  if (!overwrite && existsSync(reportPath)) {
    throw new UsageError(
      `${outDir} already holds a finished run (report.json): pass --overwrite to replace it, or choose another --out`,
      { usage: PIPELINE_SPEC.usage, command: 'pipeline' },
    );
  }
  const { storePath, cacheDir } = args.options;
  const options = {
    ...args.options,
    overwrite,
    data: resolveDataSource(args.options.data, ctx),
    far: resolveFar(args.options.far, args.options.data, ctx),
    outDir,
    storePath: storeSetting(ctx, storePath) ?? join(dirname(outDir), 'runs.sqlite'),
    ...(cacheDir === undefined ? {} : { cacheDir: resolve(ctx.cwd, cacheDir) }),
    repoRoot: ctx.repoRoot,
  };
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  let result: PipelineResult;
  try {
    result = await untilAborted(run({ ...options, progress: bar.sink }), ctx.signal, () =>
      markRunInterrupted({ storePath: options.storePath, outDir }),
    );
  } finally {
    bar.finish();
  }
  if (args.json) {
    const { report: _report, ...paths } = result;
    ctx.stdout.write(`${JSON.stringify({ ...paths, splits: result.report.splits }, null, 2)}\n`);
  } else {
    ctx.stdout.write(`${summaryLines(result).join('\n')}\n`);
  }
  return EXIT_CODES.OK;
}
