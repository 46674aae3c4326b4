/**
 * Row-wise softmax and log-softmax over a logits matrix (n × k).
 * The max is subtracted before `exp` (as in transformers.js `softmax`), so large logits never overflow.
 * Matches `scipy.special.softmax(x, axis=1)` / `scipy.special.log_softmax(x, axis=1)`.
 */
import { assertFinite, assertMatrix } from './check';
import { logSumExp } from './log-sum-exp';
import { createMatrix, type Matrix, type MatrixLike } from './matrix';

/** Row-wise softmax of `logits` (n × k): each row of the result sums to 1. */
export function softmax(logits: MatrixLike): Matrix {
  const out = logSoftmax(logits);
  for (let i = 0; i < out.data.length; i++) out.data[i] = Math.exp(out.data[i]!);
  return out;
}

/** Row-wise log-softmax of `logits` (n × k). @throws RangeError on non-finite logits. */
export function logSoftmax(logits: MatrixLike): Matrix {
  assertMatrix(logits, 'logits');
  assertFinite(logits.data, 'logits.data');
  const { rows, cols } = logits;
  const out = createMatrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    const lse = logSumExp(logits.data, i * cols, (i + 1) * cols);
    for (let j = 0; j < cols; j++) out.data[i * cols + j] = logits.data[i * cols + j]! - lse;
  }
  return out;
}

/** Softmax of one vector. */
export function softmaxVector(values: ArrayLike<number>): Float64Array {
  return softmax({ rows: 1, cols: values.length, data: Float64Array.from(values) }).data;
}
