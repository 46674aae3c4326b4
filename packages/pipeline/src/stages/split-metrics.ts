/**
 * The graded metrics of one scored split, each with a 95% bootstrap interval resampled by query
 * (queries are the independent units of a search data set, not pairs).
 *
 * Decision metrics (accuracy, macro-F1, over-recall, the confusion matrix) depend on how probabilities become a
 * grade: `options.decision` names the rule (default arg-max). Under another rule (ordinal thresholds fitted on
 * ID validation) the arg-max figures are kept beside them in `argmax`. The other metrics read the probabilities
 * only: RMSE and NDCG@10 the expected grade, ECE the top probability against the arg-max hit (calibration of
 * the probabilities, whatever rule is applied afterwards).
 */
import {
  bootstrapByQuery,
  bootstrapQueryMeans,
  classificationReport,
  confusionMatrix,
  decideGrades,
  expectedCalibrationError,
  meanNdcg,
  overRecall,
  type CalibrationBin,
  type GradeDecision,
} from '@gradeshift/core';
import { createMatrix, quantileSorted } from '@gradeshift/core/math';

import {
  DECISION_METRICS,
  SPLIT_METRICS,
  type DecisionMetricName,
  type SplitMetricName,
} from '../contract/metrics-schema';
import type { SplitOutputs } from './infer';

/** A metric value with its bootstrap interval. */
export interface IntervalEstimate {
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
}

export { DECISION_METRICS, SPLIT_METRICS, type DecisionMetricName, type SplitMetricName };

/** Decision metrics under arg-max, kept beside those of another rule. */
export type ArgmaxMetrics = Record<DecisionMetricName, IntervalEstimate> & {
  readonly confusion: number[][];
};

/** Metrics of one split. */
export type SplitMetrics = Record<SplitMetricName, IntervalEstimate> & {
  readonly n: number;
  readonly queries: number;
  /** The rule behind accuracy, macro_f1, over_recall and confusion. */
  readonly decision: GradeDecision['kind'];
  /** Confusion matrix of the decision rule, rows = true grade, columns = predicted. */
  readonly confusion: number[][];
  /** With a rule other than arg-max: accuracy, macro_f1, over_recall and confusion under arg-max. */
  readonly argmax?: ArgmaxMetrics;
  /** Reliability-diagram bins (15 equal-width bins of the top probability). */
  readonly reliability: readonly CalibrationBin[];
};

/** Options for {@link computeSplitMetrics}. */
export interface SplitMetricsOptions {
  /** Bootstrap resamples. @default 1000 */
  resamples?: number;
  /** @default 0 */
  seed?: number;
  /** Grades K. @default 3 */
  grades?: number;
  /** How probabilities become the predicted grade of the decision metrics. @default { kind: 'argmax' } */
  decision?: GradeDecision;
}

/** Per-pair values every resampled metric reads, computed once. */
interface Columns {
  readonly k: number;
  readonly labels: Int32Array;
  /** Grades under the decision rule. */
  readonly predicted: Int32Array;
  /** Arg-max grades (ECE's hits). */
  readonly argmax: Int32Array;
  readonly expected: Float64Array;
  readonly ratings: Float64Array;
  /** Top probability of each pair (ECE's confidence). */
  readonly confidence: Float64Array;
}

const ECE_BINS = 15;

/**
 * One resampled metric straight from the drawn indices (no copies): O(n) per resample, so 1000 resamples of a
 * 12k-pair split take well under a second. Definitions match `classificationReport`, `overRecall` and
 * `expectedCalibrationError` in core (15 equal-width bins, conf in (lo, hi]).
 */
function resampled(
  name: Exclude<SplitMetricName, 'ndcg@10'>,
  c: Columns,
  idx: Uint32Array,
): number {
  const n = idx.length;
  if (name === 'rmse') {
    let s = 0;
    for (const i of idx) s += ((c.expected[i] ?? 0) - (c.ratings[i] ?? 0)) ** 2;
    return Math.sqrt(s / n);
  }
  if (name === 'ece') {
    const count = new Float64Array(ECE_BINS);
    const conf = new Float64Array(ECE_BINS);
    const hit = new Float64Array(ECE_BINS);
    for (const i of idx) {
      const p = c.confidence[i] ?? 0;
      const b = Math.min(ECE_BINS - 1, Math.max(0, Math.ceil(p * ECE_BINS) - 1));
      count[b] = (count[b] ?? 0) + 1;
      conf[b] = (conf[b] ?? 0) + p;
      hit[b] = (hit[b] ?? 0) + (c.labels[i] === c.argmax[i] ? 1 : 0);
    }
    let ece = 0;
    for (let b = 0; b < ECE_BINS; b++) {
      const m = count[b] ?? 0;
      if (m > 0) ece += (m / n) * Math.abs((hit[b] ?? 0) / m - (conf[b] ?? 0) / m);
    }
    return ece;
  }
  const cm = createMatrix(c.k, c.k);
  for (const i of idx) {
    const at = (c.labels[i] ?? 0) * c.k + (c.predicted[i] ?? 0);
    cm.data[at] = (cm.data[at] ?? 0) + 1;
  }
  if (name === 'over_recall') return overRecall(cm).overRecallRate;
  const report = classificationReport(cm);
  return name === 'accuracy' ? report.accuracy : report.macroF1;
}

function confusionRows(labels: Int32Array, predicted: Int32Array, k: number): number[][] {
  const cm = confusionMatrix(labels, predicted, k);
  return Array.from({ length: k }, (_, i) => Array.from(cm.data.subarray(i * k, (i + 1) * k)));
}

/**
 * Computes every split metric with its interval. RMSE uses the rating mapped onto the grade axis when the data
 * has one, else the integer grade. NDCG@10 ranks each query's judged items by the expected grade (linear gains,
 * sklearn's tie handling); ECE uses 15 equal-width bins of the top probability. Accuracy, macro-F1, over-recall
 * and the confusion matrix use `options.decision` (arg-max figures in `argmax` when the rule is another).
 */
export function computeSplitMetrics(
  split: { labels: Int32Array; ratings: Float64Array; queries: readonly string[] },
  outputs: Pick<SplitOutputs, 'probs' | 'expected' | 'predicted'>,
  options: SplitMetricsOptions = {},
): SplitMetrics {
  return computeSplitMetricsWithDraws(split, outputs, options).metrics;
}

/** {@link SplitMetrics} and each metric's bootstrap distribution (the resampled values, in draw order). */
export interface SplitMetricsWithDraws {
  readonly metrics: SplitMetrics;
  readonly draws: Record<SplitMetricName, Float64Array>;
}

/**
 * {@link computeSplitMetrics}, keeping each metric's bootstrap distribution, from which the difference between
 * two independently resampled splits gets its interval (see `differenceOfDraws`).
 */
export function computeSplitMetricsWithDraws(
  split: { labels: Int32Array; ratings: Float64Array; queries: readonly string[] },
  outputs: Pick<SplitOutputs, 'probs' | 'expected' | 'predicted'>,
  options: SplitMetricsOptions = {},
): SplitMetricsWithDraws {
  const { resamples = 1000, seed = 0, grades: k = 3, decision = { kind: 'argmax' } } = options;
  const n = split.labels.length;
  const ratings = Float64Array.from(split.ratings, (r, i) =>
    Number.isFinite(r) ? r : (split.labels[i] ?? 0),
  );
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let c = 0; c < k; c++) top = Math.max(top, outputs.probs.data[i * k + c] ?? 0);
    confidence[i] = top;
  }
  const argmax = outputs.predicted;
  const predicted =
    decision.kind === 'argmax'
      ? argmax
      : decideGrades(outputs.probs, decision, { expected: outputs.expected });
  const columns: Columns = {
    k,
    labels: split.labels,
    predicted,
    argmax,
    expected: outputs.expected,
    ratings,
    confidence,
  };
  const bootstrap = { resamples, seed };
  const draws = {} as Record<SplitMetricName, Float64Array>;
  const interval = (
    name: SplitMetricName,
    cols: Columns,
  ): readonly [SplitMetricName, IntervalEstimate, Float64Array] => {
    const r =
      name === 'ndcg@10'
        ? bootstrapQueryMeans(
            meanNdcg(
              { scores: outputs.expected, labels: split.labels, queryIds: split.queries },
              { k: 10 },
            ).perQuery,
            bootstrap,
          )
        : bootstrapByQuery(
            split.queries,
            (sample) => resampled(name, cols, sample.indices),
            bootstrap,
          );
    return [name, { value: r.estimate, lo: r.lower, hi: r.upper }, r.distribution] as const;
  };
  const entries = SPLIT_METRICS.map((name) => {
    const [, estimate, distribution] = interval(name, columns);
    draws[name] = distribution;
    return [name, estimate] as const;
  });
  const metrics = {
    ...(Object.fromEntries(entries) as Record<SplitMetricName, IntervalEstimate>),
    n: split.labels.length,
    queries: new Set(split.queries).size,
    decision: decision.kind,
    confusion: confusionRows(split.labels, predicted, k),
    reliability: expectedCalibrationError(outputs.probs, split.labels).bins,
  };
  if (decision.kind === 'argmax') return { metrics, draws };
  // The same resamples (same seed) under arg-max, so the two rules' intervals are paired.
  const argmaxColumns = { ...columns, predicted: argmax };
  const argmaxEntries = DECISION_METRICS.map((name) => interval(name, argmaxColumns).slice(0, 2));
  return {
    metrics: {
      ...metrics,
      argmax: {
        ...(Object.fromEntries(argmaxEntries) as Record<DecisionMetricName, IntervalEstimate>),
        confusion: confusionRows(split.labels, argmax, k),
      },
    },
    draws,
  };
}

/** A difference of a statistic between two independently resampled samples. */
export interface DrawnDifference {
  readonly value: number;
  readonly lo: number;
  readonly hi: number;
  /** Two-sided bootstrap p-value of "no difference": (1 + draws on the other side of 0) / (B + 1), doubled. */
  readonly p: number;
}

/**
 * The difference a − b of one statistic with its 95% percentile interval and two-sided p-value, from the
 * bootstrap distributions of two independently resampled samples (draw r of a against draw r of b).
 * @throws RangeError when the distributions differ in length or are empty
 */
export function differenceOfDraws(
  estimates: { a: number; b: number },
  draws: { a: Float64Array; b: Float64Array },
): DrawnDifference {
  const n = draws.a.length;
  if (n === 0 || draws.b.length !== n)
    throw new RangeError(
      `both distributions need the same, non-zero length (got ${n} and ${draws.b.length})`,
    );
  const d = Float64Array.from(draws.a, (x, r) => x - (draws.b[r] ?? 0)).sort();
  let below = 0;
  let above = 0;
  for (const x of d) {
    if (x <= 0) below++;
    if (x >= 0) above++;
  }
  const p = Math.min(1, (2 * (1 + Math.min(below, above))) / (n + 1));
  return {
    value: estimates.a - estimates.b,
    lo: quantileSorted(d, 0.025),
    hi: quantileSorted(d, 0.975),
    p,
  };
}
