/**
 * An ordinal decision rule: cut points on a continuous grade score (the expected grade Σ_c c·p_c) chosen to
 * maximise macro-F1 on held-out labels. Arg-max rarely predicts a minority grade when its probability is
 * seldom the largest, so macro-F1 counts that grade as ≈ 0; cut points trade a little accuracy for it.
 */
import {
  assertFinite,
  assertInteger,
  assertLabels,
  assertNonEmpty,
  assertSameLength,
} from '../math/check';
import { classificationReport } from '../metrics/classification';
import { assertOverRecallCap, overRecallOf } from './over-recall-cap';

/** Options for {@link fitOrdinalThresholds}. */
export interface FitOrdinalThresholdsOptions {
  /** K, the number of grades (labels are in [0, K − 1]). @default 3 */
  grades?: number;
  /**
   * C, the grid: the candidate cut points are the order statistics `sorted[⌊i·n/C⌋]`, i = 1 … C − 1 (distinct
   * values). The search is exhaustive over non-decreasing (K − 1)-tuples, ≈ C^(K−1)/(K−1)! of them, so lower C
   * for K > 4. @default 100
   */
  candidates?: number;
  /**
   * Keep only cut points whose over-recall on the fitting data (share of grade-0 pairs decided above grade 0)
   * is at most this: the operating point of a product that must say "irrelevant" when it is. @default 1 (no cap)
   */
  maxOverRecall?: number;
}

/** Result of {@link fitOrdinalThresholds}. */
export interface OrdinalThresholds {
  /** t_1 ≤ … ≤ t_{K−1}: a score s gets grade #{c : t_c ≤ s} ({@link applyOrdinalThresholds}). */
  readonly thresholds: Float64Array;
  /** Macro-F1 of that rule on the fitting data (scikit-learn's `f1_score(average='macro')`). */
  readonly macroF1: number;
}

/**
 * Grades from scores and cut points: grade(s) = #{c : t_c ≤ s}, so s < t_1 → 0, t_1 ≤ s < t_2 → 1, ….
 * @param scores - continuous scores (e.g. expected grades), finite
 * @param thresholds - non-decreasing finite cut points (K − 1 of them for K grades)
 * @returns one grade per score
 * @throws RangeError for a non-finite score or threshold, or thresholds out of order
 * @example applyOrdinalThresholds([0.2, 1.1, 1.6], [1, 1.5]) // Int32Array [0, 1, 2]
 */
export function applyOrdinalThresholds(
  scores: ArrayLike<number>,
  thresholds: ArrayLike<number>,
): Int32Array {
  assertFinite(scores, 'scores');
  assertFinite(thresholds, 'thresholds');
  for (let c = 1; c < thresholds.length; c++) {
    if ((thresholds[c] ?? 0) < (thresholds[c - 1] ?? 0))
      throw new RangeError(
        `thresholds must be non-decreasing (thresholds[${c}] < thresholds[${c - 1}])`,
      );
  }
  const out = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    let g = 0;
    while (g < thresholds.length && (thresholds[g] ?? 0) <= (scores[i] ?? 0)) g++;
    out[i] = g;
  }
  return out;
}

/**
 * Fits the cut points of {@link applyOrdinalThresholds} that maximise macro-F1 on (scores, labels), by
 * exhaustive search over a quantile grid (see {@link FitOrdinalThresholdsOptions.candidates}). Ties keep
 * the first tuple in lexicographic order. Fit on a validation split, never on the test split.
 * @param scores - one continuous score per pair, finite
 * @param labels - integer grades in [0, K − 1]
 * @param options - K and the grid size
 * @returns the cut points and the macro-F1 they reach on the fitting data
 * @throws RangeError for empty or unequal-length inputs, non-finite scores, labels outside [0, K − 1], or a
 * bad `grades` / `candidates`
 * @example fitOrdinalThresholds(expectedGrades(probs), validationLabels).thresholds // e.g. [1.08, 1.40]
 * @see https://scikit-learn.org/1.2/modules/classification_threshold.html (tuning decision thresholds)
 * @see https://doi.org/10.1007/978-3-662-44851-9_15 (Lipton et al. 2014: optimal thresholding for F1)
 */
export function fitOrdinalThresholds(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: FitOrdinalThresholdsOptions = {},
): OrdinalThresholds {
  const { grades: k = 3, candidates = 100, maxOverRecall = 1 } = options;
  assertOverRecallCap(maxOverRecall);
  assertInteger(k, 'options.grades', { min: 2 });
  assertInteger(candidates, 'options.candidates', { min: 2 });
  assertNonEmpty(scores, 'scores');
  assertSameLength(scores, labels, ['scores', 'labels']);
  assertFinite(scores, 'scores');
  assertLabels(labels, k);
  return searchCutPoints(scores, labels, { k, candidates, maxOverRecall });
}

/**
 * The exhaustive cut-point search of {@link fitOrdinalThresholds} on checked input, with optional `base` counts
 * (a K × K row-major confusion of pairs decided elsewhere, e.g. forced to the lowest grade) added to every
 * candidate's confusion before its macro-F1 and over-recall are read. An empty `scores` is allowed when `base`
 * holds pairs (the cut points are then irrelevant; 0s are returned).
 * @internal
 */
export function searchCutPoints(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { k: number; candidates: number; maxOverRecall: number; base?: ArrayLike<number> },
): OrdinalThresholds {
  const { k, candidates, maxOverRecall, base } = options;
  const n = scores.length;
  const sorted = Float64Array.from(scores).sort();
  const cuts: number[] = [];
  for (let i = 1; i < candidates; i++) {
    const v = sorted[Math.floor((i * n) / candidates)] ?? 0;
    if (cuts.length === 0 || v !== cuts[cuts.length - 1]) cuts.push(v);
  }
  const m = cuts.length;
  // below[j·K + c]: pairs of grade c whose score is below cuts[j] (j = m: all pairs), by a binary search per pair.
  const below = new Float64Array((m + 1) * k);
  for (let i = 0; i < n; i++) {
    const s = scores[i] ?? 0;
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cuts[mid] ?? 0) <= s) lo = mid + 1;
      else hi = mid;
    }
    // lo = #{cuts ≤ s}: the pair counts as "below" every cut after index lo − 1.
    const at = lo * k + (labels[i] ?? 0);
    below[at] = (below[at] ?? 0) + 1;
  }
  for (let j = 1; j <= m; j++) {
    for (let c = 0; c < k; c++)
      below[j * k + c] = (below[j * k + c] ?? 0) + (below[(j - 1) * k + c] ?? 0);
  }
  const confusion = { rows: k, cols: k, data: new Float64Array(k * k) };
  const chosen = new Int32Array(k - 1);
  let best = { macroF1: -1, cut: Int32Array.from(chosen) };
  const score = (): void => {
    for (let c = 0; c < k * k; c++) confusion.data[c] = base?.[c] ?? 0;
    for (let g = 0; g < k; g++) {
      const from = g === 0 ? -1 : (chosen[g - 1] ?? 0);
      const to = g === k - 1 ? m : (chosen[g] ?? 0);
      for (let c = 0; c < k; c++) {
        const upper = below[to * k + c] ?? 0;
        const lower = from < 0 ? 0 : (below[from * k + c] ?? 0);
        confusion.data[c * k + g] = (confusion.data[c * k + g] ?? 0) + upper - lower;
      }
    }
    if (overRecallOf(confusion.data, k) > maxOverRecall) return;
    const f = classificationReport(confusion).macroF1;
    // Strictly better by more than rounding noise, so ties keep the first tuple (as the Python peer does).
    if (f > best.macroF1 + 1e-12) best = { macroF1: f, cut: Int32Array.from(chosen) };
  };
  const search = (depth: number, start: number): void => {
    if (depth === k - 1) {
      score();
      return;
    }
    for (let j = start; j < m; j++) {
      chosen[depth] = j;
      search(depth + 1, j);
    }
  };
  if (m === 0) score();
  else search(0, 0);
  return {
    thresholds: Float64Array.from(best.cut, (j) => cuts[j] ?? 0),
    macroF1: best.macroF1,
  };
}
