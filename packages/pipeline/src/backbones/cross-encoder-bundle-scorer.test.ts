/**
 * The cross-encoder bundle behind the scorer interface (what the API's scoring threads hold) against `gradeshift
 * score`'s step (`scoreCrossEncoderBundlePairs`) on the tiny cross-encoder's bundle: the same figures (float64
 * handed over as float32), the ranking as item indices best first, the manifest's sha256 as identity, the kind
 * told by the manifest's format; a changed model.onnx refused as a BundleError with its code; feature vectors
 * refused.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '@gradeshift/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBundleError } from '../bundle/bundle-error';
import { loadCrossEncoderBundleScorer } from './cross-encoder-bundle-scorer';
import { scoreCrossEncoderBundlePairs } from './score-cross-encoder-bundle';
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
let bundle: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-cross-encoder-scorer-'));
  bundle = (await writeTinyCrossEncoderBundle(join(dir, 'tiny'))).dir;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCrossEncoderBundleScorer', () => {
  it("scores pairs as gradeshift score does, ranked best first, named by manifest.json's sha256", async () => {
    const loaded = await loadCrossEncoderBundleScorer(bundle);
    try {
      expect(loaded.bundle.sha256).toBe(sha256Hex(readFileSync(join(bundle, 'manifest.json'))));
      expect(loaded.bundle.bytes).toBeGreaterThan(readFileSync(join(bundle, 'model.onnx')).length);
      const pairs = ITEMS.map((item, i) => ({ id: String(i), line: i + 2, query: QUERY, item }));
      const cli = await scoreCrossEncoderBundlePairs(bundle, pairs);
      const scores = await loaded.scorer.scorePairs(QUERY, ITEMS);
      expect(scores.count).toBe(ITEMS.length);
      expect(scores.grades).toEqual(cli.grades);
      expect(scores.probs).toEqual(Float32Array.from(cli.probs));
      expect(scores.expected).toEqual(Float32Array.from(cli.expected));
      expect(new Set(scores.expected).size).toBeGreaterThan(2);
      expect(scores.predicted).toEqual(cli.predicted);
      // rank: item indices best first; the CLI's: each pair's position.
      expect([...scores.rank].map((item) => cli.rank[item])).toEqual(ITEMS.map((_, i) => i));
      expect(Object.keys(scores.ood)).toEqual([...cli.ood.keys()]);
      for (const [name, o] of cli.ood) expect(scores.ood[name]).toEqual(o);
      const batch = await loaded.scorer.scoreBatch([
        { query: QUERY, item: ITEMS[0]! },
        { query: 'drill', item: 'cordless drill 18 v' },
      ]);
      expect(batch.expected[0]).toBe(scores.expected[0]);
      await expect(loaded.scorer.scorePairs(QUERY, ITEMS, { features: true })).rejects.toThrow(
        /a cross-encoder bundle gives no feature vectors/,
      );
    } finally {
      await loaded.dispose();
    }
  });

  it('refuses a changed model.onnx as a BundleError naming the file', async () => {
    const changed = join(dir, 'changed');
    cpSync(bundle, changed, { recursive: true });
    appendFileSync(join(changed, 'model.onnx'), new Uint8Array([0]));
    const error = await loadCrossEncoderBundleScorer(changed).then(
      async (loaded) => {
        await loaded.dispose();
        throw new Error('the changed bundle loaded');
      },
      (e: unknown) => e,
    );
    expect(isBundleError(error, 'CHECKSUM_MISMATCH')).toBe(true);
    expect((error as Error).message).toMatch(/model\.onnx: sha256 [0-9a-f]{64} differs/);
  });
});

describe('loadTransformerBundleScorer', () => {
  it("tells the kinds apart by the manifest's format and loads each as its kind", async () => {
    const encoder = (await writeTinyEncoderBundle(join(dir, 'encoder'))).dir;
    expect(transformerBundleKind(bundle)).toBe('cross-encoder');
    expect(transformerBundleKind(encoder)).toBe('encoder');
    expect(transformerBundleKind(dir)).toBeNull();
    for (const [folder, format] of [
      [bundle, 'gradeshift-cross-encoder-bundle'],
      [encoder, 'gradeshift-encoder-bundle'],
    ] as const) {
      const loaded = await loadTransformerBundleScorer(folder);
      expect(loaded.scorer.manifest.format).toBe(format);
      await loaded.dispose();
    }
  });
});
