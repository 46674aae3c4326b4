/** The step commands' options (`prepare`, `train`, `select`, `export`) → their typed arguments. */
import {
  DEFAULT_STRATEGY,
  STRATEGY_NAMES,
  type LossName,
  type StageHyperparameters,
} from '@gradeshift/pipeline';

import { readDataSource, readFar, readShift } from './data-args';
import type { OptionReader } from './option-reader';
import type { ExportArgs, PrepareArgs, SelectArgs, TrainArgs } from './parsed-command';

/** The losses `--loss` accepts. */
export const LOSSES: readonly LossName[] = ['graded', 'ce'];
/** The range of every `--seed`. */
export const SEED = { min: 0, max: 2 ** 32 - 1 };

/** `prepare`. */
export function readPrepare(r: OptionReader): PrepareArgs {
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

/** The options of `--stage distill`, refused with another stage. */
function readDistill(r: OptionReader, stage: string): Partial<TrainArgs> {
  const names = ['teacher', 'teacher-pairs', 'alphas', 'temperature'];
  if (stage !== 'distill') {
    const given = names.find((n) => r.has(n));
    if (given !== undefined) r.fail(`--${given} goes with --stage distill`);
    return {};
  }
  const teacher = r.string('teacher');
  const teacherPairs = r.string('teacher-pairs');
  if ((teacher === undefined) === (teacherPairs === undefined))
    r.fail(
      "--stage distill needs --teacher <file> (the teacher's probabilities), or --teacher-pairs <file> to write the pairs the teacher must label",
    );
  const alphas = r.parse('alphas', (text) =>
    text.split(',').map((t) => {
      const a = Number(t.trim());
      if (t.trim() === '' || !(a >= 0 && a <= 1))
        throw new RangeError(
          `must be a comma-separated list of numbers in [0, 1] (got "${t.trim()}")`,
        );
      return a;
    }),
  );
  return {
    teacher,
    teacherPairs,
    alphas,
    temperature: r.has('temperature')
      ? r.number('temperature', 1, { min: 0, exclusiveMin: true })
      : undefined,
  };
}

/** `train`: stage 1, stage 2, stage 2 on imported labels, the de-biasing step or the distilled student. */
export function readTrain(r: OptionReader): TrainArgs {
  const labels = r.string('labels');
  const stage = r.choice(
    'stage',
    ['1', '2', 'debias', 'distill'] as const,
    labels === undefined ? '1' : '2',
  );
  if (labels !== undefined && stage !== '2')
    r.fail(`--labels trains stage 2; leave out --stage ${stage}`);
  const noAblation = r.flag('no-debias-ablation');
  if (noAblation && stage !== 'debias') r.fail('--no-debias-ablation goes with --stage debias');
  const out = r.string('out');
  if (out !== undefined && labels === undefined) r.fail('--out goes with --labels');
  const hyperparameters = readHyperparameters(r);
  if (stage === 'debias' && Object.keys(hyperparameters).length > 0)
    r.fail(
      `--stage debias uses its own settings (chosen on ID validation); leave out --${Object.keys(hyperparameters).join(', --')}`,
    );
  return {
    runDir: r.string('run') ?? r.fail('missing --run <dir>'),
    stage: stage === 'debias' || stage === 'distill' ? stage : stage === '1' ? 1 : 2,
    ...(stage === 'debias' ? { debiasAblation: !noAblation } : {}),
    ...readDistill(r, stage),
    labels,
    out,
    loss: r.choice('loss', LOSSES, 'graded'),
    hyperparameters,
    seed: r.integer('seed', 0, SEED),
  };
}

/** `select`. */
export function readSelect(r: OptionReader): SelectArgs {
  return {
    runDir: r.string('run') ?? r.fail('missing --run <dir>'),
    strategy: r.choice('strategy', STRATEGY_NAMES, DEFAULT_STRATEGY),
    budgetFraction: r.number('budget', 0.02, { min: 0, max: 1, exclusiveMin: true }),
    seed: r.integer('seed', 0, SEED),
  };
}

/** `export`. */
export function readExport(r: OptionReader): ExportArgs {
  return {
    runDir: r.string('run') ?? r.fail('missing --run <dir>'),
    outDir: r.string('out'),
    overwrite: r.flag('overwrite'),
    resamples: r.integer('resamples', 1000, { min: 1 }),
    queue: r.has('queue')
      ? r.choice('queue', ['csv', 'jsonl', 'labelstudio'] as const, 'csv')
      : undefined,
    stage: r.has('stage')
      ? r.choice('stage', ['stage1', 'stage2', 'stage3', 'debias', 'distill'] as const, 'stage1')
      : undefined,
  };
}
