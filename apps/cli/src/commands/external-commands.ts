/**
 * `gradeshift evaluate --predictions` and `evaluate --cross-encoder`: model outputs judged against an
 * in-distribution reference file (decision rule and OOD detectors fitted on it), read from JSONL files (with
 * optional `.npy` embeddings) or computed by a cross-encoder folder on a labelled file and its reference.
 */
import { resolve } from 'node:path';

import type { ProgressSink } from '@gradeshift/pipeline';

import type { EvaluatePredictionsFileResult } from '../backends';
import type { CommandContext } from '../command-context';
import type { ExitCode } from '../exit-codes';
import type { EvaluateCrossEncoderArgs, EvaluatePredictionsArgs } from '../parsed-command';
import { printReferenceEvaluation } from './reference-evaluation';
import { optionalStore, storeSetting } from '../store-setting';
import { requirePath, resolveDataSource } from './resolve-paths';
import { backendOf, defaultEvaluateOut, withProgress } from './step-commands';

/** What every evaluation against a reference passes its backend beside its inputs. */
interface ReferenceRun {
  readonly resamples: number;
  readonly seed: number;
  readonly outDir: string;
  /** The run store (`--store` / GRADESHIFT_STORE), when not the default. */
  readonly storePath?: string;
  readonly progress: ProgressSink;
  readonly signal: AbortSignal;
}

/** Runs `evaluate` under a progress bar into `--out` (or the dated default) and prints the result. */
async function runAgainstReference(
  ctx: CommandContext,
  job: {
    readonly args: { resamples: number; seed: number; out: string | undefined; json: boolean };
    /** The inputs, echoed first in `--json` output. */
    readonly inputs: Readonly<Record<string, unknown>>;
  },
  evaluate: (run: ReferenceRun) => Promise<EvaluatePredictionsFileResult>,
): Promise<ExitCode> {
  const { args, inputs } = job;
  const outDir = resolve(ctx.cwd, args.out ?? defaultEvaluateOut(ctx.now?.() ?? Date.now()));
  const result = await withProgress(ctx, (bar) =>
    evaluate({
      resamples: args.resamples,
      seed: args.seed,
      outDir,
      ...optionalStore(storeSetting(ctx)),
      progress: bar.sink,
      signal: ctx.signal,
    }),
  );
  return printReferenceEvaluation(ctx, result, { json: args.json, inputs: { ...inputs, outDir } });
}

const givenPath = (option: string) =>
  `check the path given to --${option} (relative paths resolve against the working directory)`;

/** `gradeshift evaluate --predictions`. */
export async function runEvaluatePredictionsCommand(
  args: EvaluatePredictionsArgs,
  ctx: CommandContext,
): Promise<ExitCode> {
  const evaluatePredictions = backendOf(ctx, 'evaluatePredictions', 'evaluate --predictions');
  const file = (what: string, option: string, path: string) =>
    requirePath(what, { path, cwd: ctx.cwd, hint: givenPath(option) });
  const predictions = file('predictions file', 'predictions', args.predictions);
  const reference = file('reference file', 'reference', args.reference);
  const npy = (option: string, path: string | undefined) =>
    path === undefined ? undefined : file(`${option} file`, option, path);
  const embeddings = npy('embeddings', args.embeddings);
  const referenceEmbeddings = npy('reference-embeddings', args.referenceEmbeddings);
  return runAgainstReference(ctx, { args, inputs: { predictions, reference } }, (run) =>
    evaluatePredictions({
      ...run,
      predictions,
      reference,
      mapping: args.mapping,
      embeddings,
      referenceEmbeddings,
    }),
  );
}

/** `gradeshift evaluate --cross-encoder`. */
export async function runEvaluateCrossEncoderCommand(
  args: EvaluateCrossEncoderArgs,
  ctx: CommandContext,
): Promise<ExitCode> {
  const evaluate = backendOf(ctx, 'evaluateCrossEncoder', 'evaluate --cross-encoder');
  const crossEncoder = requirePath('cross-encoder folder', {
    path: args.crossEncoder,
    cwd: ctx.cwd,
    hint: 'pass a folder holding model.onnx and tokenizer.json to --cross-encoder',
  });
  const data = resolveDataSource(args.data, ctx);
  const reference = requirePath('reference file', {
    path: args.reference,
    cwd: ctx.cwd,
    hint: givenPath('reference'),
  });
  const bundleOut = args.bundleOut === undefined ? undefined : resolve(ctx.cwd, args.bundleOut);
  const inputs = { crossEncoder, data: 'path' in data ? data.path : data, reference };
  return runAgainstReference(ctx, { args, inputs }, (run) =>
    evaluate({
      ...run,
      crossEncoder,
      data,
      reference,
      repoRoot: ctx.repoRoot,
      maxLength: args.maxLength,
      threads: args.threads,
      bundleOut,
    }),
  );
}
