import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { HOMEDEPOT_TAXONOMY } from '@gradeshift/pipeline';

import { parseCommandLine } from './args';
import { describeFailure } from './exit-codes';
import { argsOf, usageErrorOf } from './test-context';

const FILE = [
  '--data',
  'pairs.csv',
  '--query-col',
  'q',
  '--item-col',
  'title',
  '--label-col',
  'rating',
];

describe('parseCommandLine: help', () => {
  it.each([[[]], [['--help']], [['-h']], [['help']]])('%j shows the main help', (argv) => {
    expect(parseCommandLine(argv)).toEqual({ command: 'help', topic: undefined });
  });

  it('shows one command with `help <command>` and `<command> --help`, before checking required options', () => {
    expect(parseCommandLine(['help', 'train'])).toEqual({ command: 'help', topic: 'train' });
    expect(parseCommandLine(['pipeline', '--help'])).toEqual({
      command: 'help',
      topic: 'pipeline',
    });
    expect(parseCommandLine(['score', '-h'])).toEqual({ command: 'help', topic: 'score' });
  });

  it('rejects an unknown command or topic, and options before the command, with exit code 2', () => {
    const unknown = usageErrorOf(['frobnicate']);
    expect(unknown.message).toBe(
      'unknown command "frobnicate" (commands: pipeline, prepare, encoder, train, select, evaluate, export, score, worker, runs, help)',
    );
    expect(unknown.usage).toBe('gradeshift <command> [options]');
    expect(describeFailure(unknown).code).toBe(2);
    expect(usageErrorOf(['--out', 'x']).message).toMatch(/^expected a command before --out/);
    expect(usageErrorOf(['help', 'nope']).message).toBe('unknown command "nope"');
    expect(usageErrorOf(['help', 'runs', 'extra']).message).toBe('unexpected argument "extra"');
  });
});

describe('parseCommandLine: far-OOD data and the budget curve', () => {
  const base = ['--preset', 'homedepot', '--out', 'o'];
  it('reads --no-far, --no-curve and a far file with its mapping', () => {
    expect(argsOf('pipeline', [...base, '--no-far', '--no-curve']).options).toMatchObject({
      far: null,
      curve: null,
    });
    const dir = mkdtempSync(join(tmpdir(), 'gradeshift-far-args-'));
    const mapping = join(dir, 'far.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        columns: { query: 'q', item: 'title', label: 'stars' },
        grades: { kind: 'thresholds', edges: [2.5, 4.5], range: [1, 5] },
      }),
    );
    expect(
      argsOf('pipeline', [...base, '--far-data', 'f.csv', '--far-mapping', mapping]).options.far,
    ).toEqual({
      source: {
        path: 'f.csv',
        columns: { query: 'q', item: 'title', label: 'stars' },
        grades: { kind: 'thresholds', edges: [2.5, 4.5], range: [1, 5] },
      },
    });
    writeFileSync(
      mapping,
      JSON.stringify({ columns: { query: 'q' }, grades: { kind: 'thresholds' } }),
    );
    expect(
      usageErrorOf(['pipeline', ...base, '--far-data', 'f.csv', '--far-mapping', mapping]).message,
    ).toMatch(/"columns" must name query, item and label/);
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [['--no-far', '--far', 'crowdflower'], '--no-far cannot be combined with another --far option'],
    [['--far', 'nope'], 'unknown --far preset "nope" (presets: homedepot, crowdflower)'],
    [
      ['--far-data', 'f.csv'],
      '--far-data needs --far <preset> (its mapping) or --far-mapping <file.json>',
    ],
    [['--far-pool', '0.5'], '--far-pool needs --far or --far-data'],
    [
      ['--far', 'crowdflower', '--far-pool', '1'],
      '--far-pool must be a number > 0 and ≤ 0.99 (got "1")',
    ],
    [['--curve-budgets', '0.05,1.5'], /--curve-budgets/],
  ])('pipeline %j → usage error', (extra, message) => {
    const error = usageErrorOf(['pipeline', ...base, ...extra]);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });
});

describe('parseCommandLine: pipeline', () => {
  it('fills every default for a preset run', () => {
    expect(argsOf('pipeline', ['--preset', 'homedepot', '--out', 'runs/hd'])).toEqual({
      json: false,
      ifMissing: false,
      options: {
        data: { preset: 'homedepot' },
        outDir: 'runs/hd',
        curve: {},
        seed: 0,
        budgetFraction: 0.02,
        selectionSeeds: [0, 1, 2],
        loss: 'graded',
        stage1: { epochs: 10 },
        stage2: { epochs: 3 },
        ablation: true,
        debias: true,
        debiasAblation: true,
        resamples: 1000,
        overwrite: false,
      },
    });
  });

  it('reads a preset with another file, and every run option', () => {
    const { options, json } = argsOf('pipeline', [
      '--preset',
      'homedepot',
      '--data',
      'copy.csv',
      '--out',
      'o',
      '--name',
      'n',
      '--store',
      's.sqlite',
      '--cache',
      'c',
      '--seed',
      '7',
      '--budget',
      '0.05',
      '--seeds',
      '3,4',
      '--strategies',
      'random,uncertainty',
      '--loss',
      'ce',
      '--epochs',
      '2',
      '--stage2-epochs',
      '1',
      '--no-ablation',
      '--no-debias-ablation',
      '--resamples',
      '200',
      '--overwrite',
      '--json',
      '--far',
      'crowdflower',
      '--far-data',
      'other.csv',
      '--far-pool',
      '0.4',
      '--curve-budgets',
      '0.05,0.2',
      '--curve-seeds',
      '0,1',
      '--curve-replay',
      '500',
    ]);
    expect(json).toBe(true);
    expect(options).toEqual({
      data: { preset: 'homedepot', path: 'copy.csv' },
      outDir: 'o',
      far: { source: { preset: 'crowdflower', path: 'other.csv' }, poolFraction: 0.4 },
      curve: { budgets: [0.05, 0.2], seeds: [0, 1], replay: 500 },
      name: 'n',
      storePath: 's.sqlite',
      cacheDir: 'c',
      strategies: ['random', 'uncertainty'],
      seed: 7,
      budgetFraction: 0.05,
      selectionSeeds: [3, 4],
      loss: 'ce',
      stage1: { epochs: 2 },
      stage2: { epochs: 1 },
      ablation: false,
      debias: true,
      debiasAblation: false,
      resamples: 200,
      overwrite: true,
    });
  });

  it('builds a file source with thresholds, a range, id and category columns (digits name an index)', () => {
    const { options } = argsOf('pipeline', [
      ...FILE,
      '--id-col',
      '0',
      '--category-col',
      'cat',
      '--thresholds',
      '1.75,2.33',
      '--range',
      '1,3',
      '--format',
      'csv',
      '--out',
      'o',
    ]);
    expect(options.data).toEqual({
      path: 'pairs.csv',
      format: 'csv',
      columns: { query: 'q', item: 'title', label: 'rating', id: 0, category: 'cat' },
      grades: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
    });
  });

  it('builds a values grade mapping, grades in order of first appearance', () => {
    const { options } = argsOf('pipeline', [
      ...FILE,
      '--values',
      '0:irrelevant,no:irrelevant,1:weak,2:strong',
      '--out',
      'o',
    ]);
    expect('grades' in options.data && options.data.grades).toEqual({
      kind: 'values',
      grades: [['0', 'no'], ['1'], ['2']],
      names: ['irrelevant', 'weak', 'strong'],
    });
  });

  it('builds each shift strategy', () => {
    const preset = ['--preset', 'homedepot', '--out', 'o'];
    expect(
      argsOf('pipeline', [...preset, '--shift', 'department', '--held-out', 'paint']).options.shift,
    ).toEqual({ kind: 'department', taxonomy: HOMEDEPOT_TAXONOMY, heldOut: ['paint'] });
    expect(argsOf('pipeline', [...preset, '--shift', 'department']).options.shift).toEqual({
      kind: 'department',
      taxonomy: HOMEDEPOT_TAXONOMY,
    });
    expect(argsOf('pipeline', [...preset, '--shift', 'query-cluster']).options.shift).toEqual({
      kind: 'query-cluster',
      k: 8,
      heldOutClusters: [0, 1],
    });
    expect(
      argsOf('pipeline', [
        ...preset,
        '--shift',
        'query-cluster',
        '--clusters',
        '5',
        '--held-out',
        '4',
      ]).options.shift,
    ).toEqual({ kind: 'query-cluster', k: 5, heldOutClusters: [4] });
    const category = [...FILE, '--thresholds', '2', '--category-col', 'cat', '--out', 'o'];
    expect(
      argsOf('pipeline', [...category, '--shift', 'category', '--held-out', 'garden, paint'])
        .options.shift,
    ).toEqual({ kind: 'category', heldOut: ['garden', 'paint'] });
  });

  it.each([
    [['--preset', 'homedepot'], 'missing --out <dir> (output folder of the run)'],
    [['--out', 'o'], 'give --preset <name> or --data <file> with its mapping'],
    [['--preset', 'imdb', '--out', 'o'], 'unknown preset "imdb" (presets: homedepot, crowdflower)'],
    [
      ['--preset', 'homedepot', '--query-col', 'q', '--out', 'o'],
      "--query-col cannot be combined with --preset, which fixes the file's mapping",
    ],
    [
      ['--data', 'f.csv', '--out', 'o', '--thresholds', '2'],
      '--data needs --query-col: name the column (or 0-based index), or use --preset',
    ],
    [
      [...FILE, '--out', 'o'],
      "--data needs a grade mapping: --thresholds 1.75,2.33 (numeric labels) or --values '0:irrelevant,1:weak,2:strong'",
    ],
    [
      [...FILE, '--out', 'o', '--thresholds', '2', '--values', 'a:x,b:y'],
      'give --thresholds (numeric labels) or --values (text labels), not both',
    ],
    [
      [...FILE, '--out', 'o', '--values', 'a:x,b:y', '--range', '1,3'],
      '--range applies only with --thresholds',
    ],
    [
      [...FILE, '--out', 'o', '--thresholds', '2.33,1.75'],
      '--thresholds must be strictly increasing (got "2.33,1.75")',
    ],
    [
      [...FILE, '--out', 'o', '--thresholds', '2,5', '--range', '1,3'],
      '--thresholds must lie inside --range 1,3 (got "2,5")',
    ],
    [
      [...FILE, '--out', 'o', '--thresholds', '2', '--range', '3,1'],
      '--range must be two increasing numbers min,max (got "3,1")',
    ],
    [
      [...FILE, '--out', 'o', '--values', 'a'],
      '--values must be value:grade pairs (got "a" in "a")',
    ],
    [
      [...FILE, '--out', 'o', '--values', 'a:x,b:x'],
      '--values must name at least two grades (got "a:x,b:x")',
    ],
    [[...FILE, '--out', 'o', '--values', 'a:x,A:y'], '--values lists the value "A" twice'],
    [
      [...FILE, '--out', 'o', '--thresholds', '2', '--format', 'xml'],
      '--format must be one of csv, jsonl (got "xml")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--shift', 'brand'],
      '--shift must be one of department, query-cluster, category (got "brand")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--held-out', 'paint'],
      '--held-out applies only with --shift',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--shift', 'department', '--clusters', '4'],
      '--clusters applies only with --shift query-cluster',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--shift', 'department', '--held-out', 'toys'],
      `--held-out: unknown department "toys" (departments: ${HOMEDEPOT_TAXONOMY.departments.map((d) => d.id).join(', ')})`,
    ],
    [
      [
        '--preset',
        'homedepot',
        '--out',
        'o',
        '--shift',
        'query-cluster',
        '--clusters',
        '3',
        '--held-out',
        '3',
      ],
      '--held-out must be an integer ≥ 0 and ≤ 2 (got "3")',
    ],
    [
      [
        '--preset',
        'homedepot',
        '--out',
        'o',
        '--shift',
        'query-cluster',
        '--clusters',
        '2',
        '--held-out',
        '0,1',
      ],
      '--held-out must leave at least one of the 2 clusters in distribution',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--shift', 'category', '--held-out', 'x'],
      '--shift category needs a category column, which the homedepot preset has none of: use --data <file> with --category-col',
    ],
    [
      [...FILE, '--thresholds', '2', '--out', 'o', '--shift', 'category', '--held-out', 'x'],
      '--shift category needs a category column: add --category-col <column>',
    ],
    [
      [...FILE, '--thresholds', '2', '--category-col', 'c', '--out', 'o', '--shift', 'category'],
      '--shift category needs --held-out <values>: the categories to hold out',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--budget', '0'],
      '--budget must be a number > 0 and ≤ 1 (got "0")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--budget', '1.5'],
      '--budget must be a number > 0 and ≤ 1 (got "1.5")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--budget', '2%'],
      '--budget must be a number (got "2%")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--seed', '1.5'],
      '--seed must be an integer (got "1.5")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--seed=-1'],
      '--seed must be an integer ≥ 0 and ≤ 4294967295 (got "-1")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--seed', '-1'],
      '--seed needs a value (write --seed=<value> for a value starting with a dash)',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--seeds', '0,,1'],
      '--seeds must be a comma-separated list without empty items (got "0,,1")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--seeds', '1,1'],
      '--seeds must not repeat a value (got "1,1")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--loss', 'mse'],
      '--loss must be one of graded, ce (got "mse")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--strategies', 'random,greedy'],
      '--strategies must be one of distribution-aware, random, uncertainty (got "greedy")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--epochs', '0'],
      '--epochs must be an integer ≥ 1 (got "0")',
    ],
    [
      ['--preset', 'homedepot', '--out', 'o', '--resamples', 'many'],
      '--resamples must be an integer (got "many")',
    ],
    [['--preset', 'homedepot', '--out', ' '], '--out must not be empty'],
    [['--preset', 'homedepot', '--out'], '--out needs a value'],
    [['--preset', 'homedepot', '--out', 'o', '--overwrite=yes'], '--overwrite takes no value'],
    [['--preset', 'homedepot', '--out', 'o', '--frobnicate'], 'unknown option --frobnicate'],
    [['--preset', 'homedepot', '--out', 'o', '-x'], 'unknown option -x'],
    [['--preset', 'homedepot', '--out', 'o', 'extra'], 'unexpected argument "extra"'],
  ])('pipeline %j → usage error', (argv, message) => {
    const error = usageErrorOf(['pipeline', ...argv]);
    expect(error.message).toBe(message);
    expect(error.command).toBe('pipeline');
    expect(error.usage).toBe(
      'gradeshift pipeline (--preset <name> | --data <file> <mapping>) --out <dir> [options]',
    );
    expect(describeFailure(error).code).toBe(2);
  });
});
