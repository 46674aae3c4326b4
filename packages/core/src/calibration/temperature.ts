/**
 * Temperature scaling (Guo et al. 2017): one scalar T > 0 dividing every logit, fitted by minimising the
 * negative log-likelihood of held-out labels. The arg-max is unchanged; only how confident the probabilities
 * are moves. methods.md §6 (ECE before and after).
 */
import {
  assertFinite,
  assertLabels,
  assertMatrix,
  assertNonEmpty,
  assertSameLength,
} from '../math/check';
import type { MatrixLike } from '../math/matrix';

/** Options for {@link fitTemperature}. */
export interface FitTemperatureOptions {
  /** T is searched in [min, max] (on the log scale). @default [0.05, 20] */
  bounds?: readonly [number, number];
  /** Stop when the bracket on log T is narrower than this. @default 1e-10 */
  tolerance?: number;
}

/** Result of {@link fitTemperature}. */
export interface TemperatureFit {
  /** The fitted T: calibrated probabilities are softmax(z / T). */
  readonly temperature: number;
  /** Mean NLL of the labels under softmax(z) (T = 1). */
  readonly nllBefore: number;
  /** Mean NLL under softmax(z / T) at the fitted T. */
  readonly nllAfter: number;
}

/**
 * Mean negative log-likelihood of `labels` under softmax(logits / T), with a stable log-sum-exp.
 * @throws RangeError for a bad matrix, labels out of range or T ≤ 0
 */
export function temperatureNll(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  temperature: number,
): number {
  if (!(temperature > 0) || !Number.isFinite(temperature))
    throw new RangeError(`temperature must be a positive finite number (got ${temperature})`);
  const { rows: n, cols: k, data } = logits;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, (data[i * k + c] ?? 0) / temperature);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((data[i * k + c] ?? 0) / temperature - max);
    total += max + Math.log(sum) - (data[i * k + (labels[i] ?? 0)] ?? 0) / temperature;
  }
  return total / n;
}

/**
 * Fits the temperature T minimising the mean NLL of softmax(z / T) by golden-section search on log T (the NLL
 * is convex in 1/T, hence unimodal in log T). Fit on a validation split, never on a test split.
 * @param logits - n × K logits (finite)
 * @param labels - integer grades in [0, K − 1]
 * @param options - search bounds and tolerance
 * @returns T and the NLL before (T = 1) and after
 * @throws RangeError for empty or unequal inputs, non-finite logits, labels out of range or bad bounds
 * @example fitTemperature(validationLogits, validationLabels).temperature // e.g. 1.31: the model was over-confident
 * @see https://arxiv.org/abs/1706.04599
 */
export function fitTemperature(
  logits: MatrixLike,
  labels: ArrayLike<number>,
  options: FitTemperatureOptions = {},
): TemperatureFit {
  const { bounds = [0.05, 20], tolerance = 1e-10 } = options;
  assertMatrix(logits, 'logits');
  assertFinite(logits.data, 'logits');
  assertNonEmpty(labels, 'labels');
  assertSameLength({ length: logits.rows }, labels, ['logits rows', 'labels']);
  assertLabels(labels, logits.cols);
  const [lo0, hi0] = bounds;
  if (!(lo0 > 0 && hi0 > lo0 && Number.isFinite(hi0)))
    throw new RangeError(`options.bounds must be 0 < min < max < ∞ (got ${String(bounds)})`);
  const f = (logT: number): number => temperatureNll(logits, labels, Math.exp(logT));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(lo0);
  let b = Math.log(hi0);
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > tolerance) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  const temperature = Math.exp((a + b) / 2);
  return {
    temperature,
    nllBefore: temperatureNll(logits, labels, 1),
    nllAfter: temperatureNll(logits, labels, temperature),
  };
}
