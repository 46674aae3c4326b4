/**
 * Entry guards shared by the losses: shapes, labels, weights and scalar options. Each throws a
 * `RangeError` (or `TypeError` for the wrong kind of value) that names the argument and the sizes.
 * @internal
 */
import { assertFiniteNumber, assertLabels, assertMatrix } from '../math/check';
import type { MatrixLike } from '../math/matrix';

/**
 * Throws unless `logits` is a non-empty n × K matrix with K ≥ 2 and only finite entries.
 * @internal
 */
export function assertLossLogits(logits: MatrixLike, name = 'logits'): void {
  assertMatrix(logits, name);
  const { rows: n, cols: k, data } = logits;
  if (n < 1)
    throw new RangeError(`${name} must have at least one row (got an empty batch, ${n}×${k})`);
  if (k < 2) throw new RangeError(`${name} must have at least 2 grade columns (got ${n}×${k})`);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] ?? Number.NaN;
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / k);
      throw new RangeError(
        `${name}[${r}][${i - r * k}] must be finite (got ${String(v)}; ${name} is ${n}×${k})`,
      );
    }
  }
}

/** Throws unless `b` has the same shape as `a`. @internal */
export function assertSameShape(
  a: MatrixLike,
  b: MatrixLike,
  names: readonly [string, string],
): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(
      `${names[0]} and ${names[1]} must have the same shape (got ${a.rows}×${a.cols} and ${b.rows}×${b.cols})`,
    );
  }
}

/** Throws unless `values` has one entry per row of `logits` (n). @internal */
export function assertRowCount(values: ArrayLike<unknown>, logits: MatrixLike, name: string): void {
  if (typeof values !== 'object' || values === null || typeof values.length !== 'number') {
    throw new TypeError(`${name} must be an array with one entry per row of logits`);
  }
  if (values.length !== logits.rows) {
    throw new RangeError(
      `${name} and logits rows must have the same length (got ${values.length} and ${logits.rows})`,
    );
  }
}

/** Throws unless `labels` holds one integer grade in [0, K−1] per row of `logits`. @internal */
export const assertGradeLabels = gradesPerRow(assertLabels);

/** Throws unless every entry of `labels` is a finite (possibly fractional) grade in [0, K−1]. @internal */
export function assertGradeRange(labels: ArrayLike<number>, k: number, name = 'labels'): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] ?? Number.NaN;
    if (!Number.isFinite(y) || y < 0 || y > k - 1) {
      throw new RangeError(`${name}[${i}] must be a grade in [0, ${k - 1}] (got ${String(y)})`);
    }
  }
}

/** Throws unless `labels` holds one finite (possibly fractional) grade in [0, K−1] per row of `logits`. @internal */
export const assertContinuousGrades = gradesPerRow(assertGradeRange);

/** A check of one grade per row of `logits`, each grade checked by `check` against K = `logits.cols`. */
function gradesPerRow(check: (labels: ArrayLike<number>, k: number, name: string) => void) {
  return (labels: ArrayLike<number>, logits: MatrixLike, name = 'labels'): void => {
    assertRowCount(labels, logits, name);
    check(labels, logits.cols, name);
  };
}

/** Throws unless `weights` has `length` finite, non-negative entries. @internal */
export function assertNonNegativeWeights(
  weights: ArrayLike<number>,
  length: number,
  name: string,
): void {
  if (typeof weights !== 'object' || weights === null || typeof weights.length !== 'number') {
    throw new TypeError(`${name} must be an array of numbers`);
  }
  if (weights.length !== length)
    throw new RangeError(`${name} must have ${length} entries (got ${weights.length})`);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? Number.NaN;
    if (!Number.isFinite(w) || w < 0)
      throw new RangeError(`${name}[${i}] must be a finite number ≥ 0 (got ${String(w)})`);
  }
}

/** Throws unless `value` is finite and > 0 (or ≥ 0 with `allowZero`). @internal */
export function assertPositiveOption(value: number, name: string, allowZero = false): void {
  assertFiniteNumber(value, name);
  if (allowZero ? value < 0 : value <= 0) {
    throw new RangeError(`${name} must be ${allowZero ? '≥ 0' : '> 0'} (got ${value})`);
  }
}
