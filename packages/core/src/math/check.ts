/**
 * Entry guards for kernels. They throw `TypeError` for the wrong kind of value and `RangeError`
 * for a wrong length or domain, with messages that name the argument and the sizes.
 */
import type { MatrixLike, NumericArray } from './matrix';

/** Throws unless `value` is a finite number. */
export function assertFiniteNumber(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${name} must be a finite number (got ${String(value)})`);
  }
}

/** Throws unless `value` is an integer in `[min, max]`. */
export function assertInteger(
  value: number,
  name: string,
  range: { min?: number; max?: number } = {},
): void {
  const { min = -Infinity, max = Infinity } = range;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}] (got ${String(value)})`);
  }
}

/** Throws unless every entry of `values` is finite; names the first bad index. */
export function assertFinite(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new RangeError(`${name}[${i}] must be finite (got ${String(values[i])})`);
    }
  }
}

/** Throws unless `values` is non-empty. */
export function assertNonEmpty(values: ArrayLike<unknown>, name: string): void {
  if (values.length === 0) throw new RangeError(`${name} must not be empty`);
}

/** Throws unless `a` and `b` have the same length. */
export function assertSameLength(
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  names: [string, string],
): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${names[0]} and ${names[1]} must have the same length (got ${a.length} and ${b.length})`,
    );
  }
}

/** Throws unless `m` is a well-formed matrix: positive integer sizes and `data.length === rows * cols`. */
export function assertMatrix(m: MatrixLike, name: string): void {
  if (typeof m !== 'object' || m === null || !ArrayBuffer.isView(m.data)) {
    throw new TypeError(
      `${name} must be a matrix { rows, cols, data: Float64Array | Float32Array }`,
    );
  }
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0) {
    throw new RangeError(`${name} must have non-negative integer sizes (got ${m.rows}×${m.cols})`);
  }
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(
      `${name}.data must have rows*cols = ${m.rows * m.cols} entries (got ${m.data.length})`,
    );
  }
}

/** Throws unless `m` is square. */
export function assertSquare(m: MatrixLike, name: string): void {
  assertMatrix(m, name);
  if (m.rows !== m.cols) throw new RangeError(`${name} must be square (got ${m.rows}×${m.cols})`);
}

/** Throws unless `labels` are integers in `[0, k)`. */
export function assertLabels(labels: ArrayLike<number>, k: number, name = 'labels'): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) {
      throw new RangeError(
        `${name}[${i}] must be an integer grade in [0, ${k - 1}] (got ${String(y)})`,
      );
    }
  }
}

/** Throws unless `values` is a typed or plain array of numbers. */
export function assertNumericArray(
  values: unknown,
  name: string,
): asserts values is NumericArray | readonly number[] {
  if (!(ArrayBuffer.isView(values) || Array.isArray(values))) {
    throw new TypeError(`${name} must be an array of numbers`);
  }
}
