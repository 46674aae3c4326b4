/**
 * `gradeshift encoder`: the encoder backbone on the pipeline's splits (`runEncoderBackbone`), with a progress bar
 * on stderr and a summary on stdout (the metric table of the evaluated splits, each space's best detector).
 */
import { dirname, join, resolve } from 'node:path';

import { runEncoderBackbone, type EncoderRunSummary } from '@gradeshift/pipeline';

import type { EncoderArgs } from '../parsed-command';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { createProgressBar } from '../progress-bar';
import { untilAborted } from '../until-aborted';
import { formatMetricTable } from './metric-table';
import { requirePath, resolveDataSource, resolveFar } from './resolve-paths';

/** The detection lines: per split and space, each detector's AUROC / FPR@95. */
function detectionLines(summary: EncoderRunSummary): string[] {
  const lines: string[] = [];
  for (const [split, spaces] of Object.entries(summary.detection))
    for (const [space, detectors] of Object.entries(spaces)) {
      const cells = Object.entries(detectors).map(
        ([name, d]) => `${name} ${d.auroc.toFixed(3)}/${d.fprAtTpr.toFixed(3)}`,
      );
      lines.push(`${split} ${space}: ${cells.join(', ')}`);
    }
  return lines;
}

/**
 * Runs `gradeshift encoder`.
 * @returns the exit code
 * @throws InputMissingError for a missing data file or encoder folder; whatever the run throws
 */
export async function runEncoderCommand(args: EncoderArgs, ctx: CommandContext): Promise<ExitCode> {
  const { options } = args;
  const outDir = resolve(ctx.cwd, options.outDir);
  const encoder = requirePath('encoder folder', {
    path: options.encoder,
    cwd: ctx.cwd,
    hint: 'run `npm run models:minilm` to install all-MiniLM-L6-v2 into models/minilm, or give a folder with model.onnx and tokenizer.json',
  });
  const data = resolveDataSource(options.data, ctx);
  const far = resolveFar(options.far, options.data, ctx);
  const bar = createProgressBar({
    stream: ctx.stderr,
    env: ctx.env,
    ...(ctx.now ? { now: ctx.now } : {}),
  });
  let result: Awaited<ReturnType<typeof runEncoderBackbone>>;
  try {
    result = await untilAborted(
      runEncoderBackbone({
        ...options,
        data,
        far,
        encoder,
        outDir,
        repoRoot: ctx.repoRoot,
        cacheDir:
          args.cacheDir === undefined
            ? join(dirname(outDir), '.cache')
            : resolve(ctx.cwd, args.cacheDir),
        progress: bar.sink,
        signal: ctx.signal,
      }),
      ctx.signal,
    );
  } finally {
    bar.finish();
  }
  const { summary } = result;
  if (args.json) {
    ctx.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return EXIT_CODES.OK;
  }
  const chosen = summary.selection.trials[summary.selection.chosen];
  ctx.stdout.write(
    [
      `${String(summary.backbone['name'])} finished in ${summary.seconds.toFixed(1)} s (${result.encoderRuns} encoder runs)`,
      `head: ${JSON.stringify(chosen?.settings)}, ID-validation macro-F1 ${chosen?.validationMacroF1.toFixed(4)} at epoch ${chosen?.bestEpoch}`,
      `summary:  ${result.summaryPath}`,
      `teacher:  ${result.teacherPath} (${summary.teacher.rows} rows)`,
      '',
      formatMetricTable(summary.splits, Object.keys(summary.splits)),
      '',
      'detection (AUROC / FPR@95 against ID validation):',
      ...detectionLines(summary),
      '',
    ].join('\n'),
  );
  return EXIT_CODES.OK;
}
