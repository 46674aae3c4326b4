/**
 * The cross-encoder bundle on the tiny BERT-shaped cross-encoder (`writeTinyCrossEncoderBundle`): the bundle
 * `evaluate --cross-encoder --bundle-out` writes names the backbone, its files' sha256, the logit mapping and the
 * rule and detectors the evaluation fitted; `gradeshift score` with it gives, pair for pair, the evaluation's
 * probabilities, expected and decided grades and OOD scores and flags, and its ID percentiles average to the
 * report's; a single-score model keeps its ordinal thresholds; a damaged bundle or an unusable target is refused
 * with what to do.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadTokenizerFile } from '@gradeshift/core/node';
import { tinyCrossEncoderReference, tinyEncoderModel } from '@gradeshift/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBundleError } from '../bundle/bundle-error';
import { scoreFile } from '../pipeline/score-file';
import { loadCrossEncoder } from './cross-encoder';
import { openCrossEncoderBundle } from './cross-encoder-bundle';
import { evaluateCrossEncoder } from './evaluate-cross-encoder';
import { scoreCrossEncoderBundlePairs } from './score-cross-encoder-bundle';
import {
  writeTinyCrossEncoderBundle,
  type TinyCrossEncoderBundle,
} from './tiny-cross-encoder-bundle';
import { TINY_TOKENIZER_PATH } from './tiny-encoder-bundle';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-ce-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const jsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function refusal(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (e: unknown) => e,
  );
}

interface Report {
  external: { decision: { rule: unknown } };
  ood_flag_rate: Record<string, { threshold: number; mean_percentile: number }>;
}

/** `gradeshift score` of the data file with the bundle against the evaluation's predictions.jsonl. */
async function expectScoresOfEvaluation(tiny: TinyCrossEncoderBundle, name: string) {
  const out = join(dir, `${name}-scored.jsonl`);
  await scoreFile({
    modelDir: tiny.dir,
    path: tiny.dataPath,
    load: { columns: { query: 'query', item: 'title' } },
    out,
  });
  const scored = jsonl(out);
  const evaluated = jsonl(join(tiny.evaluationDir, 'predictions.jsonl'));
  expect(scored).toHaveLength(tiny.data.pairs.length);
  // The pairs get different answers: the comparison below is not between constants.
  expect(new Set(scored.map((r) => r['expected'])).size).toBeGreaterThan(scored.length / 2);
  const report = JSON.parse(
    readFileSync(join(tiny.evaluationDir, 'report.json'), 'utf8'),
  ) as Report;
  const oodNames = Object.keys(report.ood_flag_rate).sort();
  scored.forEach((row, i) => {
    const e = evaluated[i] as {
      probs: number[];
      expected: number;
      predicted: number;
      ood: Record<string, number>;
      ood_flag: Record<string, boolean>;
    };
    const o = row['ood'] as Record<string, { score: number; percentile: number; flag: boolean }>;
    expect([row['query'], row['item']]).toEqual([
      tiny.data.pairs[i]?.query,
      tiny.data.pairs[i]?.item,
    ]);
    expect([row['probs'], row['expected'], row['predicted']]).toEqual([
      e.probs,
      e.expected,
      e.predicted,
    ]);
    expect(Object.keys(o).sort()).toEqual(oodNames);
    for (const n of oodNames)
      expect([n, o[n]?.score, o[n]?.flag]).toEqual([n, e.ood[n], e.ood_flag[n]]);
  });
  // The unrounded percentiles average to the report's mean ID percentile of each score.
  const direct = await scoreCrossEncoderBundlePairs(tiny.dir, tiny.data.pairs);
  for (const n of oodNames) {
    const p = direct.ood.get(n)?.percentile ?? new Float64Array(0);
    expect(p.reduce((a, b) => a + b, 0) / p.length).toBeCloseTo(
      report.ood_flag_rate[n]?.mean_percentile ?? NaN,
      12,
    );
    expect(tiny.manifest.ood[n]?.threshold.value).toBe(report.ood_flag_rate[n]?.threshold);
  }
  expect(tiny.manifest.decision).toEqual(report.external.decision.rule);
}

describe('the cross-encoder bundle', () => {
  let tiny: TinyCrossEncoderBundle;
  beforeAll(async () => {
    tiny = await writeTinyCrossEncoderBundle(join(dir, 'columns'));
  });

  it('names the backbone, its files, the logit mapping and what the evaluation fitted', () => {
    const { manifest } = tiny;
    expect(readdirSync(tiny.dir).sort()).toEqual([
      'config.json',
      'manifest.json',
      'model.onnx',
      'tokenizer.json',
    ]);
    expect(manifest.format).toBe('gradeshift-cross-encoder-bundle');
    expect(manifest.grades).toEqual(['irrelevant', 'weak', 'strong']);
    expect(manifest.backbone).toMatchObject({
      kind: 'cross-encoder',
      name: 'cross-encoder',
      model: { file: 'model.onnx', sha256: sha256(join(tiny.model, 'model.onnx')) },
      tokenizer: { file: 'tokenizer.json', sha256: sha256(join(tiny.model, 'tokenizer.json')) },
      config: { file: 'config.json', sha256: sha256(join(tiny.model, 'config.json')) },
      maxLength: 64,
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'],
      outputs: { logits: 'logits', count: 3, hidden: 'pooled_output' },
    });
    // id2label names the grades strong, weak, irrelevant: the data's 0, 1, 2 are columns 2, 1, 0.
    expect(manifest.logitMapping).toEqual({ kind: 'columns', columns: [2, 1, 0] });
    expect(Object.keys(manifest.ood).sort()).toEqual(Object.keys(tiny.evaluation.detection).sort());
    expect(manifest.ood['knn']?.source).toMatchObject({ kind: 'detector', reads: 'features' });
    expect(manifest.ood['energy']?.source).toMatchObject({ kind: 'detector', reads: 'logits' });
  });

  it('runs a model whose logits are the plain-loop reference of its pooled states', async () => {
    const tokenizer = await loadTokenizerFile(TINY_TOKENIZER_PATH);
    const { weights } = tinyEncoderModel({
      vocab: tokenizer.vocabSize,
      head: 3,
      seed: 5,
      pooled: true,
    });
    const backbone = await loadCrossEncoder(tiny.model);
    try {
      const scores = await backbone.score(tiny.data.pairs);
      const expected = tiny.data.pairs.flatMap((p) => {
        const e = tokenizer.encode(p.query, { pair: p.item, maxLength: 64 });
        return Array.from(tinyCrossEncoderReference(weights, e.ids, e.typeIds));
      });
      expect(Array.from(scores.logits)).toBeDeepCloseTo(expected, { abs: 1e-5, rel: 1e-4 });
      expect(backbone.hidden).toBe('pooled_output');
    } finally {
      await backbone.dispose();
    }
  });

  it("scores the data's pairs as the evaluation did", async () => {
    await expectScoresOfEvaluation(tiny, 'columns');
  });

  it('keeps a single-score model on its ordinal thresholds, without feature detectors', async () => {
    const single = await writeTinyCrossEncoderBundle(join(dir, 'single'), { head: 1 });
    expect(single.manifest.logitMapping).toEqual({ kind: 'single-score' });
    expect(single.manifest.backbone.config).toBeNull();
    expect(single.manifest.decision.kind).toBe('ordinal-thresholds');
    expect(Object.keys(single.manifest.ood).sort()).toEqual(['energy', 'max_logit', 'msp']);
    await expectScoresOfEvaluation(single, 'single');
  });

  it('refuses a changed or missing file and a damaged manifest, saying what to do', async () => {
    const copy = (name: string) => {
      const to = join(dir, 'damaged', name);
      cpSync(tiny.dir, to, { recursive: true });
      return to;
    };
    const changed = copy('changed');
    writeFileSync(
      join(changed, 'tokenizer.json'),
      `${readFileSync(join(changed, 'tokenizer.json'), 'utf8')} `,
    );
    const e1 = await refusal(() => openCrossEncoderBundle(changed));
    expect(isBundleError(e1, 'CHECKSUM_MISMATCH')).toBe(true);
    expect(String(e1)).toMatch(/tokenizer\.json: sha256 [0-9a-f]{64} differs from the manifest's/);
    expect(String(e1)).toMatch(/--bundle-out <dir>/);
    const missing = copy('missing');
    rmSync(join(missing, 'config.json'));
    const e2 = await refusal(() => openCrossEncoderBundle(missing));
    expect(isBundleError(e2, 'MISSING_FILE')).toBe(true);
    expect(String(e2)).toContain(`${join(missing, 'config.json')}: the bundle lacks this file`);
    const edited = (name: string, edit: (m: Record<string, unknown>) => void) => {
      const to = copy(name);
      const m = JSON.parse(readFileSync(join(to, 'manifest.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      edit(m);
      writeFileSync(join(to, 'manifest.json'), JSON.stringify(m));
      return to;
    };
    const noHash = edited('no-hash', (m) => {
      (m['backbone'] as { model: { sha256: string } }).model.sha256 = 'abc';
    });
    const e3 = await refusal(() => openCrossEncoderBundle(noHash));
    expect(isBundleError(e3, 'INVALID_MANIFEST')).toBe(true);
    expect(String(e3)).toContain('manifest.backbone.model.sha256: must be 64 lowercase hex digits');
    // A manifest naming another file (here a path out of the folder) would have its checksum checked on a file
    // that is not the one loaded.
    const elsewhere = edited('elsewhere', (m) => {
      (m['backbone'] as { model: { file: string } }).model.file = '../changed/model.onnx';
    });
    const e4 = await refusal(() => openCrossEncoderBundle(elsewhere));
    expect(isBundleError(e4, 'INVALID_MANIFEST')).toBe(true);
    expect(String(e4)).toContain('manifest.backbone.model.file');
    const wideColumn = edited('wide-column', (m) => {
      m['logitMapping'] = { kind: 'columns', columns: [0, 1, 5] };
    });
    expect(String(await refusal(() => openCrossEncoderBundle(wideColumn)))).toContain(
      'logitMapping.columns names column 5 of 3 logits',
    );
    const badState = edited('bad-state', (m) => {
      (m['ood'] as Record<string, { source: { state: unknown } }>)['mahalanobis']!.source.state =
        {};
    });
    expect(String(await refusal(() => openCrossEncoderBundle(badState)))).toMatch(
      /manifest\.json: .*mahalanobis.*the manifest was changed after export; export the bundle again: gradeshift evaluate --cross-encoder <dir> .* --bundle-out <dir>$/,
    );
  });

  it('writes into a new, empty or earlier bundle folder only, whole or not at all', async () => {
    const { data, reference } = tiny;
    const other = join(dir, 'not-a-bundle');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'notes.txt'), 'keep me');
    const evaluate = (model: Parameters<typeof evaluateCrossEncoder>[0]['model'], out: string) =>
      evaluateCrossEncoder({ model, data, reference, resamples: 5, bundleOut: out });
    // Refused before any pair is scored.
    const e1 = await refusal(() => evaluate(tiny.model, other));
    expect(isBundleError(e1, 'NOT_A_BUNDLE')).toBe(true);
    expect(String(e1)).toContain(
      `${other}: the folder is not empty and holds no cross-encoder bundle`,
    );
    expect(readdirSync(other)).toEqual(['notes.txt']);
    // The evaluation's own --out (or a folder inside it), which its report fills first: refused before scoring.
    const inside = await refusal(() =>
      evaluateCrossEncoder({
        model: tiny.model,
        data,
        reference,
        resamples: 5,
        outDir: join(dir, 'report'),
        bundleOut: join(dir, 'report', 'bundle'),
      }),
    );
    expect(isBundleError(inside, 'NOT_A_BUNDLE')).toBe(true);
    expect(String(inside)).toMatch(
      /inside the evaluation's --out .*give --bundle-out a folder of its own/,
    );
    expect(existsSync(join(dir, 'report'))).toBe(false);
    // An earlier bundle is replaced whole.
    const again = join(dir, 'again');
    cpSync(tiny.dir, again, { recursive: true });
    writeFileSync(join(again, 'notes.txt'), 'an earlier file');
    expect((await evaluate(tiny.model, again)).bundlePath).toBe(again);
    expect(readdirSync(again).sort()).toEqual(readdirSync(tiny.dir).sort());
    expect(sha256(join(again, 'manifest.json'))).toBe(sha256(join(tiny.dir, 'manifest.json')));
    // A model file changed while the pairs were scored: no bundle, no temporary folder left.
    const moving = join(dir, 'moving');
    cpSync(tiny.model, moving, { recursive: true });
    const backbone = await loadCrossEncoder(moving);
    try {
      copyFileSync(join(tiny.model, 'tokenizer.json'), join(moving, 'tokenizer.json'));
      writeFileSync(join(moving, 'tokenizer.json'), ' ', { flag: 'a' });
      const e2 = await refusal(() => evaluate(backbone, join(dir, 'moved')));
      expect(isBundleError(e2, 'CHECKSUM_MISMATCH')).toBe(true);
      expect(String(e2)).toMatch(
        /tokenizer\.json: sha256 [0-9a-f]{64} differs from the [0-9a-f]{64} scored/,
      );
    } finally {
      await backbone.dispose();
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('.') || f === 'moved')).toEqual([]);
  });
});
