/**
 * The command line → one typed {@link ParsedCommand}. Parsing is `node:util` `parseArgs` in strict mode, driven
 * by the option tables in `specs/`; every problem (unknown command or option, missing or malformed value,
 * contradictory options) is a {@link UsageError}, which `main` prints with the usage line and exit code 2.
 *
 * @see https://nodejs.org/api/util.html#utilparseargsconfig
 */
import { parseArgs } from 'node:util';

import { STAGE2_DEFAULTS, STAGE_DEFAULTS, STRATEGY_NAMES } from '@gradeshift/pipeline';

import { UsageError } from './cli-errors';
import { COMMAND_SPECS, isCommandName, MAIN_USAGE } from './command-specs';
import { readCurve, readDataSource, readFar, readShift } from './data-args';
import { readEncoder } from './encoder-args';
import { readEvaluate, readScore } from './model-args';
import { toParseArgsConfig, type CommandSpec } from './option-table';
import { createOptionReader, type OptionReader, type RawValues } from './option-reader';
import { readWorker } from './queue-args';
import type { ParsedCommand, PipelineArgs, RunsArgs } from './parsed-command';
import { LOSSES, readExport, readPrepare, readSelect, readTrain, SEED } from './step-args';
import { parseChoice, parseList } from './value-parsers';

/** `parseArgs` messages are long and mention `--` escapes; say what was wrong in a few words. */
function usageMessage(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0] ?? quoted;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${option}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted}"`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) return `${option} takes no value`;
      if (message.includes('ambiguous'))
        return `${option} needs a value (write ${option}=<value> for a value starting with a dash)`;
      return `${option} needs a value`;
    default:
      return message;
  }
}

function runParseArgs(
  spec: CommandSpec,
  args: readonly string[],
): { values: RawValues; positionals: string[] } {
  try {
    return parseArgs({ ...toParseArgsConfig(spec), args: [...args] });
  } catch (error) {
    throw new UsageError(usageMessage(error), { usage: spec.usage, command: spec.name });
  }
}

function readPipeline(r: OptionReader): PipelineArgs {
  const data = readDataSource(r);
  const shift = readShift(r, data);
  const out = r.string('out') ?? r.fail('missing --out <dir>');
  const optional = <TKey extends string, TValue>(key: TKey, value: TValue | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<TKey, TValue>>;
  const strategies = r.parse('strategies', (text) =>
    parseList(text).map((name) => parseChoice(name, STRATEGY_NAMES)),
  );
  return {
    json: r.flag('json'),
    ifMissing: r.flag('if-missing'),
    options: {
      data,
      outDir: out,
      ...optional('shift', shift),
      ...optional('far', readFar(r)),
      curve: readCurve(r),
      ...optional('name', r.string('name')),
      ...optional('storePath', r.string('store')),
      ...optional('cacheDir', r.string('cache')),
      ...optional('strategies', strategies),
      seed: r.integer('seed', 0, SEED),
      budgetFraction: r.number('budget', 0.02, { min: 0, max: 1, exclusiveMin: true }),
      selectionSeeds: r.integerList('seeds', SEED) ?? [0, 1, 2],
      loss: r.choice('loss', LOSSES, 'graded'),
      stage1: { epochs: r.integer('epochs', STAGE_DEFAULTS.epochs, { min: 1 }) },
      stage2: {
        epochs: r.integer('stage2-epochs', STAGE2_DEFAULTS.epochs ?? STAGE_DEFAULTS.epochs, {
          min: 1,
        }),
      },
      ablation: !r.flag('no-ablation'),
      debias: !r.flag('no-debias'),
      debiasAblation: !r.flag('no-debias-ablation'),
      resamples: r.integer('resamples', 1000, { min: 1 }),
      overwrite: r.flag('overwrite'),
    },
  };
}

function readRuns(r: OptionReader, positionals: readonly string[]): RunsArgs {
  const [action = 'list', id, ...extra] = positionals;
  if (action !== 'list' && action !== 'show')
    r.fail(`unknown runs action "${action}" (actions: list, show <id>)`);
  if (action === 'show' && id === undefined)
    r.fail('runs show needs a run id (or a unique prefix)');
  if (action === 'list' && id !== undefined) r.fail(`unexpected argument "${id}"`);
  if (extra.length > 0) r.fail(`unexpected argument "${extra[0] ?? ''}"`);
  return {
    action,
    id,
    store: r.string('store'),
    limit: r.integer('limit', 20, { min: 1 }),
    kind: r.string('kind'),
    json: r.flag('json'),
  };
}

function readHelp(r: OptionReader, positionals: readonly string[]): ParsedCommand {
  const [topic, ...extra] = positionals;
  if (extra.length > 0) r.fail(`unexpected argument "${extra[0] ?? ''}"`);
  if (topic === undefined) return { command: 'help', topic: undefined };
  if (!isCommandName(topic)) r.fail(`unknown command "${topic}"`);
  return { command: 'help', topic };
}

/**
 * Parses the arguments after `gradeshift`.
 * @param argv - e.g. `process.argv.slice(2)`
 * @returns the command and its typed options
 * @throws UsageError for anything malformed, naming the option and the value
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h')
    return { command: 'help', topic: undefined };
  if (!isCommandName(first)) {
    const commands = Object.keys(COMMAND_SPECS).join(', ');
    const what = first.startsWith('-')
      ? `expected a command before ${first}`
      : `unknown command "${first}"`;
    throw new UsageError(`${what} (commands: ${commands})`, { usage: MAIN_USAGE });
  }
  const spec = COMMAND_SPECS[first];
  const { values, positionals } = runParseArgs(spec, rest);
  if (values['help'] === true) return { command: 'help', topic: first };
  const r = createOptionReader(spec, values);
  switch (first) {
    case 'pipeline':
      return { command: first, args: readPipeline(r) };
    case 'prepare':
      return { command: first, args: readPrepare(r) };
    case 'encoder':
      return { command: first, args: readEncoder(r) };
    case 'train':
      return { command: first, args: readTrain(r) };
    case 'select':
      return { command: first, args: readSelect(r) };
    case 'export':
      return { command: first, args: readExport(r) };
    case 'evaluate':
      return { command: first, args: readEvaluate(r) };
    case 'score':
      return { command: first, args: readScore(r) };
    case 'runs':
      return { command: first, args: readRuns(r, positionals) };
    case 'worker':
      return { command: first, args: readWorker(r) };
    case 'help':
      return readHelp(r, positionals);
  }
}
