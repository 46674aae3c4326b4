/**
 * Option table of `gradeshift encoder`: the encoder backbone (a frozen Hugging Face encoder + a grade head trained
 * in TypeScript) on the pipeline's splits.
 */
import { flagOption, requiredOption, stringOption, type CommandSpec } from '../option-table';
import {
  DATA_OPTIONS,
  FAR_OPTIONS,
  JSON_OPTION,
  RESAMPLES_OPTION,
  SHIFT_OPTIONS,
} from './shared-options';

/** `gradeshift encoder`. */
export const ENCODER_SPEC: CommandSpec = {
  name: 'encoder',
  summary:
    'Score with a frozen transformer encoder (model.onnx + tokenizer.json) and a grade head trained on ID train.',
  usage:
    'gradeshift encoder (--preset <name> | --data <file> <mapping>) --model <dir> --out <dir> [options]',
  details: [
    "Builds the pipeline's splits (same shift, split seed and far-OOD set as gradeshift pipeline), embeds every distinct query and item once (cached in <cache>/encoder/<key>, keyed by the model file's sha256, --max-length and the output), trains the grade head with the graded loss on [cos(q, d), q⊙d, |q−d|] plus the default scorer's term-match features, choosing its setting and epoch on ID-validation macro-F1 only (under ordinal cut points fitted there), then evaluates ID test, near-OOD test and far-OOD test against ID validation as `evaluate --predictions` does, once per feature space (relevance: the head's hidden layer; content: the query and item embeddings).",
    'Writes <out>/encoder-run.json (backbone, head choice, metrics, detection), <out>/teacher.jsonl (grade probabilities of every ID-train and pool pair, for distillation), <out>/head.json, <out>/bundle/ (the encoder bundle: the files of the encoder, head.onnx and a manifest with their sha256, the decision rule and the OOD detectors fitted on ID validation, which gradeshift score --model reads) and one folder per split and space with report.json and predictions.jsonl.',
  ],
  options: [
    ...DATA_OPTIONS,
    ...SHIFT_OPTIONS,
    ...FAR_OPTIONS,
    requiredOption(
      stringOption({
        name: 'model',
        placeholder: '<dir>',
        description: 'encoder folder: model.onnx and tokenizer.json (npm run models:minilm)',
      }),
    ),
    requiredOption(
      stringOption({ name: 'out', placeholder: '<dir>', description: 'output folder of the run' }),
    ),
    stringOption({
      name: 'cache',
      placeholder: '<dir>',
      description: 'cache folder (embeddings)',
      defaultText: '<out>/../.cache',
    }),
    stringOption({
      name: 'max-length',
      placeholder: '<n>',
      description: 'truncation length in tokens, special tokens included',
      defaultText: '128',
    }),
    stringOption({
      name: 'threads',
      placeholder: '<n>',
      description: 'onnxruntime intra-op threads of the encoder',
      defaultText: '1',
    }),
    stringOption({
      name: 'epochs',
      placeholder: '<n>',
      description: 'grade-head epochs at most (early stopping on ID validation)',
      defaultText: '30',
    }),
    flagOption('no-lexical', "leave the default scorer's term-match features out of the head"),
    RESAMPLES_OPTION,
    JSON_OPTION,
  ],
  examples: [
    'npm run models:minilm && gradeshift encoder --preset homedepot --model models/minilm --out runs/minilm',
  ],
};
