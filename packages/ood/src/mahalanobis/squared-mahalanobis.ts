import {
  createMatrix,
  gemmSync,
  type Gemm,
  type Matrix,
  type MatrixLike,
  type NumericArray,
} from '@gradeshift/core/math';

import { multiplyTransposedNative } from '../detector';
import { inverseRowNorms, prepareFeatureRows } from '../knn/l2-normalize';
import type { WhitenedGaussians } from './whitened-gaussians';

/** Rows per block default: 2¹⁸ entries, a 1 MiB Float32 (2 MiB Float64) block that stays in cache. */
export const MAHALANOBIS_BLOCK_ENTRIES = 262_144;

/** Options for {@link squaredMahalanobis}. */
export interface SquaredMahalanobisOptions {
  /** Matrix-product kernel for the whitening; its `gemmNative` is used when present. */
  gemm: Gemm;
  /** L2-normalise each row first (Mahalanobis++). */
  normalize: boolean;
  /** Input entries per block (rows = ⌊blockEntries / d⌋, at least 1). @default MAHALANOBIS_BLOCK_ENTRIES */
  blockEntries?: number;
}

/** The right operand of the one product per block, and where each set's columns start in its result. */
interface StackedOperand {
  /** [W₁; P₁; W₂; P₂; …]: per set, W (d × d) then P (K × d) with row c = (Wᵀ·W·μ_c)ᵀ = (Σ⁻¹μ_c)ᵀ. */
  b: MatrixLike;
  /** Per set, the first column of its block in H·bᵀ. */
  offsets: number[];
  /** Per set, ‖W·μ_c‖² for each class c. */
  meanNorms: Float64Array[];
}

/** Builds the {@link StackedOperand} once per call (a few d × d numbers), in the kernel's type. */
function stackOperand(
  sets: readonly WhitenedGaussians[],
  d: number,
  float32: boolean,
): StackedOperand {
  const rows = sets.reduce((total, g) => total + d + g.whitenedMeans.rows, 0);
  const data = float32 ? new Float32Array(rows * d) : new Float64Array(rows * d);
  const offsets: number[] = [];
  const meanNorms: Float64Array[] = [];
  let at = 0;
  for (const g of sets) {
    const k = g.whitenedMeans.rows;
    offsets.push(at);
    data.set(g.whitening.data, at * d);
    // Row c of (W·μ)·W is (Wᵀ·W·μ_c)ᵀ, so h·(that row) = (W·h)·(W·μ_c): the cross term comes out of the same product.
    data.set(gemmSync(g.whitenedMeans, g.whitening).data, (at + d) * d);
    const norms = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (g.whitenedMeans.data[c * d + j] ?? 0) ** 2;
      norms[c] = s;
    }
    meanNorms.push(norms);
    at += d + k;
  }
  return { b: { rows, cols: d, data }, offsets, meanNorms };
}

/**
 * Squared Mahalanobis distances `(h − μ_c)ᵀ Σ⁻¹ (h − μ_c) = ‖W·h − W·μ_c‖²` of every row to every Gaussian of
 * each set (one shared pass for the class and background sets of the relative detector).
 *
 * The input is walked in row blocks that stay in cache. One read-only pass per block checks for NaN/Infinity and
 * yields the normalisation factors 1/ν = 1/(‖h‖ + 1e-10); whitening is linear, so the raw rows (a view when they are
 * already in the gemm's working type) are multiplied and z·(1/ν) is the whitened normalised row, with no normalised
 * copy (a block holding a norm beyond 1e±15 is normalised explicitly first, so a float32 product cannot overflow).
 * One product by the stacked operand of every set yields z = W·h and the cross terms z·(W·μ_c) together; the distance
 * is then `‖z‖² − 2·z·(W·μ_c) + ‖W·μ_c‖²`, so the JS side sums d squares per row and set instead of K·d squared
 * differences (4× less work at K = 3), and no n × d intermediate is ever allocated. The expanded form can round below 0 when h is at a mean, so distances are
 * clamped at 0. Its absolute error is about ε·(‖z‖² + ‖W·μ_c‖²): ~1e-16 of that in Float64, ~1e-7 with a float32
 * gemm (whose result carries float32 rounding anyway); the sums are accumulated in Float64.
 * @param features - n × d raw features (shape checked; finiteness is checked here)
 * @param sets - the fitted Gaussians (each with its own whitening)
 * @param options - gemm, normalisation, block size
 * @returns one n × K matrix of squared distances per set
 * @throws RangeError on NaN/Infinity in `features.data` (the message of `assertFinite`)
 * @see https://arxiv.org/abs/1807.03888 (Lee et al. 2018, Eq. 2)
 */
export async function squaredMahalanobis(
  features: MatrixLike,
  sets: readonly WhitenedGaussians[],
  options: SquaredMahalanobisOptions,
): Promise<Matrix[]> {
  const { gemm, normalize, blockEntries = MAHALANOBIS_BLOCK_ENTRIES } = options;
  const { rows: n, cols: d } = features;
  const float32 = gemm.dtype === 'float32';
  // In the kernel's type, so it converts nothing per block.
  const operand = stackOperand(sets, d, float32);
  const outs = sets.map((g) => createMatrix(n, g.whitenedMeans.rows));
  const blockRows = Math.max(1, Math.min(n, Math.floor(blockEntries / Math.max(1, d))));
  const buffer = float32 ? new Float32Array(blockRows * d) : new Float64Array(blockRows * d);
  // Rows already in the kernel's type are multiplied in place (a subarray view), anything else is converted once.
  const sameType = float32
    ? features.data instanceof Float32Array
    : features.data instanceof Float64Array;
  const scales = new Float64Array(blockRows);
  for (let start = 0; start < n; start += blockRows) {
    const end = Math.min(n, start + blockRows);
    const rows = end - start;
    const raw = features.data.subarray(start * d, end * d);
    // One read-only pass checks every entry and, when normalising, yields 1/(‖h‖ + 1e-10) per row: whitening is
    // linear, so the raw rows are multiplied and the factor is applied to z afterwards (no normalised copy).
    const inRange = inverseRowNorms(features, { out: scales, start, end, name: 'features.data' });
    let data: NumericArray;
    let rowScales: Float64Array | undefined = normalize ? scales : undefined;
    if (normalize && !inRange) {
      // Norms beyond 1e±15 could overflow a float32 product of the raw rows: normalise this block explicitly.
      data = buffer.subarray(0, rows * d);
      prepareFeatureRows(features, { out: data, start, end, normalize, name: 'features.data' });
      rowScales = undefined;
    } else if (sameType) data = raw;
    else {
      data = buffer.subarray(0, rows * d);
      data.set(raw);
    }
    const z = await multiplyTransposedNative(gemm, { rows, cols: d, data }, operand.b);
    for (let s = 0; s < sets.length; s++) {
      const out = outs[s];
      const meanNorms = operand.meanNorms[s];
      if (out === undefined || meanNorms === undefined) continue;
      blockDistances(
        z,
        { d, column: operand.offsets[s] ?? 0, meanNorms, rowScales },
        { out: out.data, offset: start * meanNorms.length },
      );
    }
  }
  return outs;
}

/** Distances of every row of the block from its columns `column…column + d + K` of Z (z, then the K cross terms). */
function blockDistances(
  z: MatrixLike,
  set: { d: number; column: number; meanNorms: Float64Array; rowScales: Float64Array | undefined },
  into: { out: Float64Array; offset: number },
): void {
  const { rows, cols, data } = z;
  const { d, column, meanNorms, rowScales } = set;
  const k = meanNorms.length;
  const { out, offset } = into;
  for (let i = 0; i < rows; i++) {
    const zi = i * cols + column;
    let zz = 0;
    for (let j = 0; j < d; j++) {
      const v = data[zi + j] ?? 0;
      zz += v * v;
    }
    // z and the cross terms of a raw row, scaled to those of the normalised row h/ν (factor 1 otherwise).
    const scale = rowScales === undefined ? 1 : (rowScales[i] ?? 1);
    zz *= scale * scale;
    for (let c = 0; c < k; c++) {
      // Clamp round-off below 0; NaN (from an overflow) still passes through to the NaN guard of `score`.
      const dist = zz - 2 * scale * (data[zi + d + c] ?? 0) + (meanNorms[c] ?? 0);
      out[offset + i * k + c] = dist < 0 ? 0 : dist;
    }
  }
}
