/**
 * Cut points on the expected grade with a lowest-grade override: a pair whose probability of the lowest grade
 * (irrelevant) is at least τ is decided irrelevant whatever its expected grade; the others are cut as in
 * {@link fitOrdinalThresholds}. Cut points alone read one number, so a pair with P(irrelevant) = 0.45 but its
 * remaining mass on "strong" can land above the first cut; the override lets a rule say "irrelevant" when the
 * model's own probability says so, with τ fitted on validation like the cut points.
 */
import { assertFinite, assertInteger, assertMatrix, assertSameLength } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { assertRuleFitInputs } from './over-recall-cap';
import { applyOrdinalThresholds, searchCutPoints } from './ordinal-thresholds';

/** The τ grid of {@link fitThresholdsWithLowestOverride}: 0.30, 0.325, …, 0.80. */
export const LOWEST_OVERRIDE_GRID: readonly number[] = Object.freeze(
  Array.from({ length: 21 }, (_, i) => Math.round((0.3 + 0.025 * i) * 1000) / 1000),
);

/** Options for {@link fitThresholdsWithLowestOverride}. */
export interface FitLowestOverrideOptions {
  /** The cut-point grid size (see `FitOrdinalThresholdsOptions.candidates`). @default 100 */
  candidates?: number;
  /** τ values tried besides "no override". @default LOWEST_OVERRIDE_GRID */
  lowestAt?: readonly number[];
  /** Over-recall cap on the fitting data (see `FitOrdinalThresholdsOptions.maxOverRecall`). @default 1 */
  maxOverRecall?: number;
}

/** Result of {@link fitThresholdsWithLowestOverride}. */
export interface LowestOverrideThresholds {
  /** Cut points on the expected grade for the pairs not overridden. */
  readonly thresholds: Float64Array;
  /** τ: P(lowest grade) ≥ τ decides the lowest grade; null when no override did better than none. */
  readonly lowestAt: number | null;
  /** Macro-F1 of the whole rule on the fitting data. */
  readonly macroF1: number;
}

/**
 * Grades under cut points with a lowest-grade override: 0 when p_0 ≥ `lowestAt`, else #{c : t_c ≤ expected}.
 * @param probs - grade probabilities, n × K
 * @param expected - the rows' expected grades
 * @param rule - cut points and τ (undefined: no override)
 * @returns one grade per row
 * @throws RangeError for mismatched lengths, a τ outside (0, 1], or bad scores or cut points (see `applyOrdinalThresholds`)
 * @example applyLowestOverride({ rows: 1, cols: 3, data: [0.45, 0.05, 0.5] }, [1.05], { thresholds: [1, 1.5], lowestAt: 0.4 }) // Int32Array [0]
 */
export function applyLowestOverride(
  probs: MatrixLike,
  expected: ArrayLike<number>,
  rule: { thresholds: ArrayLike<number>; lowestAt?: number | undefined },
): Int32Array {
  assertMatrix(probs, 'probs');
  assertSameLength({ length: probs.rows }, expected, ['probs rows', 'expected']);
  const { thresholds, lowestAt } = rule;
  if (lowestAt !== undefined) assertLowestAt(lowestAt, 'lowestAt');
  const out = applyOrdinalThresholds(expected, thresholds);
  if (lowestAt === undefined) return out;
  for (let i = 0; i < probs.rows; i++)
    if ((probs.data[i * probs.cols] ?? 0) >= lowestAt) out[i] = 0;
  return out;
}

/** @throws RangeError unless τ is a finite number in (0, 1] @internal */
export function assertLowestAt(value: number, name: string): void {
  if (!(value > 0 && value <= 1))
    throw new RangeError(`${name} must be a number in (0, 1] (got ${String(value)})`);
}

/** The pairs left to the cut points under τ, and the confusion counts of the overridden ones (all decided 0). */
function splitByOverride(
  outputs: { probs: MatrixLike; expected: ArrayLike<number> },
  labels: ArrayLike<number>,
  tau: number | null,
) {
  const { probs, expected } = outputs;
  const k = probs.cols;
  const base = new Float64Array(k * k);
  const scores: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < probs.rows; i++) {
    const y = labels[i] ?? 0;
    if (tau !== null && (probs.data[i * k] ?? 0) >= tau) base[y * k] = (base[y * k] ?? 0) + 1;
    else {
      scores.push(expected[i] ?? 0);
      rest.push(y);
    }
  }
  return { base, scores, rest };
}

/**
 * Fits the cut points and τ of {@link applyLowestOverride} that maximise macro-F1 on (probs, labels): for "no
 * override" and every τ of the grid, the cut points are searched exhaustively on the pairs τ leaves (their
 * quantile grid), the overridden pairs counted as decided 0; the best pair (τ, cut points) is kept, "no
 * override" first, then τ from the highest down, on ties. So the result is never below
 * `fitOrdinalThresholds` on the same data. Fit on a validation split, never on the test split.
 * @param outputs - `probs`: grade probabilities, n × K; `expected`: the rows' expected grades Σ_c c·p_c
 * @param labels - integer grades in [0, K − 1]
 * @param options - the grids and the over-recall cap
 * @returns τ (or null), the cut points and the macro-F1 they reach; macroF1 −1 when no rule meets the cap
 * @throws RangeError for empty or mismatched input, labels outside [0, K − 1], a bad grid or cap
 * @example fitThresholdsWithLowestOverride({ probs: valProbs, expected: valExpected }, valLabels) // { lowestAt: 0.45, thresholds: [1.0, 1.4], … }
 */
export function fitThresholdsWithLowestOverride(
  outputs: { probs: MatrixLike; expected: ArrayLike<number> },
  labels: ArrayLike<number>,
  options: FitLowestOverrideOptions = {},
): LowestOverrideThresholds {
  const { probs, expected } = outputs;
  const { candidates = 100, lowestAt = LOWEST_OVERRIDE_GRID, maxOverRecall = 1 } = options;
  const k = assertRuleFitInputs(probs, labels, maxOverRecall);
  assertInteger(candidates, 'options.candidates', { min: 2 });
  assertSameLength(expected, labels, ['expected', 'labels']);
  assertFinite(expected, 'expected');
  lowestAt.forEach((t, i) => assertLowestAt(t, `options.lowestAt[${i}]`));
  const taus = [null, ...[...lowestAt].sort((a, b) => b - a)];
  let best: LowestOverrideThresholds = {
    thresholds: new Float64Array(k - 1),
    lowestAt: null,
    macroF1: -1,
  };
  for (const tau of taus) {
    const { base, scores, rest } = splitByOverride(outputs, labels, tau);
    const fit = searchCutPoints(scores, rest, { k, candidates, maxOverRecall, base });
    if (fit.macroF1 > best.macroF1 + 1e-12)
      best = { thresholds: fit.thresholds, lowestAt: tau, macroF1: fit.macroF1 };
  }
  return best;
}
