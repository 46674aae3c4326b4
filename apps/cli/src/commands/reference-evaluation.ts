/** The printing `evaluate --predictions` and `evaluate --cross-encoder` share: an evaluation against a reference. */
import type { EvaluatePredictionsFileResult } from '../backends';
import type { CommandContext } from '../command-context';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { formatMetricTable } from './metric-table';

/**
 * Prints an evaluation against a reference: JSON (`inputs` first) with `--json`, else the metric table, each
 * OOD score's flag rate and detection, the files and the run.
 */
export function printReferenceEvaluation(
  ctx: CommandContext,
  result: EvaluatePredictionsFileResult,
  options: { readonly json: boolean; readonly inputs: Readonly<Record<string, unknown>> },
): ExitCode {
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify({ ...options.inputs, ...result }, null, 2)}\n`);
    return EXIT_CODES.OK;
  }
  const ood = Object.entries(result.ood ?? {}).map(([name, o]) => {
    const d = result.detection[name];
    const detection =
      d === undefined
        ? ''
        : `  AUROC ${d.auroc.toFixed(3)}  FPR@95 ${(100 * d.fprAtTpr).toFixed(1)}%`;
    return `  ${name.padEnd(22)}${(100 * o.flag_rate).toFixed(1).padStart(6)}%  (threshold ${o.threshold.toPrecision(4)})${detection}`;
  });
  const lines = [
    `${result.pairs} pairs evaluated`,
    formatMetricTable({ test: result.metrics }, ['test']),
    'flagged OOD at the reference-calibrated thresholds (95% of the reference kept); AUROC and FPR@95 of the reference against this file:',
    ...ood,
    ...(result.files ?? []).map((f) => `wrote ${f}`),
    ...(result.runId === undefined ? [] : [`recorded as run ${result.runId}`]),
  ];
  ctx.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CODES.OK;
}
