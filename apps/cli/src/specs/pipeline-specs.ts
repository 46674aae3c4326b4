/**
 * Option tables of `gradeshift pipeline` (the whole loop) and `gradeshift prepare` (data and splits only).
 */
import { STAGE2_DEFAULTS, STAGE_DEFAULTS } from '@gradeshift/pipeline';

import { flagOption, requiredOption, stringOption, type CommandSpec } from '../option-table';
import {
  CURVE_OPTIONS,
  DATA_OPTIONS,
  FAR_OPTIONS,
  JSON_OPTION,
  RESAMPLES_OPTION,
  SHIFT_OPTIONS,
} from './shared-options';

/** `gradeshift pipeline`. */
export const PIPELINE_SPEC: CommandSpec = {
  name: 'pipeline',
  summary:
    'Run the whole loop: splits, stage 1, selection comparison, stages 2–3, evaluation, report.',
  usage: 'gradeshift pipeline (--preset <name> | --data <file> <mapping>) --out <dir> [options]',
  details: [
    'Writes <out>/report.json and <out>/predictions.jsonl and records the run in the run store. Progress goes to stderr, the summary to stdout. Ctrl-C stops the run and marks it interrupted in the store.',
  ],
  options: [
    ...DATA_OPTIONS,
    ...SHIFT_OPTIONS,
    ...FAR_OPTIONS,
    ...CURVE_OPTIONS,
    requiredOption(
      stringOption({ name: 'out', placeholder: '<dir>', description: 'output folder of the run' }),
    ),
    stringOption({
      name: 'name',
      placeholder: '<name>',
      description: 'run name',
      defaultText: 'the --out folder name',
    }),
    stringOption({
      name: 'store',
      placeholder: '<file|url>',
      description:
        'run store: an SQLite file, or a postgres:// URL to record straight into PostgreSQL',
      defaultText: 'GRADESHIFT_STORE, else <out>/../runs.sqlite',
    }),
    stringOption({
      name: 'cache',
      placeholder: '<dir>',
      description: 'cache folder (word vectors)',
      defaultText: '<out>/../.cache',
    }),
    stringOption({
      name: 'budget',
      placeholder: '<fraction>',
      description: 'annotation budget as a fraction of the unlabeled pool',
      defaultText: '0.02',
    }),
    stringOption({
      name: 'seeds',
      placeholder: '<list>',
      description: 'seeds of the selection comparison',
      defaultText: '0,1,2',
    }),
    stringOption({
      name: 'strategies',
      placeholder: '<list>',
      description: 'strategies compared: distribution-aware, random, uncertainty',
      defaultText: 'all three',
    }),
    stringOption({
      name: 'loss',
      placeholder: 'graded|ce',
      description: 'loss of the main model',
      defaultText: 'graded',
    }),
    stringOption({
      name: 'epochs',
      placeholder: '<n>',
      description: 'stage-1 (and ablation) epochs at most',
      defaultText: String(STAGE_DEFAULTS.epochs),
    }),
    stringOption({
      name: 'stage2-epochs',
      placeholder: '<n>',
      description: 'stage-2 fine-tuning epochs at most',
      defaultText: String(STAGE2_DEFAULTS.epochs ?? STAGE_DEFAULTS.epochs),
    }),
    flagOption('no-ablation', 'skip the cross-entropy ablation of stage 1'),
    flagOption(
      'no-debias',
      'skip the de-biasing step (negatives, temperature; DPO runs in its ablation) of the main model',
    ),
    flagOption('no-debias-ablation', 'skip its none / negatives / DPO / both ablation'),
    RESAMPLES_OPTION,
    flagOption('overwrite', 'replace a finished run (report.json) already in --out'),
    flagOption(
      'if-missing',
      'when --out already holds a finished run, print its summary instead of running',
    ),
    JSON_OPTION,
  ],
  examples: [
    'gradeshift pipeline --preset homedepot --out runs/hd-department',
    'gradeshift pipeline --data pairs.csv --query-col q --item-col title --label-col rating --thresholds 1.75,2.33 --out runs/mine',
    "gradeshift pipeline --data pairs.jsonl --query-col q --item-col title --label-col grade --values '0:irrelevant,1:weak,2:strong' --category-col cat --shift category --held-out garden --out runs/by-category",
  ],
};

/** `gradeshift prepare`. */
export const PREPARE_SPEC: CommandSpec = {
  name: 'prepare',
  summary:
    'Load the data, build the query-disjoint splits under the shift, print the split report; with --out, start a run folder.',
  usage: 'gradeshift prepare (--preset <name> | --data <file> <mapping>) [--out <dir>] [options]',
  details: [
    'Without --out: checks a data source, its mapping and its shift without training, and writes no files.',
    'With --out: also builds the vocabulary and word vectors (cached in --cache) and writes <out>/run.json (data source and sha256, shift, split seed and sizes), the start of a run you take step by step: gradeshift train --stage 1, select, train --stage 2, export. Each step rebuilds the splits from run.json and stops if the data file changed.',
  ],
  options: [
    ...DATA_OPTIONS,
    ...SHIFT_OPTIONS,
    ...FAR_OPTIONS,
    stringOption({
      name: 'out',
      placeholder: '<dir>',
      description: 'write a run folder (run.json) for the single steps',
    }),
    stringOption({
      name: 'cache',
      placeholder: '<dir>',
      description: 'cache folder (word vectors), with --out',
      defaultText: '<out>/../.cache',
    }),
    flagOption('overwrite', 'with --out: replace a run already there (its weights and selection)'),
    JSON_OPTION,
  ],
  examples: [
    'gradeshift prepare --preset homedepot',
    'gradeshift prepare --preset homedepot --shift query-cluster --clusters 10 --held-out 0,3',
    'gradeshift prepare --preset homedepot --out runs/steps',
  ],
};
