import type { Gemm, MatrixLike } from '@gradeshift/core/math';

import { multiplyTransposedNative } from '../detector';
import { kthLargestShifted } from './kth-largest-shifted';
import { rowSquaredNorms } from './l2-normalize';

/** Options for {@link kthNeighbourDistance}. */
export interface KthNeighbourDistanceOptions {
  /** Which neighbour (1 = nearest). */
  k: number;
  /** Matrix-product kernel for the similarities; its `gemmNative` is used when present. */
  gemm: Gemm;
  /** Upper bound on the entries of one similarity block (query rows × bank rows). */
  maxChunkEntries: number;
  /** Squared norms of the bank rows (precomputed once per detector). */
  bankSquaredNorms: Float64Array;
}

/**
 * Exact Euclidean distance from every query row to its k-th nearest bank row, brute force and batched.
 * Query chunks are sized so that one similarity block Q·Bᵀ (through `gemm`, in its own precision: a float32 kernel's
 * block stays Float32) holds at most `maxChunkEntries` numbers, which bounds memory whatever the number of queries.
 * Since `‖q − b‖² = ‖q‖² − 2·(q·b − ‖b‖²/2)`, the k-th nearest bank row is the one with the k-th largest
 * `q·b − ‖b‖²/2`, selected straight from the block row by a bounded heap (no copy, no sort); only that one value is
 * turned into a distance, clamped at 0 against round-off. The actual norms absorb the 1e-10 of the normalisation.
 * Matches `sklearn.neighbors.NearestNeighbors(n_neighbors=k).fit(B).kneighbors(Q)[0][:, -1]`.
 * @param queries - m × d (normalised like the bank)
 * @param bank - n × d (pass it in the gemm's `dtype` so no block converts it again)
 * @param options - k, gemm, chunk bound, bank norms
 * @returns m distances (not squared)
 * @throws RangeError when k is not in [1, n] or the gemm returns a wrong shape
 * @see https://arxiv.org/abs/2204.06507
 */
export async function kthNeighbourDistance(
  queries: MatrixLike,
  bank: MatrixLike,
  options: KthNeighbourDistanceOptions,
): Promise<Float64Array> {
  const { k, gemm, maxChunkEntries, bankSquaredNorms } = options;
  const { rows: m, cols: d } = queries;
  const n = bank.rows;
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new RangeError(`k must be an integer in [1, ${n}] (got ${k})`);
  const out = new Float64Array(m);
  const queryNorms = rowSquaredNorms(queries);
  const halfNorms = bankSquaredNorms.map((v) => v / 2);
  const heap = new Float64Array(k);
  const chunkRows = Math.max(1, Math.floor(maxChunkEntries / Math.max(1, n)));
  for (let start = 0; start < m; start += chunkRows) {
    const rows = Math.min(chunkRows, m - start);
    const chunk = { rows, cols: d, data: queries.data.subarray(start * d, (start + rows) * d) };
    const sims = await multiplyTransposedNative(gemm, chunk, bank);
    for (let r = 0; r < rows; r++) {
      const best = kthLargestShifted({ values: sims.data, offset: r * n }, halfNorms, heap);
      out[start + r] = Math.sqrt(Math.max(0, (queryNorms[start + r] ?? 0) - 2 * best));
    }
  }
  return out;
}
