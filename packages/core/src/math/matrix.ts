/**
 * Dense row-major matrices. `data[i * cols + j]` is row `i`, column `j`.
 * Inputs may be Float32 (as ONNX runtimes return them); results are always Float64.
 */
import { assertMatrix } from './check';

/** A typed array of floats. */
export type NumericArray = Float64Array | Float32Array;

/** A read-only view of a row-major matrix. */
export interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: NumericArray;
}

/** A row-major Float64 matrix owned by the caller. */
export interface Matrix extends MatrixLike {
  readonly data: Float64Array;
}

/** Creates a zero-filled `rows × cols` matrix. */
export function createMatrix(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Builds a matrix from an array of equal-length rows.
 * @throws RangeError when the rows have different lengths.
 */
export function matrixFromRows(rows: readonly ArrayLike<number>[]): Matrix {
  const n = rows.length;
  const d = n === 0 ? 0 : rows[0]!.length;
  const out = createMatrix(n, d);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row.length !== d)
      throw new RangeError(`rows[${i}] must have ${d} entries (got ${row.length})`);
    for (let j = 0; j < d; j++) out.data[i * d + j] = row[j]!;
  }
  return out;
}

/** Wraps a flat array as a `rows × cols` matrix (copying into Float64), checking the size. */
export function matrixFromFlat(data: ArrayLike<number>, rows: number, cols: number): Matrix {
  const out: Matrix = { rows, cols, data: Float64Array.from(data) };
  assertMatrix(out, 'matrix');
  return out;
}

/** Row `i` as a subarray view (no copy). */
export function getRow(m: MatrixLike, i: number): NumericArray {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** Returns the rows at `indices` as a new matrix. */
export function selectRows(m: MatrixLike, indices: ArrayLike<number>): Matrix {
  const out = createMatrix(indices.length, m.cols);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!;
    if (!Number.isInteger(i) || i < 0 || i >= m.rows)
      throw new RangeError(`row index ${i} is outside [0, ${m.rows - 1}]`);
    out.data.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), r * m.cols);
  }
  return out;
}

/** The matrix as an array of plain number arrays (for JSON). */
export function matrixToRows(m: MatrixLike): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(getRow(m, i)));
  return out;
}
