import { assertInteger, createRng, selectRows, shuffledIndices, type MatrixLike } from '@gradeshift/core/math';

import { readDetectorInput, type DetectorFitInput, type OodDetector } from '../detector';
import { OodError } from '../errors';
import { createKnnDetector, type KnnComputeOptions } from './create-knn-detector';
import { KNN_STATE_VERSION, type KnnState } from './knn-state';
import { l2NormalizeRows } from './l2-normalize';

/** Options for {@link fitKnn}. */
export interface FitKnnOptions extends KnnComputeOptions {
  /** Which neighbour's distance is the score; must not exceed the bank size. @default 50 (the paper's CIFAR-10 value) */
  k?: number;
  /** Fraction α ∈ (0, 1] of the training rows kept in the bank, drawn without replacement: ⌊α·n⌋ rows. @default 1 */
  sampleRatio?: number;
  /** Seed of the sub-sampling draw (`createRng`). @default 0 */
  seed?: number;
}

/** The bank rows kept for ratio α: all of them for α = 1, else a seeded draw without replacement, in data order. */
function subsample(features: MatrixLike, sampleRatio: number, seed: number): MatrixLike {
  if (!(sampleRatio > 0 && sampleRatio <= 1)) throw new RangeError(`sampleRatio must be in (0, 1] (got ${sampleRatio})`);
  if (sampleRatio === 1) return features;
  const m = Math.floor(sampleRatio * features.rows);
  if (m < 1) throw new OodError('INSUFFICIENT_DATA', `sampleRatio ${sampleRatio} of ${features.rows} rows keeps no training row`);
  const picked = shuffledIndices(features.rows, createRng(seed)).slice(0, m).sort();
  return selectRows(features, picked);
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
export function fitKnn(input: DetectorFitInput, options: FitKnnOptions = {}): Promise<OodDetector<KnnState>> {
  return new Promise((resolve) => {
    const { k = 50, sampleRatio = 1, seed = 0 } = options;
    assertInteger(k, 'k', { min: 1 });
    assertInteger(seed, 'seed');
    const features = readDetectorInput(input, 'features');
    const bank = l2NormalizeRows(subsample(features, sampleRatio, seed));
    if (k > bank.rows) {
      throw new OodError('INSUFFICIENT_DATA', `k = ${k} exceeds the KNN bank size ${bank.rows}; pass k ≤ ${bank.rows} (or a larger sampleRatio)`);
    }
    const state: KnnState = {
      kind: 'knn',
      version: KNN_STATE_VERSION,
      dim: features.cols,
      k,
      bankSize: bank.rows,
      sampleRatio,
      seed,
      bank: Array.from(bank.data),
    };
    resolve(createKnnDetector(state, options));
  });
}
