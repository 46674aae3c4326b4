/**
 * One CLI invocation, without touching `process`: parse the command line, run the command, and turn any failure
 * into one clear line plus a hint on stderr and an exit code (stack traces only with `GRADESHIFT_DEBUG=1`).
 */
import { inspect } from 'node:util';

import { parseCommandLine } from './args';
import type { ParsedCommand } from './parsed-command';
import { UsageError } from './cli-errors';
import type { CommandContext } from './command-context';
import { COMMAND_SPECS, formatMainHelp } from './command-specs';
import { runEncoderCommand } from './commands/encoder-command';
import { runPipelineCommand } from './commands/pipeline-command';
import {
  runEvaluateCrossEncoderCommand,
  runEvaluatePredictionsCommand,
} from './commands/external-commands';
import { runPrepareCommand } from './commands/prepare-command';
import { runWorkerCommand } from './commands/queue-commands';
import { runRunsCommand } from './commands/runs-command';
import {
  runEvaluateCommand,
  runExportCommand,
  runScoreCommand,
  runSelectCommand,
  runTrainCommand,
} from './commands/step-commands';
import { describeFailure, EXIT_CODES, type ExitCode } from './exit-codes';
import { formatCommandHelp } from './option-table';
import { shouldUseColor } from './progress-format';

async function dispatch(parsed: ParsedCommand, ctx: CommandContext): Promise<ExitCode> {
  switch (parsed.command) {
    case 'help':
      ctx.stdout.write(
        parsed.topic === undefined
          ? formatMainHelp()
          : formatCommandHelp(COMMAND_SPECS[parsed.topic]),
      );
      return EXIT_CODES.OK;
    case 'pipeline':
      return runPipelineCommand(parsed.args, ctx);
    case 'prepare':
      return runPrepareCommand(parsed.args, ctx);
    case 'encoder':
      return runEncoderCommand(parsed.args, ctx);
    case 'train':
      return runTrainCommand(parsed.args, ctx);
    case 'select':
      return runSelectCommand(parsed.args, ctx);
    case 'export':
      return runExportCommand(parsed.args, ctx);
    case 'evaluate':
      if ('predictions' in parsed.args) return runEvaluatePredictionsCommand(parsed.args, ctx);
      if ('crossEncoder' in parsed.args) return runEvaluateCrossEncoderCommand(parsed.args, ctx);
      return runEvaluateCommand(parsed.args, ctx);
    case 'score':
      return runScoreCommand(parsed.args, ctx);
    case 'runs':
      return runRunsCommand(parsed.args, ctx);
    case 'worker':
      return runWorkerCommand(parsed.args, ctx);
  }
}

/** The stack trace and the chain of causes, for `GRADESHIFT_DEBUG=1`. */
function debugText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? current.message) : inspect(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return `${parts.join('\n')}\n`;
}

/**
 * Prints a failure on stderr: `gradeshift: error: <what>`, the usage line for usage errors, then `hint: …`.
 * @returns the exit code for the failure
 */
export function reportFailure(error: unknown, ctx: CommandContext): ExitCode {
  const failure = describeFailure(error);
  const color = ctx.stderr.isTTY === true && shouldUseColor(ctx.env);
  const label = color ? '\u001b[1;31merror:\u001b[0m ' : 'error: ';
  // An interrupt is the user's choice, not an error.
  const lines = [
    `gradeshift: ${failure.code === EXIT_CODES.INTERRUPTED ? '' : label}${failure.message}`,
  ];
  if (error instanceof UsageError) lines.push(`usage: ${error.usage}`);
  if (failure.hint !== undefined) lines.push(`hint: ${failure.hint}`);
  ctx.stderr.write(`${lines.join('\n')}\n`);
  if (ctx.env['GRADESHIFT_DEBUG'] === '1') ctx.stderr.write(debugText(error));
  return failure.code;
}

/**
 * Runs one invocation.
 * @param argv - the arguments after `gradeshift`
 * @param ctx - streams, environment, abort signal and backends
 * @returns the exit code (see `exit-codes.ts`)
 */
export async function runCli(argv: readonly string[], ctx: CommandContext): Promise<ExitCode> {
  try {
    return await dispatch(parseCommandLine(argv), ctx);
  } catch (error) {
    return reportFailure(error, ctx);
  }
}
