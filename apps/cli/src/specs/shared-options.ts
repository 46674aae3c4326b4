/**
 * Option groups shared by several subcommands: the data source and grade mapping, the shift, and the
 * run / model / JSON options.
 */
import { DATASET_PRESETS, HOMEDEPOT_TAXONOMY } from '@gradeshift/pipeline';

import { flagOption, requiredOption, stringOption, type OptionSpec } from '../option-table';

const PRESETS = Object.keys(DATASET_PRESETS).join(', ');
const DEPARTMENTS = HOMEDEPOT_TAXONOMY.departments.map((d) => d.id).join(', ');
const WITHOUT_PRESET = 'none; required without --preset';

/** A column option: a header name or a 0-based index. */
export function columnOption(name: string, what: string, defaultText?: string): OptionSpec {
  return stringOption({
    name,
    placeholder: '<column>',
    description: `column holding ${what}: header name or 0-based index`,
    ...(defaultText === undefined ? {} : { defaultText }),
  });
}

/** Where the labelled data comes from and how its labels become grades. */
export const DATA_OPTIONS: readonly OptionSpec[] = [
  stringOption({
    name: 'preset',
    placeholder: '<name>',
    description: `dataset preset (${PRESETS}): file, columns and grade mapping`,
  }),
  stringOption({
    name: 'data',
    placeholder: '<file>',
    description: 'CSV/TSV/JSONL file; with --preset, read it instead of the preset file',
  }),
  stringOption({
    name: 'format',
    placeholder: 'csv|jsonl',
    description: 'file format',
    defaultText: 'from the extension',
  }),
  columnOption('query-col', 'the query', WITHOUT_PRESET),
  columnOption('item-col', 'the item text', WITHOUT_PRESET),
  columnOption('label-col', 'the label', WITHOUT_PRESET),
  columnOption('id-col', 'the row id', 'the line number'),
  columnOption('category-col', 'a category (for --shift category)'),
  stringOption({
    name: 'thresholds',
    placeholder: '<e1,e2,…>',
    description: 'numeric labels: increasing grade edges, label ≤ e1 → grade 0 (e.g. 1.75,2.33)',
  }),
  stringOption({
    name: 'range',
    placeholder: '<min,max>',
    description: 'with --thresholds: declared label range, checked and used for RMSE',
  }),
  stringOption({
    name: 'values',
    placeholder: '<v:grade,…>',
    description:
      "text labels: value:grade pairs, lowest grade first ('0:irrelevant,1:weak,2:strong')",
  }),
];

/** How the shifted side is chosen, and the seed. */
export const SHIFT_OPTIONS: readonly OptionSpec[] = [
  stringOption({
    name: 'shift',
    placeholder: '<kind>',
    description: 'department | query-cluster | category',
    defaultText: 'department with --preset homedepot, else query-cluster',
  }),
  stringOption({
    name: 'held-out',
    placeholder: '<list>',
    description: `held-out departments (${DEPARTMENTS}), category values, or cluster numbers`,
    defaultText: 'outdoor-garden,appliances,paint | 0,1; required for category',
  }),
  stringOption({
    name: 'clusters',
    placeholder: '<k>',
    description: 'query-cluster shift: number of k-means clusters',
    defaultText: '8',
  }),
  stringOption({
    name: 'seed',
    placeholder: '<n>',
    description: 'split and training seed',
    defaultText: '0',
  }),
];

/** The far-OOD set (a second dataset) of `pipeline` and `prepare`. */
export const FAR_OPTIONS: readonly OptionSpec[] = [
  stringOption({
    name: 'far',
    placeholder: '<preset>',
    description:
      'far-OOD data: a preset (another retailer) split by query into pool and far-OOD test',
    defaultText: 'crowdflower with --preset homedepot, else none',
  }),
  stringOption({
    name: 'far-data',
    placeholder: '<file>',
    description:
      'far-OOD file; with --far, read it instead of the preset file, else give --far-mapping',
  }),
  stringOption({
    name: 'far-mapping',
    placeholder: '<file.json>',
    description:
      'the far file\'s mapping: {"columns": {"query", "item", "label", "id"?}, "grades": {"kind": "thresholds", "edges", "range"?} or {"kind": "values", "grades"}, "format"?}',
  }),
  stringOption({
    name: 'far-pool',
    placeholder: '<fraction>',
    description: 'share of the far queries that join the pool (the rest is the far-OOD test set)',
    defaultText: '0.5',
  }),
  flagOption('no-far', 'no far-OOD set, even with a preset that has one'),
];

/** The selection budget curve of `pipeline`. */
export const CURVE_OPTIONS: readonly OptionSpec[] = [
  stringOption({
    name: 'curve-budgets',
    placeholder: '<list>',
    description: 'budgets of the selection curve on the far set, as fractions of the pool',
    defaultText: '0.01,0.02,0.05,0.1,0.2',
  }),
  stringOption({
    name: 'curve-seeds',
    placeholder: '<list>',
    description: 'seeds per strategy and budget of the curve',
    defaultText: '0,1,2,3,4',
  }),
  stringOption({
    name: 'curve-replay',
    placeholder: '<n>',
    description: "ID-train pairs replayed in each curve run's stage 2",
    defaultText: '8000',
  }),
  flagOption('no-curve', 'skip the selection budget curve'),
];

/** `--json`. */
export const JSON_OPTION = flagOption('json', 'print the result as JSON on stdout');

/** `--run <dir>` (required). */
export const RUN_OPTION = requiredOption(
  stringOption({
    name: 'run',
    placeholder: '<dir>',
    description: 'the run folder the step reads and writes',
  }),
);

/** `--model <dir>` (required). */
export const MODEL_OPTION = requiredOption(
  stringOption({
    name: 'model',
    placeholder: '<dir>',
    description: "a model bundle folder (a run's bundle/)",
  }),
);

/** `--seed <n>` with a purpose. */
export function seedOption(purpose: string): OptionSpec {
  return stringOption({
    name: 'seed',
    placeholder: '<n>',
    description: `${purpose} seed`,
    defaultText: '0',
  });
}

/** `--threads <n>`: scoring threads of `evaluate` and `score`. */
export const THREADS_OPTION = stringOption({
  name: 'threads',
  placeholder: '<n>',
  description:
    'worker threads scoring chunks of 8192 pairs (used when each gets two or more); 0: the main thread',
  defaultText: 'min(2, cores)',
});

/** `--resamples <n>`. */
export const RESAMPLES_OPTION = stringOption({
  name: 'resamples',
  placeholder: '<n>',
  description: 'bootstrap resamples for the intervals',
  defaultText: '1000',
});
