/**
 * A grade head over pair features: standardise (x − μ)·s, one hidden layer h = ReLU(W₁z + b₁), grade logits
 * W₂h + b₂. Its hidden layer is the `relevance` space of the OOD detectors. Forward and backward in plain loops
 * over Float64 weights, the two large products (first layer and its weight gradient) on a `Gemm` kernel; the features of a row are filled on demand ({@link PairFeatureSource}), so a split's
 * feature matrix is never materialised.
 */
import { jsGemm, type Gemm } from '../math/gemm';
import type { Matrix } from '../math/matrix';
import type { Rng } from '../math/prng';

/** Rows of pair features, filled one at a time. */
export interface PairFeatureSource {
  readonly rows: number;
  readonly cols: number;
  /** Writes row `i`'s `cols` features into `out`. */
  fill(i: number, out: Float64Array): void;
}

/** The trainable parameters and the fixed standardisation of a grade head. */
export interface GradeHeadParams {
  readonly inputs: number;
  readonly hidden: number;
  readonly grades: number;
  /** Per-feature mean μ and scale s (1/σ, 1 for a constant feature). */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** hidden × inputs, row-major. */
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  /** grades × hidden, row-major. */
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/** What the forward pass keeps for the backward pass and the detectors. */
export interface GradeHeadForward {
  readonly rows: number;
  /** rows × inputs, the standardised features. */
  readonly inputs: Matrix;
  /** rows × hidden, after ReLU. */
  readonly hidden: Float64Array;
  /** rows × grades. */
  readonly logits: Float64Array;
}

/** Gradients of the four weight tensors, same shapes as the parameters. */
export interface GradeHeadGradients {
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/** Per-feature mean and 1/σ over some rows of a source (population σ; 1 where σ = 0). */
export function featureStandardization(
  source: PairFeatureSource,
  rows: ArrayLike<number>,
): { mean: Float64Array; scale: Float64Array } {
  const d = source.cols;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  const x = new Float64Array(d);
  for (let r = 0; r < rows.length; r++) {
    source.fill(rows[r] ?? 0, x);
    // Welford's update: stable for long columns.
    for (let k = 0; k < d; k++) {
      const delta = (x[k] ?? 0) - (mean[k] ?? 0);
      mean[k] = (mean[k] ?? 0) + delta / (r + 1);
      sq[k] = (sq[k] ?? 0) + delta * ((x[k] ?? 0) - (mean[k] ?? 0));
    }
  }
  const scale = Float64Array.from(sq, (s) => {
    const sd = Math.sqrt(s / Math.max(rows.length, 1));
    return sd > 1e-12 ? 1 / sd : 1;
  });
  return { mean, scale };
}

/**
 * A head with He-initialised first layer and Glorot-initialised output layer, zero biases.
 * @see https://arxiv.org/abs/1502.01852 (He et al., ReLU initialisation)
 */
export function createGradeHead(
  shape: { inputs: number; hidden: number; grades: number },
  standardization: { mean: Float64Array; scale: Float64Array },
  rng: Rng,
): GradeHeadParams {
  const { inputs, hidden, grades } = shape;
  for (const [v, name] of [
    [inputs, 'inputs'],
    [hidden, 'hidden'],
    [grades, 'grades'],
  ] as const)
    if (!Number.isSafeInteger(v) || v < 1)
      throw new RangeError(`${name} must be a whole number ≥ 1 (got ${v})`);
  if (standardization.mean.length !== inputs || standardization.scale.length !== inputs)
    throw new RangeError(`the standardisation must have ${inputs} entries`);
  const s1 = Math.sqrt(2 / inputs);
  const s2 = Math.sqrt(2 / (hidden + grades));
  return {
    inputs,
    hidden,
    grades,
    mean: standardization.mean,
    scale: standardization.scale,
    w1: Float64Array.from({ length: hidden * inputs }, () => rng.normal() * s1),
    b1: new Float64Array(hidden),
    w2: Float64Array.from({ length: grades * hidden }, () => rng.normal() * s2),
    b2: new Float64Array(grades),
  };
}

/** The standardised features of some rows of a source, `rows × inputs`. */
export function standardBatch(
  head: GradeHeadParams,
  source: PairFeatureSource,
  rows: ArrayLike<number>,
): Matrix {
  const d = head.inputs;
  if (source.cols !== d)
    throw new RangeError(`the features have ${source.cols} columns, the head takes ${d}`);
  const z = new Float64Array(rows.length * d);
  const { mean, scale } = head;
  for (let r = 0; r < rows.length; r++) {
    const row = z.subarray(r * d, (r + 1) * d);
    source.fill(rows[r] ?? 0, row);
    for (let k = 0; k < d; k++) row[k] = ((row[k] ?? 0) - (mean[k] ?? 0)) * (scale[k] ?? 1);
  }
  return { rows: rows.length, cols: d, data: z };
}

/**
 * The forward pass over some rows of a source; the first layer's product runs on `gemm` (e.g. onnxruntime's).
 * @param batch - the source and the rows to run, in output order
 * @param gemm - the matrix product @default jsGemm
 * @throws RangeError when the source width differs from the head's inputs
 */
export async function forwardGradeHead(
  head: GradeHeadParams,
  batch: { readonly source: PairFeatureSource; readonly rows: ArrayLike<number> },
  gemm: Gemm = jsGemm,
): Promise<GradeHeadForward> {
  const { source, rows } = batch;
  const { hidden: h, grades: g, b1, w2, b2 } = head;
  const z = standardBatch(head, source, rows);
  const n = rows.length;
  const pre = await gemm.gemm(z, { rows: h, cols: head.inputs, data: head.w1 }, { transB: true });
  const hiddenOut = pre.data;
  const logits = new Float64Array(n * g);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < h; j++) {
      const s = (hiddenOut[r * h + j] ?? 0) + (b1[j] ?? 0);
      hiddenOut[r * h + j] = s > 0 ? s : 0;
    }
    for (let c = 0; c < g; c++) {
      let s = b2[c] ?? 0;
      for (let j = 0; j < h; j++) s += (w2[c * h + j] ?? 0) * (hiddenOut[r * h + j] ?? 0);
      logits[r * g + c] = s;
    }
  }
  return { rows: n, inputs: z, hidden: hiddenOut, logits };
}

/**
 * The backward pass: gradients of the weights from ∂L/∂logits of the rows a forward pass ran.
 * @param pass - the forward pass and ∂L/∂logits, rows × grades (e.g. a core loss's `grad`)
 * @param gemm - the matrix product @default jsGemm
 */
export async function backwardGradeHead(
  head: GradeHeadParams,
  pass: { readonly forward: GradeHeadForward; readonly gradLogits: ArrayLike<number> },
  gemm: Gemm = jsGemm,
): Promise<GradeHeadGradients> {
  const { forward, gradLogits } = pass;
  const { hidden: h, grades: g, w2 } = head;
  const n = forward.rows;
  const w2Grad = new Float64Array(g * h);
  const b2Grad = new Float64Array(g);
  const b1Grad = new Float64Array(h);
  const dPre = new Float64Array(n * h);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < g; c++) {
      const gl = gradLogits[r * g + c] ?? 0;
      b2Grad[c] = (b2Grad[c] ?? 0) + gl;
      for (let j = 0; j < h; j++) {
        const a = forward.hidden[r * h + j] ?? 0;
        w2Grad[c * h + j] = (w2Grad[c * h + j] ?? 0) + gl * a;
        // ReLU passes the gradient where the unit was active.
        if (a > 0) dPre[r * h + j] = (dPre[r * h + j] ?? 0) + gl * (w2[c * h + j] ?? 0);
      }
    }
    for (let j = 0; j < h; j++) b1Grad[j] = (b1Grad[j] ?? 0) + (dPre[r * h + j] ?? 0);
  }
  const w1Grad = await gemm.gemm({ rows: n, cols: h, data: dPre }, forward.inputs, {
    transA: true,
  });
  return { w1: w1Grad.data, b1: b1Grad, w2: w2Grad, b2: b2Grad };
}
