/**
 * @file A {@link Gemm} backed by onnxruntime's MLAS kernels.
 *
 * Each call runs a one-node ONNX `Gemm` model written with our ONNX writer; one session is cached per
 * (transA, transB, dtype). Products whose output exceeds `maxOutputElements` are computed in row blocks of
 * op(A), so the runtime's output buffer stays bounded; tiny products stay in {@link gemmSync}, where a
 * session call would cost more than the arithmetic.
 *
 * Measured on a shared 2-core AVX-512 Xeon, onnxruntime-node 1.30, standard-normal inputs (seed 1). "Kernel"
 * is the onnxruntime run alone on an idle machine; "createOrtGemm" is the whole call, measured while other
 * jobs kept the load average near 4 (so roughly twice the idle time):
 *
 * | product | gemmSync (Float64) | ORT float64 | ORT float32 |
 * | --- | --- | --- | --- |
 * | Aᵀ·A, A 100000×128 (128×128 out), createOrtGemm | 4.8 s | 0.04–0.09 s | 0.09–0.25 s (Float32 copies of A) |
 * | A·Bᵀ, A 10000×128, B 50000×128 (5·10⁸ out), kernel in 250-row blocks | ≈ 248 s (1000 rows: 24.8 s) | 4.5 s | 2.3 s |
 * | the same A·Bᵀ, createOrtGemm (default blocks, 4 GB Float64 result) | | 17.4 s | 18.7 s |
 * | the same A·Bᵀ, `gemmNative` per 83-row block of A, B passed in `dtype`, load ≈ 1 | | 2.8 s | 1.2 s |
 *
 * Writing a 4 GB Float64 result costs about 5 s by itself (first touch of every page), which is why float32's
 * 2× faster kernel does not show end to end. Callers of products that large (KNN) should request row blocks of
 * A themselves and reduce each block as it arrives, through `gemmNative`: it returns the runtime's own output
 * (Float32Array for float32, no widening copy; only products below `minWork` come back Float64 from gemmSync).
 * They should also hold B in `dtype`, since an operand of the other type is converted on every call (a 50000×128
 * B costs ≈ 30 ms per conversion, 3.6 s over the 121 blocks of the row above).
 *
 * Precision against gemmSync: float64 agrees to 3·10⁻¹² relative (2·10⁻⁹ absolute on entries near 10⁵) on
 * Aᵀ·A and 2·10⁻¹⁴ on A·Bᵀ; float32 is off by up to 2·10⁻⁴ relative (0.12 absolute) on Aᵀ·A, where 10⁵-term
 * sums cancel, and 3·10⁻⁵ absolute on the 128-term dot products of A·Bᵀ.
 *
 * Hence the default `dtype: 'float64'`: covariance and whitening need the precision, for Aᵀ·A it is also the
 * faster choice (no Float32 copy of a tall input), and for huge A·Bᵀ the Float64 output dominates either way.
 * `dtype: 'float32'` pays off for throughput-bound, moderately sized blocks (kernel 2× faster) where 10⁻⁵
 * absolute error is acceptable. ORT's CPU provider implements `Gemm` for double, so no MatMul fallback is needed.
 * @see https://onnx.ai/onnx/operators/onnx__Gemm.html
 * @see https://github.com/microsoft/onnxruntime/tree/main/onnxruntime/core/mlas
 */
import { gemmShape, gemmSync, type Gemm, type GemmOptions } from '../math/gemm';
import { createMatrix, type Matrix, type MatrixLike } from '../math/matrix';
import type { InferenceBackend } from '../model/backend';
import { createNodeBackend, type CreateNodeBackendOptions } from './create-node-backend';
import { GemmSessions, type GemmDtype } from './gemm-sessions';

/** Options for {@link createOrtGemm}. */
export interface CreateOrtGemmOptions {
  /** Element type inside onnxruntime; see the file header for the measured trade-off. @default 'float64' */
  dtype?: 'float32' | 'float64';
  /** Largest output computed in one run, in elements; larger products run in row blocks of op(A). @default 8388608 (2²³, 64 MiB of float64) */
  maxOutputElements?: number;
  /** Products with m·k·n below this run in {@link gemmSync} instead. @default 32768 */
  minWork?: number;
  /**
   * Backend options (threads, device); ignored when `backend` is given. Spinning is off unless set here, since
   * Gemm runs alternate with JavaScript loops (KNN selection, Mahalanobis sums) that spinning threads would slow.
   * @default { allowSpinning: false }
   */
  backendOptions?: CreateNodeBackendOptions;
  /** A backend to reuse. @default createNodeBackend(backendOptions) */
  backend?: InferenceBackend;
}

/** A {@link Gemm} holding onnxruntime sessions; call `dispose` to release them. */
export interface OrtGemm extends Gemm {
  readonly dtype: 'float32' | 'float64';
  /** The product in `dtype`: a float32 Gemm returns Float32 data (tiny products, run in {@link gemmSync}, stay Float64). */
  gemmNative(a: MatrixLike, b: MatrixLike, options?: GemmOptions): Promise<MatrixLike>;
  dispose(): Promise<void>;
}

type Dtype = GemmDtype;

/** The matrix data in `dtype`, without copying when it already is. */
function asDtype(data: MatrixLike['data'], dtype: Dtype): Float32Array | Float64Array {
  if (dtype === 'float32') return data instanceof Float32Array ? data : Float32Array.from(data);
  return data instanceof Float64Array ? data : Float64Array.from(data);
}

/** Rows [r0, r1) of op(A) as a contiguous (r1 − r0) × k block in `dtype`. */
function opARows(
  a: MatrixLike,
  transA: boolean,
  block: { r0: number; r1: number; dtype: Dtype },
): Float32Array | Float64Array {
  const { r0, r1, dtype } = block;
  if (!transA) return asDtype(a.data.subarray(r0 * a.cols, r1 * a.cols), dtype);
  // op(A) = Aᵀ: row i of op(A) is column i of A, gathered with stride a.cols.
  const k = a.rows;
  const out =
    dtype === 'float32' ? new Float32Array((r1 - r0) * k) : new Float64Array((r1 - r0) * k);
  for (let p = 0; p < k; p++) {
    const src = p * a.cols;
    for (let i = r0; i < r1; i++) out[(i - r0) * k + p] = a.data[src + i] ?? 0;
  }
  return out;
}

/**
 * Creates a {@link Gemm} that runs large products through onnxruntime-node (MLAS).
 * @param options - element type, block size, small-product cut-off and backend.
 * @returns a Gemm whose results are Float64 matrices, like {@link jsGemm}.
 * @throws CoreError `BACKEND_UNAVAILABLE` (on first use) when onnxruntime-node cannot be loaded; RangeError for bad options.
 * @example
 * const gemm = createOrtGemm();
 * const gram = await gemm.gemm(features, features, { transA: true });
 * await gemm.dispose();
 */
export function createOrtGemm(options: CreateOrtGemmOptions = {}): OrtGemm {
  const { dtype = 'float64', maxOutputElements = 2 ** 23, minWork = 32768 } = options;
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new RangeError(`dtype must be 'float32' or 'float64' (got ${String(dtype)})`);
  if (!Number.isSafeInteger(maxOutputElements) || maxOutputElements < 1)
    throw new RangeError(`maxOutputElements must be a positive integer (got ${maxOutputElements})`);
  if (!(minWork >= 0)) throw new RangeError(`minWork must be non-negative (got ${minWork})`);
  const backend =
    options.backend ?? createNodeBackend({ allowSpinning: false, ...options.backendOptions });
  const ctx: ProductContext = {
    sessions: new GemmSessions(backend, dtype),
    dtype,
    maxOutputElements,
    minWork,
  };
  const gemm = async (a: MatrixLike, b: MatrixLike, options: GemmOptions = {}): Promise<Matrix> => {
    const { rows, cols, data } = await computeProduct(ctx, { a, b }, { options, widen: true });
    // computeProduct() widens every float32 result when asked to, so this branch only guards the type.
    return { rows, cols, data: data instanceof Float64Array ? data : new Float64Array(data) };
  };
  return Object.freeze({
    name: `ort-${dtype}`,
    dtype,
    gemm,
    gemmNative: (a: MatrixLike, b: MatrixLike, options: GemmOptions = {}): Promise<MatrixLike> =>
      computeProduct(ctx, { a, b }, { options, widen: false }),
    dispose: (): Promise<void> => ctx.sessions.dispose(),
  });
}

/** What every product of one OrtGemm shares: its sessions and size limits. */
interface ProductContext {
  readonly sessions: GemmSessions;
  readonly dtype: Dtype;
  readonly maxOutputElements: number;
  readonly minWork: number;
}

/** The two operands of a product. */
interface Operands {
  readonly a: MatrixLike;
  readonly b: MatrixLike;
}

/** One call: its Gemm options, and whether a float32 result is widened to Float64 (the `gemm` contract). */
interface ProductCall {
  readonly options: GemmOptions;
  readonly widen: boolean;
}

/** op(A)·op(B): empty, in gemmSync when tiny, in one run when the output fits, else in row blocks of op(A). */
async function computeProduct(
  ctx: ProductContext,
  operands: Operands,
  call: ProductCall,
): Promise<MatrixLike> {
  const { a, b } = operands;
  const { options: gemmOptions, widen } = call;
  const { m, k, n } = gemmShape(a, b, gemmOptions);
  const transA = gemmOptions.transA === true;
  const transB = gemmOptions.transB === true;
  if (m === 0 || n === 0 || k === 0) return createMatrix(m, n);
  if (m * k * n < ctx.minWork) return gemmSync(a, b, gemmOptions);
  if (m * n > ctx.maxOutputElements) return computeInBlocks(ctx, operands, call);
  const { sessions, dtype } = ctx;
  const y = await sessions.run(await sessions.get(transA, transB), {
    a: asDtype(a.data, dtype),
    aDims: [a.rows, a.cols],
    b: asDtype(b.data, dtype),
    bDims: [b.rows, b.cols],
  });
  return {
    rows: m,
    cols: n,
    data: widen && y instanceof Float32Array ? new Float64Array(y) : y,
  };
}

/** Row blocks of op(A), each fed untransposed; B is converted once and shared by every block. */
async function computeInBlocks(
  ctx: ProductContext,
  operands: Operands,
  call: ProductCall,
): Promise<MatrixLike> {
  const { a, b } = operands;
  const { sessions, dtype, maxOutputElements } = ctx;
  const { m, k, n } = gemmShape(a, b, call.options);
  const transA = call.options.transA === true;
  const bData = asDtype(b.data, dtype);
  const bDims = [b.rows, b.cols];
  const data =
    call.widen || dtype === 'float64' ? new Float64Array(m * n) : new Float32Array(m * n);
  const blockRows = Math.max(1, Math.floor(maxOutputElements / n));
  const s = await sessions.get(false, call.options.transB === true);
  for (let r0 = 0; r0 < m; r0 += blockRows) {
    const r1 = Math.min(m, r0 + blockRows);
    const y = await sessions.run(s, {
      a: opARows(a, transA, { r0, r1, dtype }),
      aDims: [r1 - r0, k],
      b: bData,
      bDims,
    });
    data.set(y, r0 * n);
  }
  return { rows: m, cols: n, data };
}
