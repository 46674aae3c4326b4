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

import { l2NormalizeRows } from '../knn/l2-normalize';
import { fitMahalanobis } from './fit-mahalanobis';
import { squaredMahalanobis } from './squared-mahalanobis';
import { createWhitenedGaussians, type WhitenedGaussians } from './whitened-gaussians';

function randomMatrix(seed: number, rows: number, cols: number): Matrix {
  const rng = createRng(seed);
  return matrixFromRows(
    Array.from({ length: rows }, (_, i) =>
      Array.from({ length: cols }, () => rng.normal() + (i % 3)),
    ),
  );
}

/** A float32 kernel stand-in: the exact product rounded to Float32, as a float32 runtime returns it; logs its operands. */
function float32Gemm(): Gemm & { operands: MatrixLike[] } {
  const operands: MatrixLike[] = [];
  const native = (a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<MatrixLike> => {
    operands.push(a, b);
    const p = gemmSync(a, b, options);
    return Promise.resolve({ rows: p.rows, cols: p.cols, data: new Float32Array(p.data) });
  };
  return {
    name: 'fake-float32',
    dtype: 'float32',
    operands,
    gemm: (a, b, options) => jsGemm.gemm(a, b, options),
    gemmNative: native,
  };
}

const d = 6;
const train = randomMatrix(1, 60, d);
const labels = Array.from({ length: 60 }, (_, i) => i % 3);
const probe = randomMatrix(2, 23, d);

async function fitted(normalize: boolean): Promise<WhitenedGaussians> {
  const state = (await fitMahalanobis({ features: train, labels }, { normalize })).toJSON();
  return createWhitenedGaussians(state, { dim: d, count: 3 });
}

/** ‖W·(h − μ_c)‖² by plain loops, the definition the blocked kernel must reproduce. */
function naive(h: MatrixLike, g: WhitenedGaussians): number[] {
  const out: number[] = [];
  for (let i = 0; i < h.rows; i++) {
    for (let c = 0; c < g.means.rows; c++) {
      let s = 0;
      for (let a = 0; a < d; a++) {
        let z = 0;
        for (let b = 0; b < d; b++)
          z +=
            (g.whitening.data[a * d + b] ?? 0) *
            ((h.data[i * d + b] ?? 0) - (g.means.data[c * d + b] ?? 0));
        s += z * z;
      }
      out.push(s);
    }
  }
  return out;
}

describe('squaredMahalanobis (blocked)', () => {
  for (const normalize of [false, true]) {
    it(`normalize=${String(normalize)}: equals ‖W(h − μ_c)‖² and does not depend on the block size`, async () => {
      const g = await fitted(normalize);
      const [whole] = await squaredMahalanobis(probe, [g], { gemm: jsGemm, normalize });
      expect(whole?.data).toBeDeepCloseTo(naive(normalize ? l2NormalizeRows(probe) : probe, g), {
        abs: 1e-10,
        rel: 1e-10,
      });
      for (const blockEntries of [1, 5 * d, 7 * d + 3]) {
        const [blocked] = await squaredMahalanobis(probe, [g], {
          gemm: jsGemm,
          normalize,
          blockEntries,
        });
        expect(blocked).toEqual(whole);
      }
    });
  }

  it('several sets share one pass and give what each gives alone; a gemm without gemmNative falls back to gemm', async () => {
    const a = await fitted(true);
    // A one-class fit stands in for the background Gaussian of the relative detector.
    const b = createWhitenedGaussians(
      (await fitMahalanobis({ features: probe, labels: new Array<number>(23).fill(0) })).toJSON(),
      { dim: d, count: 1 },
    );
    const options = { gemm: jsGemm, normalize: true, blockEntries: 4 * d };
    const [both0, both1] = await squaredMahalanobis(probe, [a, b], options);
    expect(both0).toEqual((await squaredMahalanobis(probe, [a], options))[0]);
    expect(both1).toEqual((await squaredMahalanobis(probe, [b], options))[0]);
    const plain: Gemm = { name: 'plain', gemm: (x, y, o) => jsGemm.gemm(x, y, o) };
    expect((await squaredMahalanobis(probe, [a], { ...options, gemm: plain }))[0]).toEqual(both0);
  });

  it('with a float32 kernel, blocks and W are handed over in Float32 and distances agree to float32 rounding', async () => {
    const g = await fitted(true);
    const gemm = float32Gemm();
    const [got] = await squaredMahalanobis(probe, [g], {
      gemm,
      normalize: true,
      blockEntries: 8 * d,
    });
    const [want] = await squaredMahalanobis(probe, [g], { gemm: jsGemm, normalize: true });
    expect(gemm.operands.length).toBe(6); // 3 blocks of 8, 8 and 7 rows, each with the stacked [W; Σ⁻¹μ_c]
    for (const m of gemm.operands) expect(m.data).toBeInstanceOf(Float32Array);
    expect(got?.data).toBeDeepCloseTo(want?.data ?? [], { abs: 1e-4, rel: 1e-5 });
    for (const v of got?.data ?? []) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('Float32 rows are multiplied in place by a float32 kernel; rows with extreme norms are normalised explicitly', async () => {
    const g = await fitted(true);
    const [want] = await squaredMahalanobis(probe, [g], { gemm: jsGemm, normalize: true });
    const gemm = float32Gemm();
    const input = { rows: probe.rows, cols: d, data: new Float32Array(probe.data) };
    await squaredMahalanobis(input, [g], { gemm, normalize: true });
    expect(gemm.operands[0]?.data.buffer).toBe(input.data.buffer); // a view, no copy
    // Scaled by 1e20, every norm is beyond 1e15: the block is normalised first, and normalised rows give the same distances.
    const huge = { rows: probe.rows, cols: d, data: probe.data.map((v) => v * 1e20) };
    const big = float32Gemm();
    const [got] = await squaredMahalanobis(huge, [g], { gemm: big, normalize: true });
    for (const v of big.operands[0]?.data ?? []) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    expect(got?.data).toBeDeepCloseTo(want?.data ?? [], { abs: 1e-4, rel: 1e-5 });
    const [exact] = await squaredMahalanobis(huge, [g], { gemm: jsGemm, normalize: true });
    expect(exact?.data).toBeDeepCloseTo(want?.data ?? [], { abs: 1e-9, rel: 1e-9 });
  });

  it('rejects NaN/Infinity in any block with the flat index, as assertFinite', async () => {
    const g = await fitted(false);
    const bad = randomMatrix(3, 10, d);
    bad.data[8 * d + 2] = Number.NaN;
    for (const normalize of [false, true]) {
      await expect(
        squaredMahalanobis(bad, [g], { gemm: jsGemm, normalize, blockEntries: 3 * d }),
      ).rejects.toThrow(`features.data[${8 * d + 2}] must be finite (got NaN)`);
    }
  });
});
