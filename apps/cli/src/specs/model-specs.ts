/**
 * Option tables of the commands that use a model bundle: `evaluate` and `score`.
 */
import { requiredOption, stringOption, type CommandSpec } from '../option-table';
import {
  columnOption,
  DATA_OPTIONS,
  JSON_OPTION,
  MODEL_OPTION,
  RESAMPLES_OPTION,
  seedOption,
  THREADS_OPTION,
} from './shared-options';
import { SCORE_QUEUE_OPTIONS } from './queue-specs';

/** `gradeshift evaluate`. */
export const EVALUATE_SPEC: CommandSpec = {
  name: 'evaluate',
  summary:
    'Score an external labelled file with a model bundle or a cross-encoder, or judge predictions made elsewhere; report its metrics as one test split.',
  usage:
    'gradeshift evaluate (--model <dir> (--preset <name> | --data <file> <mapping>) | --predictions <file> --reference <file> | --cross-encoder <dir> --data <file> <mapping> --reference <file>) [options]',
  options: [
    {
      ...MODEL_OPTION,
      required: false,
      description:
        "a model bundle folder (a run's bundle/); required without --predictions or --cross-encoder",
    },
    ...DATA_OPTIONS,
    stringOption({
      name: 'predictions',
      placeholder: '<file>',
      description:
        'instead of --model and --data: JSONL of pairs scored elsewhere, one per line: query, item, grade, probs or logits (K numbers), optional embedding (README, evaluate); --thresholds/--range/--values map the grade field',
    }),
    stringOption({
      name: 'embeddings',
      placeholder: '<file.npy>',
      description:
        "with --predictions: the pairs' embeddings as a NumPy .npy matrix (float32/float64, C order, one row per line) instead of `embedding` fields",
    }),
    stringOption({
      name: 'reference-embeddings',
      placeholder: '<file.npy>',
      description: "with --embeddings: the reference pairs' embeddings, same width",
    }),
    stringOption({
      name: 'cross-encoder',
      placeholder: '<dir>',
      description:
        'instead of --model: a cross-encoder folder (model.onnx with logits, tokenizer.json, optional config.json) that scores --data and --reference as they are (README, evaluate --cross-encoder)',
    }),
    stringOption({
      name: 'max-length',
      placeholder: '<n>',
      description: 'with --cross-encoder: truncation length of a (query, item) pair in tokens',
      defaultText: "the tokenizer's, capped by config.json's max_position_embeddings",
    }),
    stringOption({
      name: 'bundle-out',
      placeholder: '<dir>',
      description:
        "with --cross-encoder: also write a cross-encoder bundle there (the model's files, the logit mapping, the decision rule and OOD detectors fitted on --reference) that `gradeshift score --model` and the Playground run",
    }),
    stringOption({
      name: 'reference',
      placeholder: '<file>',
      description:
        'with --predictions or --cross-encoder: in-distribution pairs in the same format (e.g. your validation set); the decision rule is fitted on it, the OOD detectors fitted on half its queries and calibrated on the other half',
    }),
    RESAMPLES_OPTION,
    seedOption('bootstrap'),
    stringOption({
      name: 'out',
      placeholder: '<dir>',
      description:
        'folder for report.json and predictions.jsonl; the run is recorded in the runs.sqlite beside it',
      defaultText: 'runs/evaluate-<date>-<time>',
    }),
    THREADS_OPTION,
    ...SCORE_QUEUE_OPTIONS,
    JSON_OPTION,
  ],
  examples: [
    'gradeshift evaluate --model runs/hd/bundle --data new.csv --query-col q --item-col title --label-col rating --thresholds 1.75,2.33',
    'gradeshift evaluate --model runs/hd/bundle --preset homedepot --queue redis://127.0.0.1:6379 --out /shared/runs/hd-eval',
    'gradeshift evaluate --predictions scored.jsonl --reference validation.jsonl --out runs/minilm-eval',
    'gradeshift evaluate --predictions scored.jsonl --embeddings scored.npy --reference validation.jsonl --reference-embeddings validation.npy',
    'gradeshift evaluate --cross-encoder models/my-cross-encoder --data test.csv --query-col q --item-col title --label-col rating --thresholds 1.75,2.33 --reference validation.csv',
    'gradeshift evaluate --cross-encoder models/my-cross-encoder --data test.csv --query-col q --item-col title --label-col rating --thresholds 1.75,2.33 --reference validation.csv --bundle-out bundles/my-cross-encoder',
  ],
};

/** `gradeshift score`. */
export const SCORE_SPEC: CommandSpec = {
  name: 'score',
  summary:
    'Score the (query, item) pairs of a file with a model bundle: grades and OOD scores as JSONL.',
  usage:
    'gradeshift score --model <dir> --data <file> --query-col <column> --item-col <column> [options]',
  options: [
    MODEL_OPTION,
    requiredOption(
      stringOption({
        name: 'data',
        placeholder: '<file>',
        description: 'CSV/TSV/JSONL file of pairs (labels not needed)',
      }),
    ),
    stringOption({
      name: 'format',
      placeholder: 'csv|jsonl',
      description: 'file format',
      defaultText: 'from the extension',
    }),
    requiredOption(columnOption('query-col', 'the query')),
    requiredOption(columnOption('item-col', 'the item text')),
    columnOption('id-col', 'the row id', 'the line number'),
    stringOption({
      name: 'out',
      placeholder: '<file>',
      description: 'output JSONL file; - for stdout',
      defaultText: '-',
    }),
    THREADS_OPTION,
    ...SCORE_QUEUE_OPTIONS,
  ],
};
