/**
 * `gradeshift prepare`: loads the data and builds the splits under the shift, then prints the split report.
 * Without `--out`, a quick check of a data source, its mapping and its shift before a full run (no files); with
 * `--out`, `prepareRunFolder` also builds the vocabulary and word vectors and writes the run folder's run.json.
 */
import { resolve } from 'node:path';

import {
  checkFarScale,
  createSplits,
  defaultShift,
  formatSplitReport,
  loadDataSource,
  loadFar,
  prepareRunFolder,
  type Dataset,
  type Splits,
} from '@gradeshift/pipeline';

import type { PrepareArgs } from '../parsed-command';
import { UsageError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { optionalStore, storeSetting } from '../store-setting';
import { createProgressBar } from '../progress-bar';
import { PREPARE_SPEC } from '../specs/pipeline-specs';
import { untilAborted } from '../until-aborted';
import { resolveDataSource, resolveFar } from './resolve-paths';

/**
 * Runs `gradeshift prepare`.
 * @returns the exit code
 * @throws DataError for bad data; InputMissingError for a missing file
 */
export async function runPrepareCommand(args: PrepareArgs, ctx: CommandContext): Promise<ExitCode> {
  if (args.out !== undefined) return prepareRun({ ...args, out: args.out }, ctx);
  const data = resolveDataSource(args.data, ctx);
  const shift = args.shift ?? defaultShift(data);
  const farSource = resolveFar(args.far, args.data, ctx);
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  let dataset: Dataset;
  let far: Awaited<ReturnType<typeof loadFar>>;
  try {
    dataset = await untilAborted(
      loadDataSource(data, { repoRoot: ctx.repoRoot, progress: bar.sink }),
      ctx.signal,
    );
    far = await untilAborted(loadFar({ repoRoot: ctx.repoRoot, far: farSource }), ctx.signal);
    if (far !== undefined) checkFarScale(dataset, far.dataset);
    bar.sink({ stage: 'split', message: `${shift.kind} shift, seed ${args.seed}` });
  } finally {
    bar.finish();
  }
  let splits: Splits;
  try {
    splits = createSplits(dataset, {
      shift,
      seed: args.seed,
      ...(far === undefined ? {} : { far }),
    });
  } catch (error) {
    throw asUsageError(error);
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

/**
 * createSplits documents RangeError for a shift the data cannot satisfy (unknown held-out value, too many
 * clusters): here that can only come from the options, so it is a usage error.
 */
function asUsageError(error: unknown): unknown {
  return error instanceof RangeError
    ? new UsageError(error.message, { usage: PREPARE_SPEC.usage, command: 'prepare' })
    : error;
}

/** `gradeshift prepare --out <dir>`: the run folder for the single steps. */
async function prepareRun(
  args: PrepareArgs & { readonly out: string },
  ctx: CommandContext,
): Promise<ExitCode> {
  const data = resolveDataSource(args.data, ctx);
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  let prepared: Awaited<ReturnType<typeof prepareRunFolder>>;
  try {
    prepared = await untilAborted(
      prepareRunFolder({
        data,
        outDir: resolve(ctx.cwd, args.out),
        repoRoot: ctx.repoRoot,
        seed: args.seed,
        far: resolveFar(args.far, args.data, ctx),
        overwrite: args.overwrite,
        progress: bar.sink,
        ...(args.shift === undefined ? {} : { shift: args.shift }),
        ...(args.cacheDir === undefined ? {} : { cacheDir: resolve(ctx.cwd, args.cacheDir) }),
        ...optionalStore(storeSetting(ctx)),
      }),
      ctx.signal,
    );
  } catch (error) {
    throw asUsageError(error);
  } finally {
    bar.finish();
  }
  const { dir, run, data: folder } = prepared;
  const { source } = folder.dataset;
  if (args.json) {
    ctx.stdout.write(`${JSON.stringify({ dir, run, report: folder.splits.report }, null, 2)}\n`);
    return EXIT_CODES.OK;
  }
  ctx.stdout.write(
    [
      `data: ${source.path} (${source.format}, sha256 ${source.sha256.slice(0, 12)}…)`,
      `rows: ${source.rows}, pairs: ${folder.dataset.pairs.length}, skipped: ${source.skipped}, truncated texts: ${source.truncated}`,
      `vocabulary: ${folder.vocabulary.size} tokens, word vectors ${folder.embeddingStats.fromCache ? 'from the cache' : 'built and cached'} (${run.cache_dir})`,
      '',
      formatSplitReport(folder.splits.report),
      '',
      `wrote ${dir}/run.json`,
      `next: gradeshift train --run ${dir} --stage 1`,
      '',
    ].join('\n'),
  );
  return EXIT_CODES.OK;
}
