/**
 * The encoder bundle behind the scorer interface (what the API's scoring threads hold) against `gradeshift
 * score`'s step (`scoreEncoderBundlePairs`) on the tiny BERT-shaped bundle: the same figures (float64 handed over
 * as float32), the ranking as item indices best first, the manifest's sha256 as identity; a changed or missing
 * file refused as a BundleError with its code; feature vectors refused.
 */
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '@gradeshift/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isBundleError } from '../bundle/bundle-error';
import { loadEncoderBundleScorer } from './encoder-bundle-scorer';
import { scoreEncoderBundlePairs } from './score-encoder-bundle';
import { writeTinyEncoderBundle } from './tiny-encoder-bundle';

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
  dir = mkdtempSync(join(tmpdir(), 'gradeshift-encoder-scorer-'));
  bundle = (await writeTinyEncoderBundle(dir)).dir;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error a load rejects with. */
async function refusal(folder: string): Promise<unknown> {
  return loadEncoderBundleScorer(folder).then(
    async (loaded) => {
      await loaded.dispose();
      throw new Error(`${folder} loaded`);
    },
    (error: unknown) => error,
  );
}

describe('loadEncoderBundleScorer', () => {
  it("scores pairs as gradeshift score does, ranked best first, named by manifest.json's sha256", async () => {
    const loaded = await loadEncoderBundleScorer(bundle);
    try {
      expect(loaded.bundle.sha256).toBe(sha256Hex(readFileSync(join(bundle, 'manifest.json'))));
      expect(loaded.bundle.bytes).toBeGreaterThan(readFileSync(join(bundle, 'head.onnx')).length);
      const pairs = ITEMS.map((item, i) => ({ id: String(i), line: i + 2, query: QUERY, item }));
      const cli = await scoreEncoderBundlePairs(bundle, pairs);
      const scores = await loaded.scorer.scorePairs(QUERY, ITEMS);
      expect(scores.count).toBe(ITEMS.length);
      expect(scores.grades).toEqual(cli.grades);
      expect(scores.probs).toEqual(Float32Array.from(cli.probs));
      expect(scores.expected).toEqual(Float32Array.from(cli.expected));
      expect(scores.predicted).toEqual(cli.predicted);
      // rank: item indices best first; the CLI's: each pair's position.
      expect([...scores.rank].map((item) => cli.rank[item])).toEqual(ITEMS.map((_, i) => i));
      expect(Object.keys(scores.ood)).toEqual([...cli.ood.keys()]);
      for (const [name, o] of cli.ood) expect(scores.ood[name]).toEqual(o);
      // Several queries in one batch: each pair as scored alone with its query.
      const batch = await loaded.scorer.scoreBatch([
        { query: QUERY, item: ITEMS[0]! },
        { query: 'drill', item: 'cordless drill 18 v' },
      ]);
      expect(batch.expected[0]).toBe(scores.expected[0]);
      await expect(loaded.scorer.scorePairs(QUERY, ITEMS, { features: true })).rejects.toThrow(
        /an encoder bundle gives no feature vectors/,
      );
    } finally {
      await loaded.dispose();
    }
  });

  it('refuses a changed head.onnx and a missing tokenizer as BundleErrors naming the file', async () => {
    const changed = join(dir, 'changed');
    cpSync(bundle, changed, { recursive: true });
    appendFileSync(join(changed, 'head.onnx'), new Uint8Array([0]));
    const error = await refusal(changed);
    expect(isBundleError(error, 'CHECKSUM_MISMATCH')).toBe(true);
    expect((error as Error).message).toMatch(
      /head\.onnx: sha256 [0-9a-f]{64} differs from the manifest's [0-9a-f]{64}: the file changed after export; export the bundle again/,
    );

    const missing = join(dir, 'missing');
    cpSync(bundle, missing, { recursive: true });
    rmSync(join(missing, 'tokenizer.json'));
    const gone = await refusal(missing);
    expect(isBundleError(gone, 'MISSING_FILE')).toBe(true);
    expect((gone as Error).message).toMatch(
      /tokenizer\.json: the file is missing \(the bundle is incomplete\)/,
    );
  });
});
