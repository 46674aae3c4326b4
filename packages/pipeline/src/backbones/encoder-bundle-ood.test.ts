/**
 * The encoder bundle's decision rule and OOD scores, on the tiny BERT-shaped ONNX encoder (core's fixture) and the
 * committed tiny WordPiece tokenizer through onnxruntime-node: a bundle exported with the rule and detectors fitted
 * on an ID-validation stand-in scores a pairs file (`gradeshift score`) with the grades of the run's evaluation
 * (`evaluatePredictions`, as `encoder-run.ts` calls it) and its OOD values (`fitReference` + `scoreExternal`, the
 * evaluation's own detectors), and a manifest whose detector state was changed is refused with what to do.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createGradeHead, decideGrades } from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { loadTokenizerFile } from '@gradeshift/core/node';
import { tinyEncoderModel } from '@gradeshift/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/load-dataset';
import { evaluatePredictions } from '../external/evaluate-predictions';
import { scoreExternal } from '../external/external-detectors';
import { outputsOf } from '../external/external-outputs';
import { fitReference } from '../external/fit-reference';
import { scoreFile } from '../pipeline/score-file';
import type { BackboneScores } from './backbone';
import { createEncoderBackbone } from './encoder-backbone';
import { writeEncoderBundle } from './encoder-bundle';
import { fitEncoderBundleDecisions } from './encoder-bundle-ood';
import { DEFAULT_EMBEDDING_BLOCKS, encodePairs } from './encoder-features';
import { predictionFileOf } from './encoder-outputs';
import { trainingTermStatistics } from './encoder-splits';
import { openEncoder, type OpenEncoder } from './open-encoder';
import { scoreEncoderBundlePairs } from './score-encoder-bundle';
import { TINY_REFERENCE_PRODUCTS } from './tiny-encoder-bundle';

const TOKENIZER = new URL(
  '../../../../tests/fixtures/tokenizer/tiny-wordpiece.json',
  import.meta.url,
);
/** Per query: an exact item (grade 2), a related one (1), an unrelated one (0). */
const PRODUCTS = TINY_REFERENCE_PRODUCTS;
/** Evaluated pairs: ID-like ones and far ones (text the reference never saw). */
const EVALUATED = [
  ['cordless drill', 'drill 18 v battery', 'drill bit', 'tile grout'],
  ['quantum flux', 'zyx 9000 kvq', 'ææ øø ßß', '€€€ 12345 ///'],
  ['lamp', 'floor lamp brass', 'lamp shade', 'copper elbow'],
] as const;

let dir: string;
let encoder: OpenEncoder;
let reference: Dataset;
let evaluated: Dataset;
let referenceScores: BackboneScores;
let evaluatedScores: BackboneScores;
let bundle: string;

function csvOf(name: string, rows: readonly (readonly string[])[]): string {
  const path = join(dir, name);
  const lines = rows.flatMap(([q, ...items]) => items.map((item, i) => `${q},${item},${2 - i}`));
  writeFileSync(path, `query,title,label\n${lines.join('\n')}\n`);
  return path;
}
const load = (path: string) =>
  loadDataset(path, {
    columns: { query: 'query', item: 'title', label: 'label' },
    grades: { kind: 'values', grades: [['0'], ['1'], ['2']] },
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-encoder-bundle-ood-'));
  const folder = join(dir, 'tiny');
  mkdirSync(folder);
  const tokenizer = await loadTokenizerFile(TOKENIZER.pathname);
  writeFileSync(
    join(folder, 'model.onnx'),
    tinyEncoderModel({ vocab: tokenizer.vocabSize, seed: 3 }).bytes,
  );
  copyFileSync(TOKENIZER, join(folder, 'tokenizer.json'));
  encoder = await openEncoder(folder, { cacheDir: null });
  reference = await load(csvOf('reference.csv', PRODUCTS));
  evaluated = await load(csvOf('evaluated.csv', EVALUATED));
  const lexical = trainingTermStatistics(reference.pairs);
  const blocks = DEFAULT_EMBEDDING_BLOCKS;
  const cols = (await encodePairs(encoder, reference.pairs, { lexical, blocks })).source.cols;
  const head = createGradeHead(
    { inputs: cols, hidden: 4, grades: 3 },
    { mean: new Float64Array(cols), scale: new Float64Array(cols).fill(1) },
    createRng(2),
  );
  const backbone = createEncoderBackbone(encoder, { head, lexical, blocks });
  referenceScores = await backbone.score(reference.pairs);
  evaluatedScores = await backbone.score(evaluated.pairs);
  bundle = join(dir, 'bundle');
  writeEncoderBundle({
    encoder,
    head,
    lexical,
    blocks,
    dim: (referenceScores.spaces['content']?.dim ?? 0) / 2,
    grades: ['irrelevant', 'weak', 'strong'],
    decisions: await fitEncoderBundleDecisions(
      { pairs: reference.pairs, scores: referenceScores },
      reference,
    ),
    outDir: bundle,
  });
});
afterAll(async () => {
  await encoder.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The run's evaluation of the evaluated pairs in one space: its detectors' raw scores and its report rows. */
async function runEvaluation(space: 'relevance' | 'content') {
  const files = {
    reference: predictionFileOf(
      `id_validation.${space}`,
      { pairs: reference.pairs, scores: referenceScores, space: referenceScores.spaces[space]! },
      reference,
    ),
    predictions: predictionFileOf(
      `evaluated.${space}`,
      { pairs: evaluated.pairs, scores: evaluatedScores, space: evaluatedScores.spaces[space]! },
      evaluated,
    ),
  };
  const outDir = join(dir, `evaluated.${space}`);
  await evaluatePredictions({ ...files, outDir, resamples: 10 });
  const rows = readFileSync(join(outDir, 'predictions.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(
      (l) =>
        JSON.parse(l) as { predicted: number; argmax: number; ood_flag: Record<string, boolean> },
    );
  const fitted = await fitReference(files.reference, { path: 'reference', seed: 0 });
  const outputs = outputsOf(files.predictions);
  const raw = await scoreExternal(fitted.fitted, outputs, {});
  const decided = decideGrades(outputs.probs, fitted.decision.rule, {
    expected: outputs.expected,
  });
  return { rows, raw, decided, rule: fitted.decision.rule };
}

describe('the encoder bundle with its decision rule and OOD detectors', () => {
  it('carries the run’s rule and detector states in the word-vector manifest shapes', () => {
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as {
      decision: { kind: string };
      ood: Record<
        string,
        { space: string; source: { kind: string; reads: string; state: { kind: string } } }
      >;
    };
    expect(manifest.decision.kind).toBe('ordinal-thresholds');
    expect(
      Object.entries(manifest.ood).map(([name, o]) => [
        name,
        o.space,
        o.source.reads,
        o.source.state.kind,
      ]),
    ).toEqual([
      ['mahalanobis', 'relevance', 'features', 'mahalanobis'],
      ['knn', 'relevance', 'features', 'knn'],
      ['energy', 'relevance', 'logits', 'energy'],
      ['max_logit', 'relevance', 'logits', 'max-logit'],
      ['msp', 'relevance', 'logits', 'msp'],
      ['content_mahalanobis', 'content', 'content', 'mahalanobis'],
      ['content_knn', 'content', 'content', 'knn'],
    ]);
  });

  it('scores with the grades of the run’s predictions and the OOD values of its detectors', async () => {
    const content = await runEvaluation('content');
    const relevance = await runEvaluation('relevance');
    expect(relevance.rule).toEqual(content.rule);
    const out = join(dir, 'scored.jsonl');
    await scoreFile({
      modelDir: bundle,
      path: join(dir, 'evaluated.csv'),
      load: { columns: { query: 'query', item: 'title' } },
      out,
    });
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { predicted: number; ood: Record<string, { flag: boolean }> });
    expect(rows.map((r) => r.predicted)).toEqual(content.rows.map((r) => r.predicted));
    expect(rows.map((r) => r.predicted)).toEqual(Array.from(content.decided));
    // The fitted rule moves some grades off the arg-max, so the rule is really applied.
    expect(content.rows.filter((r) => r.predicted !== r.argmax).length).toBeGreaterThan(0);
    const scored = await scoreEncoderBundlePairs(bundle, evaluated.pairs);
    // The content rows are the encoder's own embeddings, the same numbers in the run and the bundle.
    for (const name of ['mahalanobis', 'knn']) {
      const got = Array.from(scored.ood.get(`content_${name}`)!.score);
      const want = Array.from(content.raw.get(name)!.score);
      expect(got).toBeDeepCloseTo(want, { abs: 1e-6, rel: 1e-6 });
      expect(rows.map((r) => r.ood[`content_${name}`]!.flag)).toEqual(
        content.rows.map((r) => r.ood_flag[name]),
      );
    }
    // The relevance rows and logits come from head.onnx (float32), the run's from the head in TypeScript.
    for (const name of ['mahalanobis', 'knn', 'energy', 'max_logit', 'msp']) {
      const got = Array.from(scored.ood.get(name)!.score);
      const want = Array.from(relevance.raw.get(name)!.score);
      expect(got).toBeDeepCloseTo(want, { abs: 1e-6, rel: 1e-6 });
      expect(rows.map((r) => r.ood[name]!.flag)).toEqual(
        relevance.rows.map((r) => r.ood_flag[name]),
      );
    }
    // The far pairs are the second query's: the content KNN flags them.
    expect(rows.slice(3, 6).map((r) => r.ood['content_knn']!.flag)).toEqual([true, true, true]);
  });

  it('refuses a manifest whose detector state was changed, saying what to do', async () => {
    const changed = join(dir, 'changed');
    mkdirSync(changed);
    for (const file of ['model.onnx', 'tokenizer.json', 'head.onnx', 'term-statistics.json'])
      copyFileSync(join(bundle, file), join(changed, file));
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as {
      ood: Record<string, { source: { state: { bank: number[] } } }>;
    };
    manifest.ood['content_knn']!.source.state.bank.pop();
    writeFileSync(join(changed, 'manifest.json'), JSON.stringify(manifest));
    await expect(scoreEncoderBundlePairs(changed, evaluated.pairs)).rejects.toThrow(
      /manifest\.json: ood\.content_knn\.source\.state does not load \(.*bank.*\): the manifest was changed after export; export the bundle again \(gradeshift encoder\)/,
    );
  });
});
