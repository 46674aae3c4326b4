/** The model commands' options (`evaluate`, `evaluate --predictions`, `score`) → their typed arguments. */
import { LAYOUT_OPTIONS, readDataSource, readOptionalGrades } from './data-args';
import type { OptionReader } from './option-reader';
import { readScoreQueue } from './queue-args';
import type { EvaluateArgs, EvaluatePredictionsArgs, ScoreArgs } from './parsed-command';
import { SEED } from './step-args';
import { parseColumnRef } from './value-parsers';

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

/** `evaluate`: a bundle on a labelled file, or external predictions against a reference file. */
export function readEvaluate(r: OptionReader): EvaluateArgs | EvaluatePredictionsArgs {
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
