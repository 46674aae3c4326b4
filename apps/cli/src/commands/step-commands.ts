/**
 * The single-step subcommands (`train`, `select`, `export`, `evaluate`, `score`). Each checks that its backend
 * exists (exit code 70 with what is missing when it does not), checks its input folders and files, then runs
 * the backend with a progress bar and prints what it returns.
 */
import { resolve } from 'node:path';

import type { EvaluateArgs, ExportArgs, ScoreArgs, SelectArgs, TrainArgs } from '../parsed-command';
import {
  MISSING_BACKENDS,
  type CliBackends,
  type EvaluateFileOptions,
  type EvaluateFileResult,
  type StepResult,
} from '../backends';
import { InterruptedError, NotAvailableError } from '../cli-errors';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { createProgressBar, type ProgressBar } from '../progress-bar';
import { optionalStore, storeSetting } from '../store-setting';
import { untilAborted } from '../until-aborted';
import { formatMetricTable } from './metric-table';
import { runQueuedScoreCommand } from './queue-commands';
import { requirePath, resolveDataSource } from './resolve-paths';

/** The backend of `command`, or a {@link NotAvailableError} saying what the pipeline lacks. */
export function backendOf<TKey extends keyof CliBackends>(
  ctx: CommandContext,
  key: TKey,
  command: string,
): NonNullable<CliBackends[TKey]> {
  const backend = ctx.backends[key];
  if (backend === undefined) throw new NotAvailableError(command, MISSING_BACKENDS[key]);
  return backend;
}

/**
 * Runs `work` under a progress bar on stderr, stopping on the context's signal.
 * @param settle - wait for `work` to settle after the signal (it honours the signal itself and has clean-up to
 * finish, e.g. taking its chunks off a queue), instead of stopping at once
 */
export async function withProgress<TResult>(
  ctx: CommandContext,
  work: (bar: ProgressBar) => Promise<TResult>,
  settle = false,
): Promise<TResult> {
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  try {
    if (!settle) return await untilAborted(work(bar), ctx.signal);
    return await work(bar).catch((error: unknown) => {
      if (ctx.signal.aborted)
        throw new InterruptedError(
          "interrupted; nothing more is queued, and chunks already queued but not yet taken were removed from the queue (those in a worker's hand finish into the parts folder, which can be deleted)",
        );
      throw error;
    });
  } finally {
    bar.finish();
  }
}

function printStep(ctx: CommandContext, result: StepResult): ExitCode {
  const files = result.files.map((f) => `wrote ${f}`);
  ctx.stdout.write(`${[...result.summary, ...files].join('\n')}\n`);
  return EXIT_CODES.OK;
}

const RUN_HINT = 'pass the folder of a prepared run to --run';

/** `gradeshift train`. */
export async function runTrainCommand(args: TrainArgs, ctx: CommandContext): Promise<ExitCode> {
  const train = backendOf(ctx, 'train', 'train');
  const runDir = requirePath('run folder', { path: args.runDir, cwd: ctx.cwd, hint: RUN_HINT });
  const paths = {
    labels: args.labels === undefined ? undefined : resolve(ctx.cwd, args.labels),
    out: args.out === undefined ? undefined : resolve(ctx.cwd, args.out),
    teacher:
      args.teacher === undefined
        ? undefined
        : requirePath('teacher file', {
            path: args.teacher,
            cwd: ctx.cwd,
            hint: "pass the teacher's JSONL file to --teacher (gradeshift train --stage distill --teacher-pairs <file> writes the pairs it must label)",
          }),
    teacherPairs: args.teacherPairs === undefined ? undefined : resolve(ctx.cwd, args.teacherPairs),
  };
  return printStep(
    ctx,
    await withProgress(ctx, (bar) => train({ ...args, ...paths, runDir, progress: bar.sink })),
  );
}

/** `gradeshift select`. */
export async function runSelectCommand(args: SelectArgs, ctx: CommandContext): Promise<ExitCode> {
  const select = backendOf(ctx, 'select', 'select');
  const runDir = requirePath('run folder', { path: args.runDir, cwd: ctx.cwd, hint: RUN_HINT });
  return printStep(
    ctx,
    await withProgress(ctx, (bar) => select({ ...args, runDir, progress: bar.sink })),
  );
}

/** `gradeshift export`. */
export async function runExportCommand(args: ExportArgs, ctx: CommandContext): Promise<ExitCode> {
  const exportBundle = backendOf(ctx, 'exportBundle', 'export');
  const runDir = requirePath('run folder', { path: args.runDir, cwd: ctx.cwd, hint: RUN_HINT });
  const outDir = args.outDir === undefined ? undefined : resolve(ctx.cwd, args.outDir);
  return printStep(
    ctx,
    await withProgress(ctx, (bar) => exportBundle({ ...args, runDir, outDir, progress: bar.sink })),
  );
}

/** `runs/evaluate-20261123-154501`: the default output folder of `gradeshift evaluate` at time `ms`. */
export function defaultEvaluateOut(ms: number): string {
  const stamp = new Date(ms).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runs/evaluate-${stamp}`;
}

const MODEL_HINT = "pass a model bundle folder to --model (a finished run's bundle/)";

/** The evaluation `evaluate` runs: in this process, or its scoring on a queue's workers with `--queue`. */
function evaluation(
  args: EvaluateArgs,
  ctx: CommandContext,
): (options: EvaluateFileOptions) => Promise<EvaluateFileResult & { chunks?: number }> {
  const { queue } = args;
  if (queue === undefined) return backendOf(ctx, 'evaluateFile', 'evaluate');
  const queued = backendOf(ctx, 'queueEvaluateFile', 'evaluate --queue');
  return (options) => queued({ ...options, queue, signal: ctx.signal });
}

/** `gradeshift evaluate`. */
export async function runEvaluateCommand(
  args: EvaluateArgs,
  ctx: CommandContext,
): Promise<ExitCode> {
  const evaluateFile = evaluation(args, ctx);
  const modelDir = requirePath('model bundle', {
    path: args.modelDir,
    cwd: ctx.cwd,
    hint: MODEL_HINT,
  });
  const data = resolveDataSource(args.data, ctx);
  const outDir = resolve(ctx.cwd, args.out ?? defaultEvaluateOut(ctx.now?.() ?? Date.now()));
  const result = await withProgress(
    ctx,
    (bar) =>
      evaluateFile({
        modelDir,
        data,
        repoRoot: ctx.repoRoot,
        resamples: args.resamples,
        seed: args.seed,
        outDir,
        ...optionalStore(storeSetting(ctx)),
        threads: args.threads,
        progress: bar.sink,
        signal: ctx.signal,
      }),
    args.queue !== undefined,
  );
  if (args.json) {
    ctx.stdout.write(`${JSON.stringify({ model: modelDir, data, outDir, ...result }, null, 2)}\n`);
    return EXIT_CODES.OK;
  }
  const ood = Object.entries(result.ood ?? {}).map(
    ([name, o]) =>
      `  ${name.padEnd(22)}${(100 * o.flag_rate).toFixed(1).padStart(6)}%  (threshold ${o.threshold.toPrecision(4)})`,
  );
  const chunks = result.chunks === undefined ? '' : ` in ${result.chunks} chunks on the queue`;
  const lines = [
    `${result.pairs} pairs scored${chunks}`,
    formatMetricTable({ test: result.metrics }, ['test']),
    ...(ood.length > 0 ? ['flagged OOD at the bundle thresholds (95% of ID kept):', ...ood] : []),
    ...(result.files ?? []).map((f) => `wrote ${f}`),
    ...(result.runId === undefined ? [] : [`recorded as run ${result.runId}`]),
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CODES.OK;
}

/** `gradeshift score`. */
export async function runScoreCommand(args: ScoreArgs, ctx: CommandContext): Promise<ExitCode> {
  const scoreFile = backendOf(ctx, 'scoreFile', 'score');
  const modelDir = requirePath('model bundle', {
    path: args.modelDir,
    cwd: ctx.cwd,
    hint: MODEL_HINT,
  });
  const path = resolve(ctx.cwd, args.path);
  requirePath('data file', {
    path,
    cwd: ctx.cwd,
    hint: 'check the path given to --data (relative paths resolve against the working directory)',
  });
  const out = args.out === '-' ? '-' : resolve(ctx.cwd, args.out);
  if (args.queue !== undefined)
    return runQueuedScoreCommand({ ...args, modelDir, path, out }, args.queue, ctx);
  const result = await withProgress(ctx, (bar) =>
    scoreFile({ ...args, modelDir, path, out, stdout: ctx.stdout, progress: bar.sink }),
  );
  if (out !== '-') ctx.stdout.write(`${result.pairs} pairs scored → ${out}\n`);
  return EXIT_CODES.OK;
}
