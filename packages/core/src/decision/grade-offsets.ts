/**
 * A prior-shift decision rule: grade = argmax_c (log p_c + b_c), with one additive offset per grade chosen to
 * maximise macro-F1 on held-out labels (b_0 = 0 fixes the scale-free direction). It is the arg-max of the
 * probabilities re-weighted by exp(b_c), the Bayes decision under other class priors or costs; unlike cut points
 * on the expected grade it reads the whole probability vector, so a pair whose mass is split between the outer
 * grades is not forced into the middle one.
 */
import { assertFinite, assertMatrix } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { assertRuleFitInputs } from './over-recall-cap';
import { createOffsetMacroF1 } from './offset-macro-f1';
import { BestOffsets, coordinateSearch, sweepGrid } from './offset-search';

/** Probabilities are floored here before the log, so a zero probability gives a finite log-score. */
const PROB_FLOOR = 1e-12;

/** Options for {@link fitGradeOffsets}. */
export interface FitGradeOffsetsOptions {
  /** Offsets are searched in [−range, range]. @default 4 */
  range?: number;
  /**
   * Steps of the coarse-to-fine search: an exhaustive grid at the first step over the whole range, then at each
   * finer step over ± the previous step around the best point so far. @default [0.5, 0.1, 0.02]
   */
  steps?: readonly number[];
  /**
   * Keep only offsets whose over-recall on the fitting data (share of grade-0 pairs decided above grade 0) is at
   * most this (see `FitOrdinalThresholdsOptions.maxOverRecall`). @default 1 (no cap)
   */
  maxOverRecall?: number;
}

/** Result of {@link fitGradeOffsets}. */
export interface GradeOffsets {
  /** b_0 … b_{K−1}, with b_0 = 0: a row gets argmax_c (log p_c + b_c) ({@link applyGradeOffsets}). */
  readonly offsets: Float64Array;
  /** Macro-F1 of that rule on the fitting data (scikit-learn's `f1_score(average='macro')`). */
  readonly macroF1: number;
}

/** Throws unless the range is positive and finite and the steps are positive, finite and no larger than it. */
function assertSearchGrid(range: number, steps: readonly number[]): void {
  if (!(range > 0) || !Number.isFinite(range))
    throw new RangeError(`options.range must be a positive finite number (got ${range})`);
  if (steps.length === 0 || steps.some((s) => !(s > 0) || !Number.isFinite(s) || s > range))
    throw new RangeError(
      `options.steps must be positive finite numbers no larger than the range (got ${JSON.stringify(steps)})`,
    );
}

/** Throws unless `offsets` holds K finite numbers. */
function assertOffsets(offsets: ArrayLike<number>, grades: number): void {
  if (offsets.length !== grades)
    throw new RangeError(
      `offsets must hold one value per grade, K = ${grades} (got ${offsets.length})`,
    );
  assertFinite(offsets, 'offsets');
}

/** log(max(p, floor)) of every probability, row-major. */
function logScores(probs: MatrixLike): Float64Array {
  return Float64Array.from(probs.data, (p) => Math.log(Math.max(p, PROB_FLOOR)));
}

/**
 * Grades of log-score rows (n × K) under offsets. Two probabilities one ulp apart can share a log, so a tie in log
 * space goes to the larger probability, then to the lower grade: zero offsets give exactly the arg-max.
 */
function decide(
  scores: { readonly logs: Float64Array; readonly probs: ArrayLike<number> },
  k: number,
  offsets: ArrayLike<number>,
): Int32Array {
  const { logs, probs } = scores;
  const out = new Int32Array(logs.length / k);
  for (let i = 0; i < out.length; i++) {
    let best = 0;
    let top = (logs[i * k] ?? 0) + (offsets[0] ?? 0);
    for (let c = 1; c < k; c++) {
      const v = (logs[i * k + c] ?? 0) + (offsets[c] ?? 0);
      if (v > top || (v === top && (probs[i * k + c] ?? 0) > (probs[i * k + best] ?? 0))) {
        top = v;
        best = c;
      }
    }
    out[i] = best;
  }
  return out;
}

/**
 * Grades from probabilities and offsets: argmax_c (log max(p_c, 1e-12) + b_c), ties to the lower grade.
 * @param probs - grade probabilities, n × K
 * @param offsets - K finite offsets (b_0 is usually 0)
 * @returns one grade per row
 * @throws RangeError for a bad or non-finite matrix, or offsets that are not K finite numbers
 * @example applyGradeOffsets({ rows: 1, cols: 3, data: [0.5, 0.3, 0.2] }, [0, 0.6, 0]) // Int32Array [1]
 */
export function applyGradeOffsets(probs: MatrixLike, offsets: ArrayLike<number>): Int32Array {
  assertMatrix(probs, 'probs');
  assertFinite(probs.data, 'probs');
  assertOffsets(offsets, probs.cols);
  return decide({ logs: logScores(probs), probs: probs.data }, probs.cols, offsets);
}

/**
 * Fits the offsets of {@link applyGradeOffsets} that maximise macro-F1 on (probs, labels) by a coarse-to-fine
 * grid search (see {@link FitGradeOffsetsOptions}): exhaustive over the K − 1 free offsets when K ≤ 3, cyclic
 * coordinate search (until no offset improves) for larger K. Offsets of 0 (the arg-max) are on every grid, so the
 * result is never below the arg-max on the fitting data. Ties keep the point found first, and among equal
 * macro-F1 the one closer to the arg-max. Fit on a validation split, never on the test split.
 * @param probs - grade probabilities, n × K (rows summing to 1)
 * @param labels - integer grades in [0, K − 1]
 * @param options - the search range and steps
 * @returns the offsets and the macro-F1 they reach on the fitting data
 * @throws RangeError for empty or unequal-length inputs, labels outside [0, K − 1] or a bad range / steps
 * @example fitGradeOffsets(validationProbs, validationLabels).offsets // e.g. [0, -0.4, 0.3]
 * @see https://doi.org/10.1162/089976602753284446 (Saerens et al. 2002: adjusting outputs to new priors)
 */
export function fitGradeOffsets(
  probs: MatrixLike,
  labels: ArrayLike<number>,
  options: FitGradeOffsetsOptions = {},
): GradeOffsets {
  const { range = 4, steps = [0.5, 0.1, 0.02], maxOverRecall = 1 } = options;
  const k = assertRuleFitInputs(probs, labels, maxOverRecall);
  assertSearchGrid(range, steps);
  const best = new BestOffsets(
    createOffsetMacroF1(logScores(probs), Int32Array.from(labels), { k, maxOverRecall }),
    k,
  );
  best.consider(new Float64Array(k));
  let half = range;
  for (const step of steps) {
    if (k <= 3) sweepGrid(best, { half, step, range });
    else coordinateSearch(best, { half, step, range });
    half = step;
  }
  return { offsets: best.offsets, macroF1: best.macroF1 };
}
