/**
 * A grade head over pair features: standardise (x − μ)·s, one hidden layer h = ReLU(W₁z + b₁), grade logits
 * W₂h + b₂. Its hidden layer is the `relevance` space of the OOD detectors. Forward and backward in plain loops
 * over Float64 weights; the features of a row are filled on demand ({@link PairFeatureSource}), so a split's
 * feature matrix is never materialised.
 */
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

/** Fills row `i` of the source and standardises it into `z`. */
function standardRow(
  head: GradeHeadParams,
  source: PairFeatureSource,
  i: number,
  z: Float64Array,
): void {
  source.fill(i, z);
  const { mean, scale } = head;
  for (let k = 0; k < z.length; k++) z[k] = ((z[k] ?? 0) - (mean[k] ?? 0)) * (scale[k] ?? 1);
}

/**
 * The forward pass over some rows of a source.
 * @param rows - the source rows to run, in output order
 * @throws RangeError when the source width differs from the head's inputs
 */
export function forwardGradeHead(
  head: GradeHeadParams,
  source: PairFeatureSource,
  rows: ArrayLike<number>,
): GradeHeadForward {
  const { inputs: d, hidden: h, grades: g, w1, b1, w2, b2 } = head;
  if (source.cols !== d)
    throw new RangeError(`the features have ${source.cols} columns, the head takes ${d}`);
  const n = rows.length;
  const hiddenOut = new Float64Array(n * h);
  const logits = new Float64Array(n * g);
  const z = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    standardRow(head, source, rows[r] ?? 0, z);
    for (let j = 0; j < h; j++) {
      let s = b1[j] ?? 0;
      const o = j * d;
      for (let k = 0; k < d; k++) s += (w1[o + k] ?? 0) * (z[k] ?? 0);
      hiddenOut[r * h + j] = s > 0 ? s : 0;
    }
    for (let c = 0; c < g; c++) {
      let s = b2[c] ?? 0;
      for (let j = 0; j < h; j++) s += (w2[c * h + j] ?? 0) * (hiddenOut[r * h + j] ?? 0);
      logits[r * g + c] = s;
    }
  }
  return { rows: n, hidden: hiddenOut, logits };
}

/**
 * The backward pass: gradients of the weights from ∂L/∂logits of the rows a forward pass ran.
 * @param gradLogits - rows × grades, ∂L/∂logits (e.g. a core loss's `grad`)
 */
export function backwardGradeHead(
  head: GradeHeadParams,
  source: PairFeatureSource,
  rows: ArrayLike<number>,
  forward: GradeHeadForward,
  gradLogits: ArrayLike<number>,
): GradeHeadGradients {
  const { inputs: d, hidden: h, grades: g, w2 } = head;
  const grads = {
    w1: new Float64Array(h * d),
    b1: new Float64Array(h),
    w2: new Float64Array(g * h),
    b2: new Float64Array(g),
  };
  const z = new Float64Array(d);
  const dh = new Float64Array(h);
  for (let r = 0; r < rows.length; r++) {
    dh.fill(0);
    for (let c = 0; c < g; c++) {
      const gl = gradLogits[r * g + c] ?? 0;
      grads.b2[c] = (grads.b2[c] ?? 0) + gl;
      for (let j = 0; j < h; j++) {
        const a = forward.hidden[r * h + j] ?? 0;
        grads.w2[c * h + j] = (grads.w2[c * h + j] ?? 0) + gl * a;
        dh[j] = (dh[j] ?? 0) + gl * (w2[c * h + j] ?? 0);
      }
    }
    standardRow(head, source, rows[r] ?? 0, z);
    for (let j = 0; j < h; j++) {
      // ReLU passes the gradient where the unit was active.
      const gj = (forward.hidden[r * h + j] ?? 0) > 0 ? (dh[j] ?? 0) : 0;
      if (gj === 0) continue;
      grads.b1[j] = (grads.b1[j] ?? 0) + gj;
      const o = j * d;
      for (let k = 0; k < d; k++) grads.w1[o + k] = (grads.w1[o + k] ?? 0) + gj * (z[k] ?? 0);
    }
  }
  return grads;
}
