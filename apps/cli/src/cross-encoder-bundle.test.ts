/**
 * `gradeshift evaluate --cross-encoder … --bundle-out <dir>` then `gradeshift score --model <dir>` through the CLI
 * with the real pipeline backends, on a synthetic slice and the tiny BERT-shaped cross-encoder
 * (`writeTinyCrossEncoder`: fixture model, committed tiny WordPiece tokenizer, id2label in reverse grade order): the bundle is written and named, and
 * scoring the evaluated file with it gives the evaluation's probabilities, grades and OOD scores pair for pair;
 * `--bundle-out` without `--cross-encoder` and a damaged bundle are refused with what to do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { writeTinyCrossEncoder } from '@gradeshift/pipeline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_BACKENDS } from './backends';
import { EXIT_CODES } from './exit-codes';
import { runCli } from './run-cli';
import { createTempDir, createTestContext, writeSyntheticPairs } from './test-context';

let temp: ReturnType<typeof createTempDir>;
let data: string;
beforeAll(async () => {
  temp = createTempDir();
  await writeTinyCrossEncoder(join(temp.dir, 'cross-encoder'));
  writeSyntheticPairs(join(temp.dir, 'reference.csv'), 2);
  data = join(temp.dir, 'data.csv');
  writeSyntheticPairs(data, 1);
});
afterAll(() => temp.remove());

const LAYOUT = ['--query-col', 'query', '--item-col', 'title'];
const LABELS = ['--label-col', 'rating', '--thresholds', '1.75,2.33', '--range', '1,3'];
const rows = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('gradeshift evaluate --cross-encoder --bundle-out, then score --model', () => {
  it("writes the bundle, and score gives the evaluation's values for the same pairs", async () => {
    const out = join(temp.dir, 'runs', 'ce');
    const bundle = join(temp.dir, 'bundles', 'ce');
    const evaluate = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    const argv = ['evaluate', '--cross-encoder', 'cross-encoder', '--data', 'data.csv'];
    const more = ['--reference', 'reference.csv', '--resamples', '20', '--out', out];
    expect(
      await runCli(
        [...argv, ...LAYOUT, ...LABELS, ...more, '--bundle-out', 'bundles/ce'],
        evaluate.ctx,
      ),
    ).toBe(EXIT_CODES.OK);
    expect(evaluate.stdout()).toContain(`wrote ${bundle}\n`);
    const scored = join(temp.dir, 'scored.jsonl');
    const score = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    expect(
      await runCli(
        ['score', '--model', bundle, '--data', data, ...LAYOUT, '--out', scored],
        score.ctx,
      ),
    ).toBe(EXIT_CODES.OK);
    const evaluated = rows(join(out, 'predictions.jsonl'));
    const got = rows(scored);
    expect(got).toHaveLength(96);
    got.forEach((row, i) => {
      const e = evaluated[i] as {
        probs: number[];
        expected: number;
        predicted: number;
        ood: object;
      };
      const ood = row['ood'] as Record<string, { score: number }>;
      expect([row['probs'], row['expected'], row['predicted']]).toEqual([
        e.probs,
        e.expected,
        e.predicted,
      ]);
      expect(Object.fromEntries(Object.entries(ood).map(([n, o]) => [n, o.score]))).toEqual(e.ood);
      expect(typeof row['rank']).toBe('number');
    });
    // A bundle whose model changed after export is refused, naming the file and what to do.
    writeFileSync(join(bundle, 'model.onnx'), ' ', { flag: 'a' });
    const damaged = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    const argvScore = ['score', '--model', bundle, '--data', data, ...LAYOUT, '--out', scored];
    expect(await runCli(argvScore, damaged.ctx)).toBe(EXIT_CODES.DATA_ERROR);
    expect(damaged.stderr()).toContain(`${join(bundle, 'model.onnx')}: sha256`);
    expect(damaged.stderr()).toContain('--bundle-out <dir>');
  }, 120_000);

  it('refuses --bundle-out without --cross-encoder', async () => {
    const t = createTestContext({ cwd: temp.dir, backends: DEFAULT_BACKENDS });
    const argv = ['evaluate', '--model', 'm', '--data', data, ...LAYOUT, ...LABELS];
    expect(await runCli([...argv, '--bundle-out', 'b'], t.ctx)).toBe(EXIT_CODES.USAGE);
    expect(t.stderr()).toContain('--bundle-out applies only with --cross-encoder <dir>');
  });
});
