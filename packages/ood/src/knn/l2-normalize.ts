import {
  assertFinite,
  createMatrix,
  L2_NORM_EPSILON,
  type Matrix,
  type MatrixLike,
  type NumericArray,
} from '@gradeshift/core/math';

export { L2_NORM_EPSILON };

/** Within this range of the largest |entry|, Σx² (≤ d·10²⁰⁰) can neither overflow nor lose the row to underflow. */
const SAFE_SCALE = { min: 1e-100, max: 1e100 };

/**
 * Writes `x / (‖x‖₂ + 1e-10)` for the `cols` entries at `src[from…]` into `dst[to…]`.
 * @returns the row's largest |entry|: NaN or Infinity exactly when the row holds a non-finite entry (Math.max
 * propagates NaN), so callers get the finite check for free
 */
function normalizeRow(
  src: NumericArray,
  dst: NumericArray,
  at: { from: number; to: number; cols: number },
): number {
  const { from, to, cols } = at;
  let scale = 0;
  let ss = 0;
  for (let j = 0; j < cols; j++) {
    const v = src[from + j] ?? 0;
    scale = Math.max(scale, Math.abs(v));
    ss += v * v;
  }
  if (scale === 0) {
    dst.fill(0, to, to + cols);
    return 0;
  }
  let norm = Math.sqrt(ss);
  if (!(scale > SAFE_SCALE.min && scale < SAFE_SCALE.max)) {
    // Extreme (or non-finite) entries: scale by the largest first so the sum of squares cannot overflow or underflow.
    let scaled = 0;
    for (let j = 0; j < cols; j++) {
      const v = (src[from + j] ?? 0) / scale;
      scaled += v * v;
    }
    norm = scale * Math.sqrt(scaled);
  }
  norm += L2_NORM_EPSILON;
  for (let j = 0; j < cols; j++) dst[to + j] = (src[from + j] ?? 0) / norm;
  return scale;
}

/**
 * Row-wise L2 normalisation `x / (‖x‖₂ + 1e-10)` into a new Float64 matrix (the input is not mutated).
 * Used by KNN (Sun et al. 2022) and by Mahalanobis++ (Müller & Hein 2025) before the Gaussian fit.
 * @param x - n × d features
 * @returns n × d rows of norm ≈ 1 (exactly 0 for an all-zero row)
 * @see https://arxiv.org/abs/2204.06507
 */
export function l2NormalizeRows(x: MatrixLike): Matrix {
  const { rows, cols, data } = x;
  const out = createMatrix(rows, cols);
  for (let i = 0; i < rows; i++)
    normalizeRow(data, out.data, { from: i * cols, to: i * cols, cols });
  return out;
}

/** Where {@link prepareFeatureRows} writes, and how. */
export interface PrepareFeatureRowsTarget {
  /** Receives (end − start) × cols entries from index 0; Float32 or Float64 (the gemm's working type). */
  out: NumericArray;
  /** First row of `x` to read. */
  start: number;
  /** One past the last row. */
  end: number;
  /** L2-normalise each row (as {@link l2NormalizeRows}) or copy it unchanged. */
  normalize: boolean;
  /** Name of `x.data` in the error message (`'features.data'`). */
  name: string;
}

/**
 * Copies rows [start, end) of `x` into `target.out`, L2-normalised or as they are, and rejects NaN/Infinity on the
 * way: one pass over the input replaces `assertFinite` + `l2NormalizeRows` (and their full-size Float64 copy),
 * so scorers can work through a large input in cache-sized row blocks. In Float64 the rows are bit-identical to
 * {@link l2NormalizeRows}.
 * @param x - n × d features (shape already checked)
 * @param target - the buffer, row range, normalisation and error name
 * @throws RangeError `${name}[i] must be finite (got NaN)`, the first bad index, as `assertFinite`
 */
export function prepareFeatureRows(x: MatrixLike, target: PrepareFeatureRowsTarget): void {
  const { out, start, end, normalize, name } = target;
  const { cols, data } = x;
  for (let i = start; i < end; i++) {
    const from = i * cols;
    const to = (i - start) * cols;
    let scale = 0;
    if (normalize) scale = normalizeRow(data, out, { from, to, cols });
    else {
      for (let j = 0; j < cols; j++) {
        const v = data[from + j] ?? 0;
        scale = Math.max(scale, Math.abs(v));
        out[to + j] = v;
      }
    }
    // Error path only: re-scan up to this row, so the message names the first bad index exactly as assertFinite does.
    if (!Number.isFinite(scale)) assertFinite(data.subarray(0, from + cols), name);
  }
}

/** Row norms inside this range keep a float32 product of the raw row (and the cross terms) far from overflow and underflow. */
const RAW_NORM_RANGE = { min: 1e-15, max: 1e15 };

/**
 * The factors `1 / (‖x_i‖₂ + 1e-10)` of rows [start, end) into `out` (end − start entries), rejecting NaN/Infinity on
 * the way, in one read-only pass. Whitening is linear, W·(x/ν) = (W·x)/ν, so a scorer can multiply the raw rows and
 * apply the factor to the products instead of writing a normalised copy ({@link prepareFeatureRows}) first.
 * @param x - n × d features (shape already checked)
 * @param target - the factors' buffer, row range and error name
 * @returns false when some row's norm is outside [1e-15, 1e15] (all-zero rows are fine): the raw rows are then not
 * safe to feed a float32 product, and the caller should normalise that block explicitly
 * @throws RangeError `${name}[i] must be finite (got NaN)`, the first bad index, as `assertFinite`
 */
export function inverseRowNorms(
  x: MatrixLike,
  target: { out: Float64Array; start: number; end: number; name: string },
): boolean {
  const { out, start, end, name } = target;
  const { cols, data } = x;
  let inRange = true;
  for (let i = start; i < end; i++) {
    const from = i * cols;
    let ss = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[from + j] ?? 0;
      ss += v * v;
    }
    // NaN or Infinity in the row makes Σx² NaN or Infinity, and so does an overflow of huge finite entries (then merely
    // out of range). Only a row that really holds one re-scans the prefix, so the message names the first bad index.
    if (!Number.isFinite(ss) && !data.subarray(from, from + cols).every(Number.isFinite)) {
      assertFinite(data.subarray(0, from + cols), name);
    }
    const norm = Math.sqrt(ss);
    if (norm !== 0 && !(norm >= RAW_NORM_RANGE.min && norm <= RAW_NORM_RANGE.max)) inRange = false;
    out[i - start] = 1 / (norm + L2_NORM_EPSILON);
  }
  return inRange;
}

/** Squared L2 norm of every row of `x` (n entries). */
export function rowSquaredNorms(x: MatrixLike): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[i * x.cols + j] ?? 0;
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}
