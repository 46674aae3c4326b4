import { describe, expect, it } from 'vitest';

import type { EvaluateArgs } from './parsed-command';
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

describe('parseCommandLine: prepare', () => {
  it('reads the data source, the shift and the seed', () => {
    expect(argsOf('prepare', ['--preset', 'homedepot'])).toEqual({
      data: { preset: 'homedepot' },
      shift: undefined,
      seed: 0,
      json: false,
      out: undefined,
      cacheDir: undefined,
      overwrite: false,
    });
    const args = argsOf('prepare', [
      ...FILE,
      '--thresholds',
      '2',
      '--shift',
      'query-cluster',
      '--seed',
      '3',
      '--json',
    ]);
    expect(args.shift).toEqual({ kind: 'query-cluster', k: 8, heldOutClusters: [0, 1] });
    expect(args.seed).toBe(3);
    expect(args.json).toBe(true);
  });

  it('reads --out, --cache and --overwrite for a run folder', () => {
    const args = argsOf('prepare', [
      '--preset',
      'homedepot',
      '--out',
      'runs/x',
      '--cache',
      'c',
      '--overwrite',
    ]);
    expect(args).toMatchObject({ out: 'runs/x', cacheDir: 'c', overwrite: true });
    expect(usageErrorOf(['prepare', '--preset', 'homedepot', '--out']).message).toBe(
      '--out needs a value',
    );
  });
});

describe('parseCommandLine: train, select, export', () => {
  it('reads the de-biasing step and its ablation switch', () => {
    expect(argsOf('train', ['--run', 'r', '--stage', 'debias'])).toMatchObject({
      stage: 'debias',
      debiasAblation: true,
      hyperparameters: {},
    });
    expect(
      argsOf('train', ['--run', 'r', '--stage', 'debias', '--no-debias-ablation']).debiasAblation,
    ).toBe(false);
    expect(argsOf('train', ['--run', 'r']).debiasAblation).toBeUndefined();
  });

  it('reads the distillation step: the teacher file or the pairs to write, α grid, temperature, hyperparameters', () => {
    expect(
      argsOf('train', [
        ...['--run', 'r', '--stage', 'distill', '--teacher', 't.jsonl'],
        ...['--alphas', '0, 0.5,1', '--temperature', '2', '--epochs', '3'],
      ]),
    ).toMatchObject({
      stage: 'distill',
      teacher: 't.jsonl',
      teacherPairs: undefined,
      alphas: [0, 0.5, 1],
      temperature: 2,
      hyperparameters: { epochs: 3 },
    });
    expect(
      argsOf('train', ['--run', 'r', '--stage', 'distill', '--teacher-pairs', 'p.jsonl']),
    ).toMatchObject({ stage: 'distill', teacherPairs: 'p.jsonl', teacher: undefined });
    expect(argsOf('export', ['--run', 'r', '--stage', 'distill']).stage).toBe('distill');
    expect(argsOf('export', ['--run', 'r']).stage).toBeUndefined();
  });

  it('fills the train defaults', () => {
    expect(argsOf('train', ['--run', 'r'])).toEqual({
      runDir: 'r',
      stage: 1,
      loss: 'graded',
      // Nothing given: each stage trains with the pipeline's own defaults (gentler for stage 2).
      hyperparameters: {},
      seed: 0,
    });
    expect(
      argsOf('train', ['--run', 'r', '--stage', '2', '--epochs', '2']).hyperparameters,
    ).toEqual({
      epochs: 2,
    });
  });

  it('reads every train option', () => {
    expect(
      argsOf('train', [
        '--run',
        'r',
        '--stage',
        '2',
        '--loss',
        'ce',
        '--epochs',
        '3',
        '--learning-rate',
        '1e-3',
        '--batch-size',
        '64',
        '--patience',
        '1',
        '--trainable',
        'head',
        '--seed',
        '9',
      ]),
    ).toEqual({
      runDir: 'r',
      stage: 2,
      loss: 'ce',
      hyperparameters: {
        epochs: 3,
        learningRate: 0.001,
        batchSize: 64,
        patience: 1,
        trainable: 'head',
      },
      seed: 9,
    });
  });

  it('reads --labels (stage 2 on them, --out for the new run) and --queue', () => {
    expect(argsOf('train', ['--run', 'r', '--labels', 'l.csv', '--out', 'runs/x'])).toMatchObject({
      stage: 2,
      labels: 'l.csv',
      out: 'runs/x',
    });
    expect(argsOf('export', ['--run', 'r', '--queue', 'labelstudio'])).toMatchObject({
      queue: 'labelstudio',
    });
    expect(argsOf('export', ['--run', 'r']).queue).toBeUndefined();
  });

  it.each([
    [['train'], 'missing --run <dir> (the run folder the step reads and writes)'],
    [
      ['train', '--run', 'r', '--stage', '3'],
      '--stage must be one of 1, 2, debias, distill (got "3")',
    ],
    [
      ['train', '--run', 'r', '--stage', 'distill'],
      "--stage distill needs --teacher <file> (the teacher's probabilities), or --teacher-pairs <file> to write the pairs the teacher must label",
    ],
    [
      ['train', '--run', 'r', '--stage', 'distill', '--teacher', 't', '--teacher-pairs', 'p'],
      "--stage distill needs --teacher <file> (the teacher's probabilities), or --teacher-pairs <file> to write the pairs the teacher must label",
    ],
    [['train', '--run', 'r', '--teacher', 't.jsonl'], '--teacher goes with --stage distill'],
    [
      ['train', '--run', 'r', '--stage', 'distill', '--teacher', 't', '--alphas', '0,1.5'],
      '--alphas must be a comma-separated list of numbers in [0, 1] (got "1.5")',
    ],
    [
      ['train', '--run', 'r', '--stage', 'distill', '--teacher', 't', '--temperature', '0'],
      '--temperature must be a number > 0 (got "0")',
    ],
    [
      ['export', '--run', 'r', '--stage', 'final'],
      '--stage must be one of stage1, stage2, stage3, debias, distill (got "final")',
    ],
    [
      ['train', '--run', 'r', '--stage', 'debias', '--epochs', '2', '--patience', '1'],
      '--stage debias uses its own settings (chosen on ID validation); leave out --epochs, --patience',
    ],
    [
      ['train', '--run', 'r', '--stage', 'debias', '--labels', 'l.csv'],
      '--labels trains stage 2; leave out --stage debias',
    ],
    [
      ['train', '--run', 'r', '--no-debias-ablation'],
      '--no-debias-ablation goes with --stage debias',
    ],
    [
      ['train', '--run', 'r', '--learning-rate', '0'],
      '--learning-rate must be a number > 0 (got "0")',
    ],
    [
      ['train', '--run', 'r', '--trainable', 'some'],
      '--trainable must be one of all, head (got "some")',
    ],
    [
      ['train', '--run', 'r', '--stage', '1', '--labels', 'l.csv'],
      '--labels trains stage 2; leave out --stage 1',
    ],
    [['train', '--run', 'r', '--out', 'x'], '--out goes with --labels'],
    [
      ['export', '--run', 'r', '--queue', 'xml'],
      '--queue must be one of csv, jsonl, labelstudio (got "xml")',
    ],
    [['select'], 'missing --run <dir> (the run folder the step reads and writes)'],
    [
      ['select', '--run', 'r', '--strategy', 'greedy'],
      '--strategy must be one of distribution-aware, random, uncertainty (got "greedy")',
    ],
    [['export', '--run', 'r', '--json'], 'unknown option --json'],
  ])('%j → usage error', (argv, message) => {
    expect(usageErrorOf(argv).message).toBe(message);
  });

  it('fills the select and export defaults', () => {
    expect(argsOf('select', ['--run', 'r'])).toEqual({
      runDir: 'r',
      strategy: 'distribution-aware',
      budgetFraction: 0.02,
      seed: 0,
    });
    expect(
      argsOf('select', ['--run', 'r', '--strategy', 'random', '--budget', '0.1', '--seed', '2']),
    ).toEqual({
      runDir: 'r',
      strategy: 'random',
      budgetFraction: 0.1,
      seed: 2,
    });
    expect(argsOf('export', ['--run', 'r'])).toEqual({
      runDir: 'r',
      outDir: undefined,
      overwrite: false,
      resamples: 1000,
    });
    expect(
      argsOf('export', ['--run', 'r', '--out', 'b', '--overwrite', '--resamples', '50']),
    ).toEqual({
      runDir: 'r',
      outDir: 'b',
      overwrite: true,
      resamples: 50,
    });
  });
});

describe('parseCommandLine: evaluate and score', () => {
  it('reads evaluate with a file mapping and its defaults', () => {
    expect(argsOf('evaluate', ['--model', 'm', ...FILE, '--thresholds', '1.75,2.33'])).toEqual({
      modelDir: 'm',
      data: {
        path: 'pairs.csv',
        columns: { query: 'q', item: 'title', label: 'rating' },
        grades: { kind: 'thresholds', edges: [1.75, 2.33] },
      },
      resamples: 1000,
      seed: 0,
      out: undefined,
      json: false,
      threads: undefined,
    });
    const args = argsOf('evaluate', [
      '--model',
      'm',
      '--preset',
      'homedepot',
      '--out',
      'x.json',
      '--json',
      '--resamples',
      '10',
    ]) as EvaluateArgs;
    expect(args.data).toEqual({ preset: 'homedepot' });
    expect([args.out, args.json, args.resamples]).toEqual(['x.json', true, 10]);
  });

  it('accepts `--out -` for stdout', () => {
    const argv = [
      '--model',
      'm',
      '--data',
      'p',
      '--query-col',
      'q',
      '--item-col',
      'i',
      '--out',
      '-',
    ];
    expect(argsOf('score', argv).out).toBe('-');
  });

  it('reads score with its defaults (stdout)', () => {
    expect(
      argsOf('score', ['--model', 'm', '--data', 'p.jsonl', '--query-col', 'q', '--item-col', '1']),
    ).toEqual({
      modelDir: 'm',
      path: 'p.jsonl',
      format: undefined,
      columns: { query: 'q', item: 1 },
      out: '-',
      threads: undefined,
    });
    const args = argsOf('score', [
      '--model',
      'm',
      '--data',
      'p',
      '--query-col',
      'q',
      '--item-col',
      'i',
      '--id-col',
      'id',
      '--format',
      'jsonl',
      '--out',
      'o.jsonl',
    ]);
    expect([args.columns, args.format, args.out]).toEqual([
      { query: 'q', item: 'i', id: 'id' },
      'jsonl',
      'o.jsonl',
    ]);
  });

  it('reads --threads for evaluate and score (0: the main thread)', () => {
    const score = ['--model', 'm', '--data', 'p', '--query-col', 'q', '--item-col', 'i'];
    expect(argsOf('score', [...score, '--threads', '2']).threads).toBe(2);
    expect(argsOf('score', [...score, '--threads', '0']).threads).toBe(0);
    expect(
      (
        argsOf('evaluate', [
          '--model',
          'm',
          '--preset',
          'homedepot',
          '--threads',
          '1',
        ]) as EvaluateArgs
      ).threads,
    ).toBe(1);
    expect(usageErrorOf(['score', ...score, '--threads=-1']).message).toContain(
      '--threads must be',
    );
  });

  it.each([
    [
      ['evaluate', ...FILE, '--thresholds', '2'],
      "missing --model <dir> (a model bundle folder (a run's bundle/))",
    ],
    [['evaluate', '--model', 'm'], 'give --preset <name> or --data <file> with its mapping'],
    [
      ['evaluate', '--model', 'm', '--preset', 'homedepot', '--shift', 'category'],
      'unknown option --shift',
    ],
    [
      ['score', '--model', 'm', '--data', 'p', '--item-col', 'i'],
      'missing --query-col <column> (column holding the query: header name or 0-based index)',
    ],
    [
      ['score', '--model', 'm', '--query-col', 'q', '--item-col', 'i'],
      'missing --data <file> (CSV/TSV/JSONL file of pairs (labels not needed))',
    ],
    [
      [
        'score',
        '--model',
        'm',
        '--data',
        'p',
        '--query-col',
        'q',
        '--item-col',
        'i',
        '--label-col',
        'l',
      ],
      'unknown option --label-col',
    ],
  ])('%j → usage error', (argv, message) => {
    expect(usageErrorOf(argv).message).toBe(message);
  });

  it('reads evaluate --predictions with its reference and an optional grade mapping', () => {
    const files = ['--predictions', 'p.jsonl', '--reference', 'r.jsonl'];
    expect(argsOf('evaluate', files)).toEqual({
      predictions: 'p.jsonl',
      reference: 'r.jsonl',
      mapping: undefined,
      resamples: 1000,
      seed: 0,
      out: undefined,
      json: false,
    });
    expect(
      argsOf('evaluate', [...files, '--thresholds', '1.75,2.33', '--range', '1,3', '--seed', '4']),
    ).toMatchObject({
      mapping: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
      seed: 4,
    });
  });

  it('reads evaluate --predictions with .npy embeddings, and evaluate --cross-encoder', () => {
    const files = ['--predictions', 'p.jsonl', '--reference', 'r.jsonl'];
    expect(
      argsOf('evaluate', [...files, '--embeddings', 'p.npy', '--reference-embeddings', 'r.npy']),
    ).toMatchObject({ embeddings: 'p.npy', referenceEmbeddings: 'r.npy' });
    expect(
      argsOf('evaluate', [
        '--cross-encoder',
        'models/ce',
        ...FILE,
        '--thresholds',
        '1.75,2.33',
        '--reference',
        'val.csv',
        '--max-length',
        '128',
        '--threads',
        '2',
      ]),
    ).toEqual({
      crossEncoder: 'models/ce',
      data: {
        path: 'pairs.csv',
        columns: { query: 'q', item: 'title', label: 'rating' },
        grades: { kind: 'thresholds', edges: [1.75, 2.33] },
      },
      reference: 'val.csv',
      maxLength: 128,
      threads: 2,
      resamples: 1000,
      seed: 0,
      out: undefined,
      json: false,
    });
  });

  it.each([
    [
      ['evaluate', '--predictions', 'p.jsonl'],
      '--predictions needs --reference <file>: in-distribution pairs in the same format (e.g. your validation set), on which the decision rule and the OOD detectors are fitted',
    ],
    [
      ['evaluate', '--predictions', 'p', '--reference', 'r', '--model', 'm'],
      '--model cannot be combined with --predictions, which evaluates outputs already computed (the file gives query, item, grade and probs or logits)',
    ],
    [
      ['evaluate', '--predictions', 'p', '--reference', 'r', '--data', 'd.csv'],
      '--data cannot be combined with --predictions, which evaluates outputs already computed (the file gives query, item, grade and probs or logits)',
    ],
    [
      ['evaluate', '--predictions', 'p', '--reference', 'r', '--range', '1,3'],
      '--range applies only with --thresholds',
    ],
    [
      ['evaluate', '--model', 'm', '--preset', 'homedepot', '--reference', 'r'],
      '--reference applies only with --predictions <file> or --cross-encoder <dir>',
    ],
    [
      ['evaluate', '--predictions', 'p', '--reference', 'r', '--reference-embeddings', 'r.npy'],
      "--reference-embeddings needs --embeddings <file.npy> too: the detectors compare the evaluated pairs' embeddings with the reference's",
    ],
    [
      ['evaluate', '--predictions', 'p', '--reference', 'r', '--cross-encoder', 'ce'],
      '--cross-encoder cannot be combined with --predictions, which evaluates outputs already computed (the file gives query, item, grade and probs or logits)',
    ],
    [
      ['evaluate', '--model', 'm', '--preset', 'homedepot', '--embeddings', 'e.npy'],
      '--embeddings applies only with --predictions <file>',
    ],
    [
      ['evaluate', '--model', 'm', '--preset', 'homedepot', '--max-length', '64'],
      '--max-length applies only with --cross-encoder <dir>',
    ],
    [
      ['evaluate', '--cross-encoder', 'ce', '--preset', 'homedepot'],
      '--cross-encoder needs --reference <file>: in-distribution labelled pairs in the same layout as --data (e.g. your validation set), on which the decision rule and the OOD detectors are fitted',
    ],
    [
      [
        'evaluate',
        '--cross-encoder',
        'ce',
        '--model',
        'm',
        '--preset',
        'homedepot',
        '--reference',
        'r',
      ],
      '--model cannot be combined with --cross-encoder, which scores --data and --reference with the cross-encoder',
    ],
    [
      ['evaluate', '--cross-encoder', 'ce', '--reference', 'r'],
      'give --preset <name> or --data <file> with its mapping',
    ],
  ])('%j → usage error', (argv, message) => {
    expect(usageErrorOf(argv).message).toBe(message);
  });
});

describe('parseCommandLine: runs', () => {
  it('lists by default, with the default limit (the store is resolved by the command)', () => {
    expect(argsOf('runs', [])).toEqual({
      action: 'list',
      id: undefined,
      store: undefined,
      limit: 20,
      kind: undefined,
      json: false,
    });
    expect(
      argsOf('runs', ['list', '--store', 's', '--limit', '5', '--kind', 'pipeline', '--json']),
    ).toEqual({
      action: 'list',
      id: undefined,
      store: 's',
      limit: 5,
      kind: 'pipeline',
      json: true,
    });
  });

  it('shows a run by id', () => {
    expect(argsOf('runs', ['show', '3f2a'])).toMatchObject({ action: 'show', id: '3f2a' });
  });

  it.each([
    [['runs', 'show'], 'runs show needs a run id (or a unique prefix)'],
    [['runs', 'delete'], 'unknown runs action "delete" (actions: list, show <id>)'],
    [['runs', 'list', 'x'], 'unexpected argument "x"'],
    [['runs', 'show', 'a', 'b'], 'unexpected argument "b"'],
    [['runs', '--limit', '0'], '--limit must be an integer ≥ 1 (got "0")'],
  ])('%j → usage error', (argv, message) => {
    expect(usageErrorOf(argv).message).toBe(message);
  });
});

describe('parseCommandLine: encoder', () => {
  it('reads the model folder, the run folder and the head options with their defaults', () => {
    expect(
      argsOf('encoder', ['--preset', 'homedepot', '--model', 'models/minilm', '--out', 'runs/m']),
    ).toEqual({
      json: false,
      cacheDir: undefined,
      options: {
        data: { preset: 'homedepot' },
        encoder: 'models/minilm',
        outDir: 'runs/m',
        splitSeed: 0,
        seed: 0,
        maxLength: 128,
        threads: 1,
        epochs: 30,
        lexical: true,
        resamples: 1000,
      },
    });
    const args = argsOf('encoder', [
      '--preset',
      'homedepot',
      '--model',
      'm',
      '--out',
      'o',
      '--no-far',
      '--max-length',
      '64',
      '--no-lexical',
      '--seed',
      '2',
    ]);
    expect(args.options).toMatchObject({ far: null, maxLength: 64, lexical: false, seed: 2 });
  });

  it('refuses a missing model folder or a bad length', () => {
    expect(usageErrorOf(['encoder', '--preset', 'homedepot', '--out', 'o']).message).toMatch(
      /--model/,
    );
    expect(
      usageErrorOf([
        'encoder',
        '--preset',
        'homedepot',
        '--model',
        'm',
        '--out',
        'o',
        '--max-length',
        '2',
      ]).message,
    ).toMatch(/max-length/);
  });
});
