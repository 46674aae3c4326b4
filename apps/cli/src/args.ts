/**
 * The command line → one typed {@link ParsedCommand}. Parsing is `node:util` `parseArgs` in strict mode, driven
 * by the option tables in `specs/`; every problem (unknown command or option, missing or malformed value,
 * contradictory options) is a {@link UsageError}, which `main` prints with the usage line and exit code 2.
 *
 * @see https://nodejs.org/api/util.html#utilparseargsconfig
 */
import { parseArgs } from 'node:util';

import {
  DEFAULT_STRATEGY,
  STAGE2_DEFAULTS,
  STAGE_DEFAULTS,
  STRATEGY_NAMES,
  type LossName,
  type StageHyperparameters,
} from '@gradeshift/pipeline';

import { UsageError } from './cli-errors';
import { COMMAND_SPECS, isCommandName, MAIN_USAGE } from './command-specs';
import {
  LAYOUT_OPTIONS,
  readCurve,
  readDataSource,
  readFar,
  readOptionalGrades,
  readShift,
} from './data-args';
import { toParseArgsConfig, type CommandSpec } from './option-table';
import { createOptionReader, type OptionReader, type RawValues } from './option-reader';
import { readScoreQueue, readWorker } from './queue-args';
import type {
  EvaluateArgs,
  EvaluatePredictionsArgs,
  ParsedCommand,
  PipelineArgs,
  PrepareArgs,
  RunsArgs,
  ScoreArgs,
  SelectArgs,
  TrainArgs,
} from './parsed-command';
import { DEFAULT_STORE } from './specs/runs-specs';
import { parseChoice, parseColumnRef, parseList } from './value-parsers';

const LOSSES: readonly LossName[] = ['graded', 'ce'];
const SEED = { min: 0, max: 2 ** 32 - 1 };

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

function readPrepare(r: OptionReader): PrepareArgs {
  const data = readDataSource(r);
  return {
    data,
    shift: readShift(r, data),
    far: readFar(r),
    seed: r.integer('seed', 0, SEED),
    json: r.flag('json'),
    out: r.string('out'),
    cacheDir: r.string('cache'),
    overwrite: r.flag('overwrite'),
  };
}

/**
 * The hyperparameters given on the command line, and only those: the stage's own defaults (the pipeline's,
 * gentler for stage 2) fill the rest, so `train` trains exactly as `gradeshift pipeline` does.
 */
function readHyperparameters(r: OptionReader): StageHyperparameters {
  const given = <TKey extends keyof StageHyperparameters>(
    key: TKey,
    option: string,
    read: () => StageHyperparameters[TKey],
  ) => (r.has(option) ? { [key]: read() } : {}) as Pick<StageHyperparameters, TKey>;
  return {
    ...given('epochs', 'epochs', () => r.integer('epochs', 0, { min: 1 })),
    ...given('learningRate', 'learning-rate', () =>
      r.number('learning-rate', 0, { min: 0, exclusiveMin: true }),
    ),
    ...given('batchSize', 'batch-size', () => r.integer('batch-size', 0, { min: 1 })),
    ...given('patience', 'patience', () => r.integer('patience', 0, { min: 1 })),
    ...given('trainable', 'trainable', () =>
      r.choice('trainable', ['all', 'head'] as const, 'all'),
    ),
  };
}

function readTrain(r: OptionReader): TrainArgs {
  const labels = r.string('labels');
  const stage = r.choice('stage', ['1', '2'] as const, labels === undefined ? '1' : '2');
  if (labels !== undefined && stage === '1') r.fail('--labels trains stage 2; leave out --stage 1');
  const out = r.string('out');
  if (out !== undefined && labels === undefined) r.fail('--out goes with --labels');
  return {
    runDir: r.string('run') ?? r.fail('missing --run <dir>'),
    stage: stage === '1' ? 1 : 2,
    labels,
    out,
    loss: r.choice('loss', LOSSES, 'graded'),
    hyperparameters: readHyperparameters(r),
    seed: r.integer('seed', 0, SEED),
  };
}

function readSelect(r: OptionReader): SelectArgs {
  return {
    runDir: r.string('run') ?? r.fail('missing --run <dir>'),
    strategy: r.choice('strategy', STRATEGY_NAMES, DEFAULT_STRATEGY),
    budgetFraction: r.number('budget', 0.02, { min: 0, max: 1, exclusiveMin: true }),
    seed: r.integer('seed', 0, SEED),
  };
}

/** Options that belong to a bundle evaluation, not to `--predictions`. */
const BUNDLE_ONLY = ['model', 'preset', 'data', ...LAYOUT_OPTIONS, 'threads'] as const;

function readEvaluatePredictions(r: OptionReader): EvaluatePredictionsArgs {
  const clash = BUNDLE_ONLY.find((name) => r.has(name));
  if (clash !== undefined)
    r.fail(
      `--${clash} cannot be combined with --predictions, which evaluates outputs already computed (the file gives query, item, grade and probs or logits)`,
    );
  return {
    predictions: r.string('predictions') ?? r.fail('--predictions needs a value'),
    reference:
      r.string('reference') ??
      r.fail(
        '--predictions needs --reference <file>: in-distribution pairs in the same format (e.g. your validation set), on which the decision rule and the OOD detectors are fitted',
      ),
    mapping: readOptionalGrades(r),
    resamples: r.integer('resamples', 1000, { min: 1 }),
    seed: r.integer('seed', 0, SEED),
    out: r.string('out'),
    json: r.flag('json'),
  };
}

function readEvaluate(r: OptionReader): EvaluateArgs | EvaluatePredictionsArgs {
  if (r.has('predictions')) return readEvaluatePredictions(r);
  if (r.has('reference')) r.fail('--reference applies only with --predictions <file>');
  return {
    modelDir:
      r.string('model') ??
      r.fail("missing --model <dir> (a model bundle folder (a run's bundle/))"),
    data: readDataSource(r),
    resamples: r.integer('resamples', 1000, { min: 1 }),
    seed: r.integer('seed', 0, SEED),
    out: r.string('out'),
    json: r.flag('json'),
    threads: readThreads(r),
  };
}

/** `--threads <n>`: scoring threads, 0 for the calling thread. */
function readThreads(r: OptionReader): number | undefined {
  return r.has('threads') ? r.integer('threads', 0, { min: 0, max: 64 }) : undefined;
}

function readScore(r: OptionReader): ScoreArgs {
  const column = (name: string) => r.parse(name, parseColumnRef) ?? r.fail(`missing --${name}`);
  const id = r.parse('id-col', parseColumnRef);
  return {
    modelDir: r.string('model') ?? r.fail('missing --model <dir>'),
    path: r.string('data') ?? r.fail('missing --data <file>'),
    format: r.has('format') ? r.choice('format', ['csv', 'jsonl'] as const, 'csv') : undefined,
    columns: {
      query: column('query-col'),
      item: column('item-col'),
      ...(id === undefined ? {} : { id }),
    },
    out: r.string('out') ?? '-',
    threads: readThreads(r),
    queue: readScoreQueue(r),
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
    store: r.string('store') ?? DEFAULT_STORE,
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
    case 'train':
      return { command: first, args: readTrain(r) };
    case 'select':
      return { command: first, args: readSelect(r) };
    case 'export':
      return {
        command: first,
        args: {
          runDir: r.string('run') ?? r.fail('missing --run <dir>'),
          outDir: r.string('out'),
          overwrite: r.flag('overwrite'),
          resamples: r.integer('resamples', 1000, { min: 1 }),
          queue: r.has('queue')
            ? r.choice('queue', ['csv', 'jsonl', 'labelstudio'] as const, 'csv')
            : undefined,
        },
      };
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
