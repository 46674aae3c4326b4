import { jsGemm, type Matrix, type MatrixLike } from '@gradeshift/core/math';

import {
  assertNoNaNScores,
  readDetectorMatrix,
  type DetectorComputeOptions,
  type OodDetector,
} from '../detector';
import { KNN_STATE_VERSION, type KnnState } from './knn-state';
import { kthNeighbourDistance } from './kth-neighbour-distance';
import { prepareFeatureRows, rowSquaredNorms } from './l2-normalize';

/**
 * Default bound on one similarity block: 1M entries, 4 MB from a float32 gemm's `gemmNative` (8 MB in Float64), so
 * the block the selection reads back is still in cache (a 4,096-row bank: 256 query rows per block, about 15% less
 * time than 16 MB blocks).
 */
export const KNN_MAX_CHUNK_ENTRIES = 1_048_576;

/** Compute options of a KNN detector. */
export interface KnnComputeOptions extends DetectorComputeOptions {
  /**
   * Upper bound on the entries of one query × bank similarity block (4 or 8 bytes each, the gemm's working type).
   * @default KNN_MAX_CHUNK_ENTRIES (1,048,576)
   */
  maxChunkEntries?: number;
}

/** What a KNN detector is built from besides its bank. */
type KnnMeta = Pick<KnnState, 'k' | 'sampleRatio' | 'seed'>;

/**
 * Builds a KNN detector from a fitted state (used by `loadDetector`). The bank is copied once into a Float64 matrix;
 * its row norms are computed once.
 * @param state - a state whose sizes have been checked (see `loadDetector`)
 * @param options - default gemm and chunk bound
 * @see https://arxiv.org/abs/2204.06507
 */
export function createKnnDetector(
  state: KnnState,
  options: KnnComputeOptions = {},
): OodDetector<KnnState> {
  const bank: Matrix = {
    rows: state.bankSize,
    cols: state.dim,
    data: Float64Array.from(state.bank),
  };
  return createKnnDetectorFromBank(bank, state, options);
}

/**
 * Builds a KNN detector around a normalised bank it takes ownership of (no copy: `fitKnn` hands over the matrix it
 * has just normalised). The JSON bank is only materialised by `toJSON()`. A float32 copy of the bank is made once,
 * on the first score with a float32 gemm, so no similarity block converts it again.
 * @param bank - bankSize × dim, L2-normalised; must not be mutated afterwards
 * @param meta - k, sampleRatio and seed of the state
 * @param options - default gemm and chunk bound
 * @internal
 */
export function createKnnDetectorFromBank(
  bank: Matrix,
  meta: KnnMeta,
  options: KnnComputeOptions = {},
): OodDetector<KnnState> {
  const { k, sampleRatio, seed } = meta;
  const { rows: bankSize, cols: dim } = bank;
  const { maxChunkEntries = KNN_MAX_CHUNK_ENTRIES } = options;
  if (!Number.isInteger(maxChunkEntries) || maxChunkEntries < 1) {
    throw new RangeError(`maxChunkEntries must be a positive integer (got ${maxChunkEntries})`);
  }
  const defaultGemm = options.gemm ?? jsGemm;
  const bankSquaredNorms = rowSquaredNorms(bank);
  let bank32: MatrixLike | undefined;
  return {
    kind: 'knn',
    needs: 'features',
    async score(input, scoreOptions = {}) {
      const raw = readDetectorMatrix(input, 'features', dim);
      const gemm = scoreOptions.gemm ?? defaultGemm;
      const float32 = gemm.dtype === 'float32';
      // One pass: NaN/Infinity are rejected while the queries are normalised, straight into the kernel's type.
      const queries: MatrixLike = {
        rows: raw.rows,
        cols: dim,
        data: float32 ? new Float32Array(raw.rows * dim) : new Float64Array(raw.rows * dim),
      };
      prepareFeatureRows(raw, {
        out: queries.data,
        start: 0,
        end: raw.rows,
        normalize: true,
        name: 'features.data',
      });
      const operand = float32
        ? (bank32 ??= { rows: bankSize, cols: dim, data: new Float32Array(bank.data) })
        : bank;
      const scores = await kthNeighbourDistance(queries, operand, {
        k,
        gemm,
        maxChunkEntries,
        bankSquaredNorms,
      });
      return assertNoNaNScores(scores, 'knn scores');
    },
    toJSON: (): KnnState => ({
      kind: 'knn',
      version: KNN_STATE_VERSION,
      dim,
      k,
      bankSize,
      sampleRatio,
      seed,
      bank: Array.from(bank.data),
    }),
  };
}
