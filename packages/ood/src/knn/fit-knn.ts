import {
  assertFinite,
  assertInteger,
  createMatrix,
  createRng,
  selectRows,
  shuffledIndices,
  type Matrix,
  type MatrixLike,
} from '@gradeshift/core/math';

import { readDetectorMatrix, type DetectorFitInput, type OodDetector } from '../detector';
import { OodError } from '../errors';
import { createKnnDetectorFromBank, type KnnComputeOptions } from './create-knn-detector';
import type { KnnState } from './knn-state';
import { l2NormalizeRows, prepareFeatureRows } from './l2-normalize';

/** Options for {@link fitKnn}. */
export interface FitKnnOptions extends KnnComputeOptions {
  /** Which neighbour's distance is the score; must not exceed the bank size. @default 50 (the paper's CIFAR-10 value) */
  k?: number;
  /** Fraction α ∈ (0, 1] of the training rows kept in the bank, drawn without replacement: ⌊α·n⌋ rows. @default 1 */
  sampleRatio?: number;
  /** Seed of the sub-sampling draw (`createRng`). @default 0 */
  seed?: number;
}

/**
 * The normalised bank for ratio α, in one copy: all rows for α = 1, else a seeded draw without replacement (in data
 * order) of ⌊α·n⌋ rows. Every input row is checked for NaN/Infinity, kept or not, as before sub-sampling.
 */
function normalisedBank(features: MatrixLike, sampleRatio: number, seed: number): Matrix {
  if (!(sampleRatio > 0 && sampleRatio <= 1))
    throw new RangeError(`sampleRatio must be in (0, 1] (got ${sampleRatio})`);
  const { rows, cols } = features;
  if (sampleRatio === 1) {
    // One pass over the input: the finite check runs while the rows are normalised.
    const bank = createMatrix(rows, cols);
    prepareFeatureRows(features, {
      out: bank.data,
      start: 0,
      end: rows,
      normalize: true,
      name: 'features.data',
    });
    return bank;
  }
  assertFinite(features.data, 'features.data');
  const m = Math.floor(sampleRatio * rows);
  if (m < 1)
    throw new OodError(
      'INSUFFICIENT_DATA',
      `sampleRatio ${sampleRatio} of ${rows} rows keeps no training row`,
    );
  const picked = shuffledIndices(rows, createRng(seed)).slice(0, m).sort();
  return l2NormalizeRows(selectRows(features, picked));
}

/**
 * Fits the deep nearest-neighbour OOD detector of Sun, Ming, Zhu & Li (ICML 2022): the bank is the L2-normalised
 * training features (`x / (‖x‖ + 1e-10)` as the official code), optionally sub-sampled, and the OOD score of a
 * sample is the Euclidean distance from its normalised features to the k-th nearest bank row (higher = more OOD;
 * the paper's confidence is its negative). Exact brute force, batched through `gemm` with bounded memory.
 * The fitted state stores the whole bank: see `KnnState` for its size.
 * @param input - `features` (n × d); labels are not used
 * @param options - k, sampleRatio, seed, gemm, maxChunkEntries
 * @throws OodError `INSUFFICIENT_DATA` when k exceeds the bank size; RangeError on bad options or inputs
 * @example
 * const detector = await fitKnn({ features }, { k: 50 });
 * const scores = await detector.score({ features: batch });
 * @see https://arxiv.org/abs/2204.06507
 * @see https://github.com/deeplearning-wisc/knn-ood
 */
export function fitKnn(
  input: DetectorFitInput,
  options: FitKnnOptions = {},
): Promise<OodDetector<KnnState>> {
  return new Promise((resolve) => {
    const { k = 50, sampleRatio = 1, seed = 0 } = options;
    assertInteger(k, 'k', { min: 1 });
    assertInteger(seed, 'seed');
    const bank = normalisedBank(readDetectorMatrix(input, 'features'), sampleRatio, seed);
    if (k > bank.rows) {
      throw new OodError(
        'INSUFFICIENT_DATA',
        `k = ${k} exceeds the KNN bank size ${bank.rows}; pass k ≤ ${bank.rows} (or a larger sampleRatio)`,
      );
    }
    // The detector takes the freshly normalised bank as is: fitting copies the training rows exactly once.
    resolve(createKnnDetectorFromBank(bank, { k, sampleRatio, seed }, options));
  });
}
