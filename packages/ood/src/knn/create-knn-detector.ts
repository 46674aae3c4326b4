import { jsGemm, type Matrix } from '@gradeshift/core/math';

import { assertNoNaNScores, readDetectorInput, type DetectorComputeOptions, type OodDetector } from '../detector';
import type { KnnState } from './knn-state';
import { kthNeighbourDistance } from './kth-neighbour-distance';
import { l2NormalizeRows, rowSquaredNorms } from './l2-normalize';

/** Default bound on one similarity block: 4M Float64 entries, 32 MB. */
export const KNN_MAX_CHUNK_ENTRIES = 4_194_304;

/** Compute options of a KNN detector. */
export interface KnnComputeOptions extends DetectorComputeOptions {
  /**
   * Upper bound on the entries of one query × bank similarity block (memory ≈ 8 bytes each).
   * @default KNN_MAX_CHUNK_ENTRIES (4,194,304)
   */
  maxChunkEntries?: number;
}

/**
 * Builds a KNN detector from a fitted state (used by `fitKnn` and `loadDetector`). The bank is copied into a
 * Float64 matrix; its row norms are computed once.
 * @param state - a state whose sizes have been checked (see `loadDetector`)
 * @param options - default gemm and chunk bound
 * @see https://arxiv.org/abs/2204.06507
 */
export function createKnnDetector(state: KnnState, options: KnnComputeOptions = {}): OodDetector<KnnState> {
  const { dim, k, bankSize, sampleRatio, seed } = state;
  const { maxChunkEntries = KNN_MAX_CHUNK_ENTRIES } = options;
  if (!Number.isInteger(maxChunkEntries) || maxChunkEntries < 1) {
    throw new RangeError(`maxChunkEntries must be a positive integer (got ${maxChunkEntries})`);
  }
  const defaultGemm = options.gemm ?? jsGemm;
  const bank: Matrix = { rows: bankSize, cols: dim, data: Float64Array.from(state.bank) };
  const bankSquaredNorms = rowSquaredNorms(bank);
  return {
    kind: 'knn',
    needs: 'features',
    async score(input, scoreOptions = {}) {
      const queries = l2NormalizeRows(readDetectorInput(input, 'features', dim));
      const gemm = scoreOptions.gemm ?? defaultGemm;
      const scores = await kthNeighbourDistance(queries, bank, { k, gemm, maxChunkEntries, bankSquaredNorms });
      return assertNoNaNScores(scores, 'knn scores');
    },
    toJSON: (): KnnState => ({ kind: 'knn', version: state.version, dim, k, bankSize, sampleRatio, seed, bank: Array.from(bank.data) }),
  };
}
