/**
 * Encoder and cross-encoder bundles behind the scorer interface (what the API's scoring threads hold) against
 * `gradeshift score`'s step for each (`scoreEncoderBundlePairs`, `scoreCrossEncoderBundlePairs`) on the tiny
 * BERT-shaped bundles: the same figures (float64 handed over as float32), the ranking as item indices best first,
 * the manifest's sha256 as identity, the kind told by the manifest's format; a changed or missing file refused as
 * a BundleError with its code; feature vectors refused.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '@gradeshift/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBundleError } from '../bundle/bundle-error';
import type { UnlabeledPair } from '../data/dataset';
import type { ScoredPairs } from '../pipeline/score-bundle-pairs';
import { loadCrossEncoderBundleScorer } from './cross-encoder-bundle-scorer';
import { loadEncoderBundleScorer } from './encoder-bundle-scorer';
import type { LoadedModelBundleScorer } from './model-bundle-scorer';
import { scoreCrossEncoderBundlePairs } from './score-cross-encoder-bundle';
import { scoreEncoderBundlePairs } from './score-encoder-bundle';
import { writeTinyCrossEncoderBundle } from './tiny-cross-encoder-bundle';
import { writeTinyEncoderBundle } from './tiny-encoder-bundle';
import { loadTransformerBundleScorer, transformerBundleKind } from './transformer-bundle-scorer';

const QUERY = 'garden hose';
const ITEMS = [
  'garden hose 50ft',
  'hose nozzle',
  'zyx 9000 kvq',
  'hose nozzle',
  '',
  'porcelain tile',
];

let dir: string;
const bundles = { encoder: '', 'cross-encoder': '' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-model-bundle-scorer-'));
  bundles.encoder = (await writeTinyEncoderBundle(join(dir, 'encoder'))).dir;
  bundles['cross-encoder'] = (await writeTinyCrossEncoderBundle(join(dir, 'cross-encoder'))).dir;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a load rejects with. */
async function refusal(
  load: (folder: string) => Promise<{ dispose(): Promise<void> }>,
  folder: string,
): Promise<unknown> {
  return load(folder).then(
    async (loaded) => {
      await loaded.dispose();
      throw new Error(`${folder} loaded`);
    },
    (error: unknown) => error,
  );
}

describe.each([
  {
    kind: 'encoder' as const,
    what: 'an encoder bundle',
    load: (folder: string): Promise<LoadedModelBundleScorer<unknown>> =>
      loadEncoderBundleScorer(folder),
    cli: (folder: string, pairs: readonly UnlabeledPair[]): Promise<ScoredPairs> =>
      scoreEncoderBundlePairs(folder, pairs),
    changed: 'head.onnx',
  },
  {
    kind: 'cross-encoder' as const,
    what: 'a cross-encoder bundle',
    load: (folder: string): Promise<LoadedModelBundleScorer<unknown>> =>
      loadCrossEncoderBundleScorer(folder),
    cli: (folder: string, pairs: readonly UnlabeledPair[]): Promise<ScoredPairs> =>
      scoreCrossEncoderBundlePairs(folder, pairs),
    changed: 'model.onnx',
  },
])('$what as a scorer', ({ kind, what, load, cli, changed }) => {
  it("scores pairs as gradeshift score does, ranked best first, named by manifest.json's sha256", async () => {
    const bundle = bundles[kind];
    const loaded = await load(bundle);
    try {
      expect(loaded.bundle.sha256).toBe(sha256Hex(readFileSync(join(bundle, 'manifest.json'))));
      expect(loaded.bundle.bytes).toBeGreaterThan(readFileSync(join(bundle, 'model.onnx')).length);
      const pairs = ITEMS.map((item, i) => ({ id: String(i), line: i + 2, query: QUERY, item }));
      const expected = await cli(bundle, pairs);
      const scores = await loaded.scorer.scorePairs(QUERY, ITEMS);
      expect(scores.count).toBe(ITEMS.length);
      expect(scores.grades).toEqual(expected.grades);
      expect(scores.probs).toEqual(Float32Array.from(expected.probs));
      expect(scores.expected).toEqual(Float32Array.from(expected.expected));
      expect(new Set(scores.expected).size).toBeGreaterThan(2);
      expect(scores.predicted).toEqual(expected.predicted);
      // rank: item indices best first; the CLI's: each pair's position.
      expect([...scores.rank].map((item) => expected.rank[item])).toEqual(ITEMS.map((_, i) => i));
      expect(Object.keys(scores.ood)).toEqual([...expected.ood.keys()]);
      for (const [name, o] of expected.ood) expect(scores.ood[name]).toEqual(o);
      // Several queries in one batch: each pair as scored alone with its query.
      const batch = await loaded.scorer.scoreBatch([
        { query: QUERY, item: ITEMS[0]! },
        { query: 'drill', item: 'cordless drill 18 v' },
      ]);
      expect(batch.expected[0]).toBe(scores.expected[0]);
      await expect(loaded.scorer.scorePairs(QUERY, ITEMS, { features: true })).rejects.toThrow(
        `${what} gives no feature vectors`,
      );
    } finally {
      await loaded.dispose();
    }
  });

  it(`refuses a changed ${changed} and a missing tokenizer as BundleErrors naming the file`, async () => {
    const folder = join(dir, `${kind}-changed`);
    cpSync(bundles[kind], folder, { recursive: true });
    appendFileSync(join(folder, changed), new Uint8Array([0]));
    const error = await refusal(load, folder);
    expect(isBundleError(error, 'CHECKSUM_MISMATCH')).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(
        `${changed.replace('.', '\\.')}: sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}.*export the bundle again`,
      ),
    );

    const missing = join(dir, `${kind}-missing`);
    cpSync(bundles[kind], missing, { recursive: true });
    rmSync(join(missing, 'tokenizer.json'));
    const gone = await refusal(load, missing);
    expect(isBundleError(gone, 'MISSING_FILE')).toBe(true);
    expect((gone as Error).message).toMatch(/tokenizer\.json: the (file is missing|bundle lacks)/);
  });
});

describe('loadTransformerBundleScorer', () => {
  it("tells the kinds apart by the manifest's format and loads each as its kind", async () => {
    expect(transformerBundleKind(bundles['cross-encoder'])).toBe('cross-encoder');
    expect(transformerBundleKind(bundles.encoder)).toBe('encoder');
    expect(transformerBundleKind(dir)).toBeNull();
    for (const [folder, format] of [
      [bundles['cross-encoder'], 'gradeshift-cross-encoder-bundle'],
      [bundles.encoder, 'gradeshift-encoder-bundle'],
    ] as const) {
      const loaded = await loadTransformerBundleScorer(folder);
      expect(loaded.scorer.manifest.format).toBe(format);
      await loaded.dispose();
    }
  });
});
