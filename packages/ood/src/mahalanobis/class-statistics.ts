import {
  assertLabels,
  assertSameLength,
  createMatrix,
  type Matrix,
  type MatrixLike,
} from '@gradeshift/core/math';

import { OodError } from '../errors';

/** Per-class means of a labelled feature matrix. */
export interface ClassMeans {
  /** K × d, row c = μ_c. */
  means: Matrix;
  /** N_c per class (K entries). */
  counts: number[];
}

/**
 * Class-conditional means `μ_c = (1/N_c) Σ_{i: y_i = c} h_i`, accumulated in Float64.
 * @param features - N × d
 * @param labels - N integer grades in [0, numClasses)
 * @param numClasses - K
 * @throws RangeError on bad labels; OodError `INSUFFICIENT_DATA` when a class has no sample
 * @see https://arxiv.org/abs/1807.03888 (Lee et al. 2018, Eq. 1)
 */
export function classMeans(
  features: MatrixLike,
  labels: ArrayLike<number>,
  numClasses: number,
): ClassMeans {
  assertSameLength({ length: features.rows }, labels, ['features (rows)', 'labels']);
  assertLabels(labels, numClasses);
  const d = features.cols;
  const means = createMatrix(numClasses, d);
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < features.rows; i++) {
    const c = labels[i] ?? 0;
    counts[c] = (counts[c] ?? 0) + 1;
    for (let j = 0; j < d; j++)
      means.data[c * d + j] = (means.data[c * d + j] ?? 0) + (features.data[i * d + j] ?? 0);
  }
  for (let c = 0; c < numClasses; c++) {
    const nc = counts[c] ?? 0;
    if (nc === 0) {
      throw new OodError(
        'INSUFFICIENT_DATA',
        `class ${c} has no training sample (numClasses = ${numClasses}); every grade needs at least one`,
      );
    }
    for (let j = 0; j < d; j++) means.data[c * d + j] = (means.data[c * d + j] ?? 0) / nc;
  }
  return { means, counts };
}

/**
 * Rows centred on their own class mean, `h_i − μ_{y_i}` (N × d): the data of the pooled within-class covariance.
 * @param features - N × d
 * @param labels - N grades (already checked by {@link classMeans})
 * @param means - K × d class means
 */
export function centreByClass(
  features: MatrixLike,
  labels: ArrayLike<number>,
  means: MatrixLike,
): Matrix {
  const d = features.cols;
  const out = createMatrix(features.rows, d);
  for (let i = 0; i < features.rows; i++) {
    const c = labels[i] ?? 0;
    for (let j = 0; j < d; j++)
      out.data[i * d + j] = (features.data[i * d + j] ?? 0) - (means.data[c * d + j] ?? 0);
  }
  return out;
}
