/**
 * OOD scores inside the exported scorer graph: the Mahalanobis distance to the closest grade on the feature
 * output, and the free energy of the logits. Both follow the `@gradeshift/ood` detectors exactly (the same
 * normalisation and epsilon), in float32.
 * @internal
 */
import { onnxAttr } from '../model/onnx/builders';
import { L2_NORM_EPSILON } from '../math/l2-norm-epsilon';
import type { GraphBuilder } from './graph-builder';
import { SCORER_ONNX_OOD_OUTPUTS } from './onnx-names';

/** ε of the L2 normalisation `h / (‖h‖₂ + ε)` of the Mahalanobis detector: the detectors' own constant. */
export const MAHALANOBIS_NORM_EPSILON = L2_NORM_EPSILON;

/**
 * The part of a fitted Mahalanobis state the graph needs; a `MahalanobisState` of `@gradeshift/ood` is one.
 */
export interface MahalanobisGraphState {
  /** d, the feature width (H2 of the scorer). */
  readonly dim: number;
  /** K, the number of class means. */
  readonly numClasses: number;
  /** L2-normalise features first (Mahalanobis++). */
  readonly normalize: boolean;
  /** K × d class means μ_c, row-major (in the normalised space when `normalize`). */
  readonly means: ArrayLike<number>;
  /** d × d whitening W = L⁻¹ of the tied covariance (Σ⁻¹ = WᵀW), row-major. */
  readonly whitening: ArrayLike<number>;
}

const DROP = { keepdims: onnxAttr.int(0) };

/**
 * `ood_mahalanobis` = min_c ‖W·(n(h) − μ_c)‖², with n(h) = h / (‖h‖ + 1e-10) when the state normalises.
 * The difference is taken before whitening, so a feature near a mean loses no precision to cancellation.
 * @see https://arxiv.org/abs/1807.03888 (Lee et al. 2018, Eq. 2)
 * @internal
 */
export function addMahalanobis(
  g: GraphBuilder,
  input: {
    features: string;
    state: MahalanobisGraphState;
    /** Prefix of the node and initializer names. @default 'maha' */
    prefix?: string;
    /** Name of the score output. @default SCORER_ONNX_OOD_OUTPUTS.mahalanobis */
    output?: string;
  },
): string {
  const {
    features,
    state,
    prefix: p = 'maha',
    output = SCORER_ONNX_OOD_OUTPUTS.mahalanobis,
  } = input;
  const d = state.dim;
  const transposed = new Float32Array(d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c < d; c++) transposed[c * d + r] = state.whitening[r * d + c] ?? 0;
  g.floats(`${p}_means`, state.means, [state.numClasses, d]);
  g.initializer({ name: `${p}_whitening_t`, dataType: 'float32', dims: [d, d], data: transposed });
  let rows = features;
  if (state.normalize) {
    g.scalar(`${p}_norm_epsilon`, MAHALANOBIS_NORM_EPSILON);
    const norms = g.op(
      'ReduceL2',
      { inputs: [features, g.axes(1)], output: `${p}_norms` },
      { keepdims: onnxAttr.int(1) },
    );
    const denominators = g.op('Add', {
      inputs: [norms, `${p}_norm_epsilon`],
      output: `${p}_norm_denominators`,
    });
    rows = g.op('Div', { inputs: [features, denominators], output: `${p}_normalized` });
  }
  const expanded = g.op('Unsqueeze', { inputs: [rows, g.axes(1)], output: `${p}_rows` });
  const centred = g.op('Sub', { inputs: [expanded, `${p}_means`], output: `${p}_centred` });
  // Row vectors times Wᵀ: (x − μ_c)ᵀ·Wᵀ = (W·(x − μ_c))ᵀ, for all K classes at once ([B, K, d]).
  const whitened = g.op('MatMul', {
    inputs: [centred, `${p}_whitening_t`],
    output: `${p}_whitened`,
  });
  const squares = g.op('Mul', { inputs: [whitened, whitened], output: `${p}_squares` });
  const distances = g.op(
    'ReduceSum',
    { inputs: [squares, g.axes(2)], output: `${p}_class_distances` },
    DROP,
  );
  return g.op('ReduceMin', { inputs: [distances, g.axes(1)], output }, DROP);
}

/**
 * `ood_energy` = −T·logsumexp(logits / T) (Liu et al. 2020); onnxruntime's ReduceLogSumExp subtracts the
 * row maximum first, so large logits do not overflow.
 * @see https://arxiv.org/abs/2010.03759
 * @internal
 */
export function addEnergy(g: GraphBuilder, input: { logits: string; temperature: number }): string {
  g.scalar('energy_temperature', input.temperature);
  g.scalar('energy_negative_temperature', -input.temperature);
  const scaled = g.op('Div', {
    inputs: [input.logits, 'energy_temperature'],
    output: 'energy_scaled_logits',
  });
  const lse = g.op(
    'ReduceLogSumExp',
    { inputs: [scaled, g.axes(1)], output: 'energy_log_sum_exp' },
    DROP,
  );
  return g.op('Mul', {
    inputs: [lse, 'energy_negative_temperature'],
    output: SCORER_ONNX_OOD_OUTPUTS.energy,
  });
}
