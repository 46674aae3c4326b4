import type { Gemm, MatrixLike } from '@gradeshift/core/math';

import { kthSmallestInPlace } from './kth-smallest';
import { rowSquaredNorms } from './l2-normalize';

/** Options for {@link kthNeighbourDistance}. */
export interface KthNeighbourDistanceOptions {
  /** Which neighbour (1 = nearest). */
  k: number;
  /** Matrix-product kernel for the similarities. */
  gemm: Gemm;
  /** Upper bound on the entries of one similarity block (query rows × bank rows). */
  maxChunkEntries: number;
  /** Squared norms of the bank rows (precomputed once per detector). */
  bankSquaredNorms: Float64Array;
}

/**
 * Exact Euclidean distance from every query row to its k-th nearest bank row, brute force and batched.
 * Query chunks are sized so that one similarity block Q·Bᵀ (through `gemm`) holds at most `maxChunkEntries`
 * numbers, which bounds memory whatever the number of queries. Distances come from
 * `‖q − b‖² = ‖q‖² + ‖b‖² − 2·q·b` (= 2 − 2·q·b for unit rows; the actual norms absorb the 1e-10 of the
 * normalisation), clamped at 0 against round-off, and the k-th smallest is found by quickselect, not a sort.
 * Matches `sklearn.neighbors.NearestNeighbors(n_neighbors=k).fit(B).kneighbors(Q)[0][:, -1]`.
 * @param queries - m × d (normalised like the bank)
 * @param bank - n × d
 * @param options - k, gemm, chunk bound, bank norms
 * @returns m distances (not squared)
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
  const out = new Float64Array(m);
  const queryNorms = rowSquaredNorms(queries);
  const chunkRows = Math.max(1, Math.floor(maxChunkEntries / Math.max(1, n)));
  const scratch = new Float64Array(n);
  for (let start = 0; start < m; start += chunkRows) {
    const rows = Math.min(chunkRows, m - start);
    const chunk = { rows, cols: d, data: queries.data.subarray(start * d, (start + rows) * d) };
    const sims = await gemm.gemm(chunk, bank, { transB: true });
    if (sims.rows !== rows || sims.cols !== n) throw new RangeError(`gemm "${gemm.name}" returned ${sims.rows}×${sims.cols} (expected ${rows}×${n})`);
    for (let r = 0; r < rows; r++) {
      const qq = queryNorms[start + r] ?? 0;
      for (let j = 0; j < n; j++) {
        scratch[j] = Math.max(0, qq + (bankSquaredNorms[j] ?? 0) - 2 * (sims.data[r * n + j] ?? 0));
      }
      out[start + r] = Math.sqrt(kthSmallestInPlace(scratch, k));
    }
  }
  return out;
}
