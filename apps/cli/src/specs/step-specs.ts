/**
 * Option tables of the single steps over a run folder: `train`, `select` and `export`.
 */
import { flagOption, stringOption, type CommandSpec } from '../option-table';
import { RUN_OPTION, seedOption } from './shared-options';

/** `gradeshift train`. */
export const TRAIN_SPEC: CommandSpec = {
  name: 'train',
  summary: 'Train one stage of a prepared run (1: ID only; 2: fine-tune on ID plus the selection).',
  usage: 'gradeshift train --run <dir> [options]',
  options: [
    RUN_OPTION,
    stringOption({
      name: 'stage',
      placeholder: '1|2',
      description: 'which stage',
      defaultText: '1',
    }),
    stringOption({
      name: 'loss',
      placeholder: 'graded|ce',
      description: 'training loss',
      defaultText: 'graded',
    }),
    stringOption({
      name: 'epochs',
      placeholder: '<n>',
      description: 'epochs at most',
      defaultText: '8',
    }),
    stringOption({
      name: 'learning-rate',
      placeholder: '<lr>',
      description: 'Adam learning rate',
      defaultText: '0.002',
    }),
    stringOption({
      name: 'batch-size',
      placeholder: '<n>',
      description: 'pairs per batch',
      defaultText: '256',
    }),
    stringOption({
      name: 'patience',
      placeholder: '<n>',
      description: 'early-stopping patience in epochs',
      defaultText: '2',
    }),
    stringOption({
      name: 'trainable',
      placeholder: 'all|head',
      description: 'train every weight, or the output head only',
      defaultText: 'all',
    }),
    seedOption('training'),
  ],
};

/** `gradeshift select`. */
export const SELECT_SPEC: CommandSpec = {
  name: 'select',
  summary: 'Pick pool pairs for annotation with one strategy at a budget, and reveal their labels.',
  usage: 'gradeshift select --run <dir> [options]',
  options: [
    RUN_OPTION,
    stringOption({
      name: 'strategy',
      placeholder: '<name>',
      description: 'distribution-aware | random | uncertainty',
      defaultText: 'distribution-aware',
    }),
    stringOption({
      name: 'budget',
      placeholder: '<fraction>',
      description: 'annotation budget as a fraction of the unlabeled pool',
      defaultText: '0.02',
    }),
    seedOption('selection'),
  ],
};

/** `gradeshift export`. */
export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  summary:
    'Write the model bundle (ONNX graph, vocabulary, detectors, thresholds) of a trained run.',
  usage: 'gradeshift export --run <dir> [options]',
  options: [
    RUN_OPTION,
    stringOption({
      name: 'out',
      placeholder: '<dir>',
      description: 'bundle folder',
      defaultText: '<run>/bundle',
    }),
    flagOption('overwrite', 'replace an existing bundle'),
  ],
};
