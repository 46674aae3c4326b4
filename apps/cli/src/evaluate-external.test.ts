/**
 * `gradeshift evaluate --cross-encoder` and `evaluate --predictions --embeddings` end to end: the real command
 * (spawned once, in-process with the real pipeline backends otherwise) on a small synthetic slice, with a tiny
 * BERT-shaped cross-encoder the test builds (3-grade head on [CLS], `@gradeshift/core/testing`) and the committed
 * tiny WordPiece tokenizer: report.json written, the decision rule fitted on the reference, the detectors on the
 * hidden-state space; a bad folder and an embedding width that differs from the reference refused with what to do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { tinyEncoderModel } from '@gradeshift/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_BACKENDS } from './backends';
import { EXIT_CODES } from './exit-codes';
import { runCli } from './run-cli';
import { createTempDir, createTestContext, writeSyntheticPairs } from './test-context';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const TOKENIZER = fileURLToPath(
  new URL('../../../tests/fixtures/tokenizer/tiny-wordpiece.json', import.meta.url),
);
const PYTHON = '/usr/bin/python3';

let temp: ReturnType<typeof createTempDir>;
let model: string;
let reference: string;
let data: string;
beforeAll(() => {
  temp = createTempDir();
  const vocab = Object.keys(
    (JSON.parse(readFileSync(TOKENIZER, 'utf8')) as { model: { vocab: object } }).model.vocab,
  ).length;
  model = join(temp.dir, 'cross-encoder');
  mkdirSync(model);
  const { bytes } = tinyEncoderModel({ vocab, head: 3, outputs: ['logits', 'last_hidden_state'] });
  writeFileSync(join(model, 'model.onnx'), bytes);
  copyFileSync(TOKENIZER, join(model, 'tokenizer.json'));
  writeFileSync(join(model, 'config.json'), JSON.stringify({ max_position_embeddings: 64 }));
  reference = join(temp.dir, 'reference.csv');
  data = join(temp.dir, 'data.csv');
  expect(writeSyntheticPairs(reference, 2)).toBe(192);
  expect(writeSyntheticPairs(data, 1)).toBe(96);
});
afterAll(() => temp.remove());

const LAYOUT = [
  '--query-col',
  'query',
  '--item-col',
  'title',
  '--label-col',
  'rating',
  '--thresholds',
  '1.75,2.33',
  '--range',
  '1,3',
];

describe('gradeshift evaluate --cross-encoder', () => {
  it('scores the slice and its reference, writes the report with the rule and detectors fitted on the reference', () => {
    const out = join(temp.dir, 'runs', 'ce');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/main.ts',
        'evaluate',
        '--cross-encoder',
        model,
        '--data',
        data,
        ...LAYOUT,
        '--reference',
        reference,
        '--resamples',
        '50',
        '--out',
        out,
      ],
      { cwd: APP_DIR, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.stderr).toContain('[evaluate] scoring');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^96 pairs evaluated\n/);
    expect(run.stdout).toMatch(/\n {2}mahalanobis +\d+\.\d%/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.external.decision.fit.split).toBe('reference');
    expect(report.external.embedding_width).toBe(8);
    expect(
      report.external.reference_split.fit.pairs + report.external.reference_split.calibration.pairs,
    ).toBe(192);
    expect(Object.keys(report.external.ood_detection).sort()).toEqual([
      'energy',
      'knn',
      'mahalanobis',
      'max_logit',
      'msp',
    ]);
    expect(readFileSync(join(out, 'predictions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      96,
    );
  }, 120_000);

  it('refuses a folder whose tokenizer has more ids than the model has rows, with what to do', async () => {
    const bad = join(temp.dir, 'bad-ce');
    mkdirSync(bad);
    writeFileSync(
      join(bad, 'model.onnx'),
      tinyEncoderModel({ vocab: 50, head: 3, outputs: ['logits'] }).bytes,
    );
    copyFileSync(TOKENIZER, join(bad, 'tokenizer.json'));
    const t = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    const argv = [
      'evaluate',
      '--cross-encoder',
      bad,
      '--data',
      data,
      ...LAYOUT,
      '--reference',
      reference,
    ];
    expect(await runCli(argv, t.ctx)).toBe(EXIT_CODES.DATA_ERROR);
    expect(t.stderr()).toMatch(
      /tokenizer\.json has \d+ ids but model\.onnx's token-embedding table \(word\) has 50 rows/,
    );
    expect(t.stderr()).toContain('use the tokenizer.json exported with the model');
  });
});

describe.skipIf(!existsSync(PYTHON))('gradeshift evaluate --predictions --embeddings', () => {
  /** A predictions JSONL of `n` pairs (grades cycling) and a float32 .npy of width `width`, written by NumPy. */
  function files(name: string, n: number, width: number): { jsonl: string; npy: string } {
    const jsonl = join(temp.dir, `${name}.jsonl`);
    const rows = Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        query: `q${i % 16}`,
        item: `i${i}`,
        grade: i % 3,
        logits: [i % 3, 1, (i * 7) % 5],
      }),
    );
    writeFileSync(jsonl, `${rows.join('\n')}\n`);
    const npy = join(temp.dir, `${name}.npy`);
    // NumPy 1.24 (Debian): a deterministic n × width float32 matrix, row i = grade-dependent + small wiggle.
    const script = `import sys, numpy as np\nn, w = ${n}, ${width}\ni = np.arange(n)[:, None]\nj = np.arange(w)[None, :]\nnp.save(sys.argv[1], ((i % 3) * 1.0 + np.sin(i * 0.7 + j)).astype(np.float32))`;
    execFileSync(PYTHON, ['-c', script, npy]);
    return { jsonl, npy };
  }

  it('evaluates with the sidecar embeddings, and refuses a width that differs from the reference', async () => {
    const ref = files('ref', 96, 4);
    const evaluated = files('eval', 48, 4);
    const out = join(temp.dir, 'runs', 'npy');
    const argv = (npy: string) => [
      'evaluate',
      '--predictions',
      evaluated.jsonl,
      '--embeddings',
      npy,
      '--reference',
      ref.jsonl,
      '--reference-embeddings',
      ref.npy,
      '--resamples',
      '20',
      '--out',
      out,
    ];
    const ok = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    expect(await runCli(argv(evaluated.npy), ok.ctx)).toBe(EXIT_CODES.OK);
    expect(ok.stdout()).toMatch(/\n {2}mahalanobis +\d+\.\d%.*AUROC/);
    expect(
      JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).external.embedding_width,
    ).toBe(4);
    const wide = files('wide', 48, 6);
    const bad = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    expect(await runCli(argv(wide.npy), bad.ctx)).toBe(EXIT_CODES.DATA_ERROR);
    expect(bad.stderr()).toContain(`embedding width 6 here, 4 in the reference ${ref.jsonl}`);
    expect(bad.stderr()).toMatch(/same encoder and output layer/);
  });
});
