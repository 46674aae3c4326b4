/**
 * `gradeshift evaluate --cross-encoder`: a cross-encoder folder scores a labelled file and an in-distribution
 * reference file, judged as external predictions (decision rule and OOD detectors fitted on the reference).
 */
import { resolve } from 'node:path';

import type { CommandContext } from '../command-context';
import type { ExitCode } from '../exit-codes';
import type { EvaluateCrossEncoderArgs } from '../parsed-command';
import { printReferenceEvaluation } from './reference-evaluation';
import { requirePath, resolveDataSource } from './resolve-paths';
import { backendOf, defaultEvaluateOut, withProgress } from './step-commands';

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
    hint: 'check the path given to --reference (relative paths resolve against the working directory)',
  });
  const outDir = resolve(ctx.cwd, args.out ?? defaultEvaluateOut(ctx.now?.() ?? Date.now()));
  const result = await withProgress(ctx, (bar) =>
    evaluate({
      crossEncoder,
      data,
      reference,
      repoRoot: ctx.repoRoot,
      maxLength: args.maxLength,
      threads: args.threads,
      resamples: args.resamples,
      seed: args.seed,
      outDir,
      progress: bar.sink,
      signal: ctx.signal,
    }),
  );
  return printReferenceEvaluation(ctx, result, {
    json: args.json,
    inputs: { crossEncoder, data: 'path' in data ? data.path : data, reference, outDir },
  });
}
