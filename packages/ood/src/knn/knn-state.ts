import type { FittedStateBase } from '../detector';

/** Format version of {@link KnnState}; bump it whenever the fields or their meaning change. */
export const KNN_STATE_VERSION = 1;

/**
 * The fitted state of a KNN detector, plain JSON. **It is large**: it carries the whole (sub-sampled) training
 * bank, `bankSize × dim` numbers (≈ 20 bytes of JSON each: 100k × 768 features is about 1.5 GB). Sub-sample
 * with `sampleRatio` or reduce `dim` (PCA) before shipping it in a model bundle.
 */
export interface KnnState extends FittedStateBase<'knn'> {
  readonly version: typeof KNN_STATE_VERSION;
  /** Feature dimension d. */
  dim: number;
  /** Which neighbour's distance is the score (1 = nearest). */
  k: number;
  /** Rows in the bank. */
  bankSize: number;
  /** Fraction of the training rows kept in the bank. */
  sampleRatio: number;
  /** Seed of the sub-sampling draw. */
  seed: number;
  /** The L2-normalised training features, `bankSize × dim`, row-major. */
  bank: number[];
}
