/**
 * The subcommand registry and the top-level help.
 */
import type { CommandName, CommandSpec } from './option-table';
import { ENCODER_SPEC } from './specs/encoder-specs';
import { EVALUATE_SPEC, SCORE_SPEC } from './specs/model-specs';
import { PIPELINE_SPEC, PREPARE_SPEC } from './specs/pipeline-specs';
import { WORKER_SPEC } from './specs/queue-specs';
import { HELP_SPEC, RUNS_SPEC } from './specs/runs-specs';
import { EXPORT_SPEC, SELECT_SPEC, TRAIN_SPEC } from './specs/step-specs';

/** Every subcommand, in help order. */
export const COMMAND_SPECS: Readonly<Record<CommandName, CommandSpec>> = Object.freeze({
  pipeline: PIPELINE_SPEC,
  prepare: PREPARE_SPEC,
  encoder: ENCODER_SPEC,
  train: TRAIN_SPEC,
  select: SELECT_SPEC,
  evaluate: EVALUATE_SPEC,
  export: EXPORT_SPEC,
  score: SCORE_SPEC,
  worker: WORKER_SPEC,
  runs: RUNS_SPEC,
  help: HELP_SPEC,
});

/** `true` when `name` is a subcommand. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(COMMAND_SPECS, name);
}

/** The top-level usage line. */
export const MAIN_USAGE = 'gradeshift <command> [options]';

/** The top-level help: usage, the command list, exit codes and environment variables. */
export function formatMainHelp(): string {
  const specs = Object.values(COMMAND_SPECS);
  const width = Math.max(...specs.map((c) => c.name.length)) + 2;
  return [
    `Usage: ${MAIN_USAGE}`,
    '',
    'Graded search relevance (irrelevant / weak / strong) under distribution shift.',
    '',
    'Commands:',
    ...specs.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Run `gradeshift <command> --help` for the options of a command and their defaults.',
    '',
    'Exit codes: 0 ok, 1 unexpected error, 2 usage error, 65 bad input data, 66 input file missing,',
    '            70 internal error or command not available yet, 130 interrupted.',
    'Environment: NO_COLOR disables colours; GRADESHIFT_DEBUG=1 prints stack traces.',
    '',
  ].join('\n');
}
