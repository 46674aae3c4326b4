import { readFileSync } from 'node:fs';

import {
  createRng,
  gemmSync,
  jsGemm,
  matrixFromRows,
  type Gemm,
  type GemmOptions,
  type Matrix,
  type MatrixLike,
} from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { isOodError } from '../errors';
import { createKnnDetector } from './create-knn-detector';
import { fitKnn } from './fit-knn';
import { l2NormalizeRows } from './l2-normalize';

interface Golden {
  train: number[][];
  queries: number[][];
  knn: { k: number; scores: number[] }[];
}
const golden = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/detectors.json', import.meta.url),
    'utf8',
  ),
) as Golden;
const train = matrixFromRows(golden.train);
const queries = matrixFromRows(golden.queries);

function randomFeatures(seed: number, n: number, d: number): Matrix {
  const rng = createRng(seed);
  return matrixFromRows(
    Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal())),
  );
}

/** A float32 kernel stand-in: the exact product rounded to Float32, as a float32 runtime returns it; logs B operands. */
function float32Gemm(): Gemm & { banks: MatrixLike[] } {
  const banks: MatrixLike[] = [];
  const native = (a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<MatrixLike> => {
    banks.push(b);
    const p = gemmSync(a, b, options);
    return Promise.resolve({ rows: p.rows, cols: p.cols, data: new Float32Array(p.data) });
  };
  return {
    name: 'fake-float32',
    dtype: 'float32',
    banks,
    gemm: (a, b, options) => jsGemm.gemm(a, b, options),
    gemmNative: native,
  };
}

describe('fitKnn vs sklearn (tests/scripts/golden_detectors.py)', () => {
  for (const { k, scores } of golden.knn) {
    it(`k = ${k}: NearestNeighbors(n_neighbors=${k}).fit(normalise(train)).kneighbors(normalise(q))[0][:, -1]`, async () => {
      const detector = await fitKnn({ features: train }, { k });
      expect(await detector.score({ features: queries })).toBeDeepCloseTo(scores, {
        abs: 1e-12,
        rel: 1e-12,
      });
    });
  }
});

describe('fitKnn properties', () => {
  it('chunking does not change the scores (one query row per block vs one block)', async () => {
    const bank = randomFeatures(1, 50, 6);
    const probe = randomFeatures(2, 23, 6);
    const whole = await (await fitKnn({ features: bank }, { k: 7 })).score({ features: probe });
    const chunked = await (
      await fitKnn({ features: bank }, { k: 7, maxChunkEntries: 1 })
    ).score({ features: probe });
    expect(chunked).toEqual(whole);
  });

  it('scores are ≥ 0, do not depend on the bank order, and a bank point is at distance 0 for k = 1', async () => {
    const bank = randomFeatures(3, 30, 4);
    const reversed = matrixFromRows(
      Array.from({ length: 30 }, (_, i) =>
        Array.from(bank.data.subarray((29 - i) * 4, (30 - i) * 4)),
      ),
    );
    const probe = randomFeatures(4, 10, 4);
    const a = await (await fitKnn({ features: bank }, { k: 5 })).score({ features: probe });
    const b = await (await fitKnn({ features: reversed }, { k: 5 })).score({ features: probe });
    expect(b).toBeDeepCloseTo(a, { abs: 1e-12 });
    for (const v of a) expect(v).toBeGreaterThanOrEqual(0);
    const self = await (await fitKnn({ features: bank }, { k: 1 })).score({ features: bank });
    expect(self).toBeDeepCloseTo(new Float64Array(30), { abs: 1e-7 });
  });

  it('an all-zero row is normalised to zeros (the 1e-10 of the official code), never NaN', async () => {
    const detector = await fitKnn(
      {
        features: matrixFromRows([
          [0, 0],
          [1, 0],
          [0, 2],
        ]),
      },
      { k: 2 },
    );
    // zero query vs bank {0, e1, e2}: distances 0, 1, 1 → the 2nd nearest is at 1.
    expect(await detector.score({ features: matrixFromRows([[0, 0]]) })).toBeDeepCloseTo([1], {
      abs: 1e-9,
    });
  });

  it('sub-samples ⌊α·n⌋ rows with a seeded draw: same seed → same bank, other seed → another', async () => {
    const bank = randomFeatures(5, 40, 3);
    const a = (await fitKnn({ features: bank }, { k: 3, sampleRatio: 0.25, seed: 11 })).toJSON();
    const b = (await fitKnn({ features: bank }, { k: 3, sampleRatio: 0.25, seed: 11 })).toJSON();
    const c = (await fitKnn({ features: bank }, { k: 3, sampleRatio: 0.25, seed: 12 })).toJSON();
    expect(a.bankSize).toBe(10);
    expect(a.bank).toHaveLength(30);
    expect(b.bank).toEqual(a.bank);
    expect(c.bank).not.toEqual(a.bank);
  });
});

describe('fitKnn precision and copies', () => {
  it('a float32 gemm gets the bank converted once (reused by every block and call) and agrees to float32 rounding', async () => {
    const bank = randomFeatures(7, 40, 6);
    const probe = randomFeatures(8, 17, 6);
    const gemm = float32Gemm();
    const detector = await fitKnn({ features: bank }, { k: 4, gemm, maxChunkEntries: 5 * 40 });
    const got = await detector.score({ features: probe });
    await detector.score({ features: probe });
    expect(gemm.banks.length).toBe(8); // 4 blocks of ≤ 5 queries per call, 2 calls
    for (const b of gemm.banks) expect(b).toBe(gemm.banks[0]);
    expect(gemm.banks[0]?.data).toBeInstanceOf(Float32Array);
    const want = await (await fitKnn({ features: bank }, { k: 4 })).score({ features: probe });
    expect(got).toBeDeepCloseTo(want, { abs: 1e-5 });
  });

  it('the state holds the normalised training rows, and a reloaded detector scores bit-identically', async () => {
    const bank = randomFeatures(9, 25, 3);
    const probe = randomFeatures(10, 6, 3);
    const detector = await fitKnn({ features: bank }, { k: 3 });
    const state = detector.toJSON();
    expect(state.bank).toEqual(Array.from(l2NormalizeRows(bank).data));
    expect(await createKnnDetector(state).score({ features: probe })).toEqual(
      await detector.score({ features: probe }),
    );
  });
});

describe('fitKnn errors', () => {
  it('k larger than the bank is an OodError INSUFFICIENT_DATA naming both', async () => {
    const error: unknown = await fitKnn({ features: randomFeatures(6, 30, 3) }).catch(
      (e: unknown) => e,
    );
    expect(isOodError(error, 'INSUFFICIENT_DATA')).toBe(true);
    expect(String(error)).toMatch(/k = 50 exceeds the KNN bank size 30/);
    await expect(
      fitKnn({ features: randomFeatures(6, 30, 3) }, { k: 5, sampleRatio: 1.5 }),
    ).rejects.toThrow(RangeError);
  });

  it('rejects NaN features and a dimension mismatch', async () => {
    const detector = await fitKnn({ features: train }, { k: 3 });
    await expect(
      detector.score({
        features: matrixFromRows([
          [0, 0, 0, 0, 0],
          [0, 0, Number.NaN, 0, 0],
        ]),
      }),
    ).rejects.toThrow('features.data[7] must be finite (got NaN)');
    await expect(
      fitKnn(
        {
          features: matrixFromRows([
            [1, 2],
            [Infinity, 0],
          ]),
        },
        { k: 1 },
      ),
    ).rejects.toThrow('features.data[2] must be finite (got Infinity)');
    const error: unknown = await detector
      .score({ features: matrixFromRows([[1, 2]]) })
      .catch((e: unknown) => e);
    expect(isOodError(error, 'SHAPE_MISMATCH')).toBe(true);
    expect(String(error)).toMatch(/5 columns.*got 2/);
  });
});
