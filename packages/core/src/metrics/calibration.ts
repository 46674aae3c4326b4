/**
 * Expected calibration error with equal-width confidence bins (Naeini et al. 2015; Guo et al. 2017), the
 * bins of a reliability diagram, and classwise ECE (Kull et al. 2019). methods.md §6.
 */
import { assertInteger } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { assertProbsAndLabels } from './check-inputs';

/** Options for {@link expectedCalibrationError} and {@link classwiseCalibrationError}. */
export interface CalibrationOptions {
  /** Number M of equal-width bins on [0, 1]. @default 15 (Guo et al. 2017) */
  bins?: number;
}

/** One bin of a reliability diagram: the samples whose confidence lies in (lower, upper]. */
export interface CalibrationBin {
  readonly lower: number;
  readonly upper: number;
  /** Samples in the bin. When 0, `meanConfidence` and `accuracy` are 0 and the bin should not be drawn. */
  readonly count: number;
  /** Mean confidence of the bin's samples. */
  readonly meanConfidence: number;
  /** Fraction of the bin's samples whose predicted grade is correct (or, classwise, whose label is the class). */
  readonly accuracy: number;
}

/** Result of {@link expectedCalibrationError}. */
export interface CalibrationResult {
  /** ECE = Σ_m (|B_m| / n)·|acc(B_m) − conf(B_m)|. */
  readonly ece: number;
  /** MCE = max over non-empty bins of |acc(B_m) − conf(B_m)|. */
  readonly mce: number;
  /** All M bins, lowest first, empty ones included. */
  readonly bins: readonly CalibrationBin[];
}

/** Result of {@link classwiseCalibrationError}. */
export interface ClasswiseCalibrationResult {
  /** Mean over classes of the per-class ECE. */
  readonly ece: number;
  /** ECE of p_c against 1[y = c], per class c. */
  readonly perClass: Float64Array;
}

/** Bin edges m·(1/M), m = 0..M, built like `numpy.linspace(0, 1, M + 1)` so boundary values bin identically. */
function binEdges(m: number): Float64Array {
  const step = 1 / m;
  const edges = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) edges[i] = i * step;
  edges[m] = 1;
  return edges;
}

/** Index of the bin (edges[b], edges[b + 1]] holding `conf`; 0 also goes to the first bin. */
function binOf(conf: number, edges: Float64Array): number {
  const m = edges.length - 1;
  let b = Math.min(m - 1, Math.max(0, Math.ceil(conf * m) - 1));
  // The guess can be one off at a boundary because of rounding in conf·M: settle it against the edges.
  while (b > 0 && conf <= (edges[b] ?? 0)) b--;
  while (b < m - 1 && conf > (edges[b + 1] ?? 1)) b++;
  return b;
}

/** Bins (confidence, hit) pairs and returns ECE, MCE and the bins. */
function binCalibration(conf: Float64Array, hit: Uint8Array, m: number): CalibrationResult {
  const edges = binEdges(m);
  const count = new Float64Array(m);
  const confSum = new Float64Array(m);
  const hitSum = new Float64Array(m);
  for (let i = 0; i < conf.length; i++) {
    const c = conf[i] ?? 0;
    const b = binOf(c, edges);
    count[b] = (count[b] ?? 0) + 1;
    confSum[b] = (confSum[b] ?? 0) + c;
    hitSum[b] = (hitSum[b] ?? 0) + (hit[i] ?? 0);
  }
  const n = conf.length;
  let ece = 0;
  let mce = 0;
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < m; b++) {
    const size = count[b] ?? 0;
    const meanConfidence = size > 0 ? (confSum[b] ?? 0) / size : 0;
    const acc = size > 0 ? (hitSum[b] ?? 0) / size : 0;
    const gap = Math.abs(acc - meanConfidence);
    if (size > 0) {
      ece += (size / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({
      lower: edges[b] ?? 0,
      upper: edges[b + 1] ?? 1,
      count: size,
      meanConfidence,
      accuracy: acc,
    });
  }
  return { ece, mce, bins };
}

function checkBins(options: CalibrationOptions): number {
  const { bins = 15 } = options;
  assertInteger(bins, 'options.bins', { min: 1 });
  return bins;
}

/**
 * Top-label ECE and MCE: confidence conf_i = max_c p_ic, correct when arg-max_c p_ic = y_i (ties go to the
 * lower grade, like `numpy.argmax`). Bin m holds conf ∈ (m/M, (m+1)/M], as in Guo et al.'s reference code.
 *
 * @param probs - n × K grade probabilities (rows sum to 1)
 * @param labels - true grades in `[0, K)`
 * @throws RangeError when the sizes disagree, a probability is outside [0, 1] or a row does not sum to 1
 * @see Guo, Pleiss, Sun, Weinberger (2017), On Calibration of Modern Neural Networks, ICML. https://arxiv.org/abs/1706.04599
 * @see Naeini, Cooper, Hauskrecht (2015), Obtaining Well Calibrated Probabilities Using Bayesian Binning, AAAI.
 */
export function expectedCalibrationError(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): CalibrationResult {
  assertProbsAndLabels(probs, labels);
  const m = checkBins(options);
  const { rows: n, cols: k, data } = probs;
  const conf = new Float64Array(n);
  const hit = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if ((data[i * k + c] ?? 0) > (data[i * k + best] ?? 0)) best = c;
    conf[i] = data[i * k + best] ?? 0;
    hit[i] = best === labels[i] ? 1 : 0;
  }
  return binCalibration(conf, hit, m);
}

/**
 * Classwise ECE: for each class c, the ECE of p_ic as a forecast of 1[y_i = c] (bins as in
 * {@link expectedCalibrationError}, with p = 0 in the first bin), averaged over the K classes.
 *
 * @throws RangeError as {@link expectedCalibrationError}
 * @see Kull et al. (2019), Beyond temperature scaling: Obtaining well-calibrated multiclass probabilities with Dirichlet calibration, NeurIPS. https://arxiv.org/abs/1910.12656
 */
export function classwiseCalibrationError(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): ClasswiseCalibrationResult {
  assertProbsAndLabels(probs, labels);
  const m = checkBins(options);
  const { rows: n, cols: k, data } = probs;
  const perClass = new Float64Array(k);
  const conf = new Float64Array(n);
  const hit = new Uint8Array(n);
  let total = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      conf[i] = data[i * k + c] ?? 0;
      hit[i] = labels[i] === c ? 1 : 0;
    }
    const e = binCalibration(conf, hit, m).ece;
    perClass[c] = e;
    total += e;
  }
  return { ece: total / k, perClass };
}
