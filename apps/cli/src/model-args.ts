/** The model commands' options (`evaluate`, `evaluate --predictions`, `score`) → their typed arguments. */
import { LAYOUT_OPTIONS, readDataSource, readOptionalGrades } from './data-args';
import type { OptionReader } from './option-reader';
import { readScoreQueue } from './queue-args';
import type {
  EvaluateArgs,
  EvaluateCrossEncoderArgs,
  EvaluatePredictionsArgs,
  ScoreArgs,
} from './parsed-command';
import { SEED } from './step-args';
import { parseColumnRef } from './value-parsers';

/** Options that belong to a bundle evaluation, not to `--predictions`. */
const BUNDLE_ONLY = [
  'model',
  'preset',
  'data',
  ...LAYOUT_OPTIONS,
  'threads',
  'cross-encoder',
  'max-length',
  'bundle-out',
  'queue',
  'chunk',
] as const;
/** Options of `--predictions` only. */
const PREDICTIONS_ONLY = ['embeddings', 'reference-embeddings'] as const;

function readEvaluatePredictions(r: OptionReader): EvaluatePredictionsArgs {
  const clash = BUNDLE_ONLY.find((name) => r.has(name));
  if (clash !== undefined)
    r.fail(
      `--${clash} cannot be combined with --predictions, which evaluates outputs already computed (the file gives query, item, grade and probs or logits)`,
    );
  if (r.has('reference-embeddings') && !r.has('embeddings'))
    r.fail(
      "--reference-embeddings needs --embeddings <file.npy> too: the detectors compare the evaluated pairs' embeddings with the reference's",
    );
  return {
    embeddings: r.string('embeddings'),
    referenceEmbeddings: r.string('reference-embeddings'),
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

function readEvaluateCrossEncoder(r: OptionReader): EvaluateCrossEncoderArgs {
  const clash = ['model', 'queue', 'chunk', ...PREDICTIONS_ONLY].find((name) => r.has(name));
  if (clash !== undefined)
    r.fail(
      `--${clash} cannot be combined with --cross-encoder, which scores --data and --reference with the cross-encoder`,
    );
  return {
    crossEncoder: r.string('cross-encoder') ?? r.fail('--cross-encoder needs a value'),
    data: readDataSource(r),
    reference:
      r.string('reference') ??
      r.fail(
        '--cross-encoder needs --reference <file>: in-distribution labelled pairs in the same layout as --data (e.g. your validation set), on which the decision rule and the OOD detectors are fitted',
      ),
    maxLength: r.has('max-length') ? r.integer('max-length', 512, { min: 2 }) : undefined,
    bundleOut: r.string('bundle-out'),
    threads: r.has('threads') ? r.integer('threads', 1, { min: 1, max: 64 }) : undefined,
    resamples: r.integer('resamples', 1000, { min: 1 }),
    seed: r.integer('seed', 0, SEED),
    out: r.string('out'),
    json: r.flag('json'),
  };
}

/**
 * `evaluate`: a bundle on a labelled file, external predictions against a reference file, or a cross-encoder
 * scoring a labelled file and its reference.
 */
export function readEvaluate(
  r: OptionReader,
): EvaluateArgs | EvaluatePredictionsArgs | EvaluateCrossEncoderArgs {
  if (r.has('predictions')) return readEvaluatePredictions(r);
  if (r.has('cross-encoder')) return readEvaluateCrossEncoder(r);
  if (r.has('reference'))
    r.fail('--reference applies only with --predictions <file> or --cross-encoder <dir>');
  const only = [...PREDICTIONS_ONLY, 'max-length', 'bundle-out'].find((name) => r.has(name));
  if (only !== undefined)
    r.fail(
      `--${only} applies only with ${only === 'max-length' || only === 'bundle-out' ? '--cross-encoder <dir>' : '--predictions <file>'}`,
    );
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
    queue: readScoreQueue(r, false),
  };
}

/** `--threads <n>`: scoring threads, 0 for the calling thread. */
function readThreads(r: OptionReader): number | undefined {
  return r.has('threads') ? r.integer('threads', 0, { min: 0, max: 64 }) : undefined;
}

/** `score`. */
export function readScore(r: OptionReader): ScoreArgs {
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
