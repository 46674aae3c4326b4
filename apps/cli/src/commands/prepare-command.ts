/**
 * `gradeshift prepare`: loads the data and builds the splits under the shift, then prints the split report.
 * A quick check of a data source, its mapping and its shift before a full run; writes no files.
 */
import {
  createSplits,
  defaultShift,
  formatSplitReport,
  getDatasetPreset,
  loadDataset,
  loadPreset,
  type Dataset,
  type DataSource,
  type ProgressSink,
  type Splits,
} from '@gradeshift/pipeline';

import type { PrepareArgs } from '../parsed-command';
import { UsageError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { createProgressBar } from '../progress-bar';
import { PREPARE_SPEC } from '../specs/pipeline-specs';
import { untilAborted } from '../until-aborted';
import { resolveDataSource } from './resolve-paths';

async function load(
  data: DataSource,
  context: { repoRoot: string; progress: ProgressSink; total: number | undefined },
): Promise<Dataset> {
  const { total } = context;
  const onProgress = (rows: number) => {
    context.progress({
      stage: 'load',
      message: 'reading rows',
      done: rows,
      ...(total === undefined ? {} : { total }),
    });
  };
  if ('preset' in data) {
    return loadPreset(data.preset, {
      repoRoot: context.repoRoot,
      onProgress,
      ...(data.path === undefined ? {} : { path: data.path }),
    });
  }
  return loadDataset(data.path, {
    columns: data.columns,
    grades: data.grades,
    onProgress,
    ...(data.format === undefined ? {} : { format: data.format }),
  });
}

/**
 * Runs `gradeshift prepare`.
 * @returns the exit code
 * @throws DataError for bad data; InputMissingError for a missing file
 */
export async function runPrepareCommand(args: PrepareArgs, ctx: CommandContext): Promise<ExitCode> {
  // A preset's own file has a known row count, which gives the bar a total.
  const total =
    'preset' in args.data && args.data.path === undefined
      ? getDatasetPreset(args.data.preset).rows
      : undefined;
  const data = resolveDataSource(args.data, ctx);
  const shift = args.shift ?? defaultShift(data);
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  let dataset: Dataset;
  try {
    dataset = await untilAborted(
      load(data, { repoRoot: ctx.repoRoot, progress: bar.sink, total }),
      ctx.signal,
    );
    bar.sink({ stage: 'split', message: `${shift.kind} shift, seed ${args.seed}` });
  } finally {
    bar.finish();
  }
  let splits: Splits;
  try {
    splits = createSplits(dataset, { shift, seed: args.seed });
  } catch (error) {
    // createSplits documents RangeError for a shift the data cannot satisfy (unknown held-out value, too many
    // clusters): here that can only come from the options, so it is a usage error.
    if (error instanceof RangeError)
      throw new UsageError(error.message, { usage: PREPARE_SPEC.usage, command: 'prepare' });
    throw error;
  }
  const { source } = dataset;
  if (args.json) {
    ctx.stdout.write(
      `${JSON.stringify({ source, pairs: dataset.pairs.length, issues: dataset.issues.length, report: splits.report }, null, 2)}\n`,
    );
    return EXIT_CODES.OK;
  }
  ctx.stdout.write(
    [
      `data: ${source.path} (${source.format}, sha256 ${source.sha256.slice(0, 12)}…)`,
      `rows: ${source.rows}, pairs: ${dataset.pairs.length}, skipped: ${source.skipped}, truncated texts: ${source.truncated}`,
      `grades: ${dataset.scale.grades.map((g) => g.name).join(' < ')}`,
      '',
      formatSplitReport(splits.report),
      '',
    ].join('\n'),
  );
  return EXIT_CODES.OK;
}
