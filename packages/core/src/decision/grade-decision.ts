/**
 * The decision rule that turns grade probabilities into one predicted grade: the arg-max, ordinal cut points on
 * the expected grade ({@link fitOrdinalThresholds}), or per-grade offsets on the log-probabilities
 * ({@link fitGradeOffsets}). Plain JSON, so a model bundle can carry the rule
 * its metrics were computed with and every scorer predicts the same grades.
 */
import { assertFinite, assertMatrix } from '../math/check';
import type { MatrixLike } from '../math/matrix';
import { expectedGrades, predictedGrades } from '../grades/predict';
import { applyGradeOffsets } from './grade-offsets';
import { applyLowestOverride, assertLowestAt } from './lowest-override';
import { applyOrdinalThresholds } from './ordinal-thresholds';

/**
 * A decision rule:
 * - `argmax`: the most probable grade (ties to the lower grade);
 * - `ordinal-thresholds`: grade = #{c : t_c ≤ Σ_c c·p_c} with K − 1 non-decreasing cut points t; with `lowestAt`
 *   (τ in (0, 1]), grade 0 whenever p_0 ≥ τ, before the cut points ({@link applyLowestOverride});
 * - `grade-offsets`: grade = argmax_c (log p_c + b_c) with K finite offsets b (ties to the lower grade).
 */
export type GradeDecision =
  | { readonly kind: 'argmax' }
  | {
      readonly kind: 'ordinal-thresholds';
      readonly thresholds: readonly number[];
      readonly lowestAt?: number;
    }
  | { readonly kind: 'grade-offsets'; readonly offsets: readonly number[] };

/** The kinds of {@link GradeDecision}. */
export const GRADE_DECISION_KINDS: readonly GradeDecision['kind'][] = Object.freeze([
  'argmax',
  'ordinal-thresholds',
  'grade-offsets',
]);

/** The arg-max rule. */
export const ARGMAX_DECISION: GradeDecision = Object.freeze({ kind: 'argmax' });

/**
 * Throws unless `decision` is a valid rule for K grades.
 * @throws TypeError for an unknown kind; RangeError when the thresholds are not K − 1 finite non-decreasing numbers
 *   or the offsets not K finite numbers, or a `lowestAt` outside (0, 1]
 */
export function assertGradeDecision(decision: GradeDecision, grades: number): void {
  if (decision.kind === 'argmax') return;
  if (decision.kind === 'grade-offsets') {
    const b = decision.offsets;
    if (!Array.isArray(b) || b.length !== grades)
      throw new RangeError(
        `decision.offsets must hold one offset per grade, K = ${grades} (got ${Array.isArray(b) ? b.length : typeof b})`,
      );
    assertFinite(b, 'decision.offsets');
    return;
  }
  if (decision.kind !== 'ordinal-thresholds')
    throw new TypeError(
      `unknown decision kind ${JSON.stringify((decision as { kind: unknown }).kind)}`,
    );
  const t = decision.thresholds;
  if (!Array.isArray(t) || t.length !== grades - 1)
    throw new RangeError(
      `decision.thresholds must hold K − 1 = ${grades - 1} cut points (got ${Array.isArray(t) ? t.length : typeof t})`,
    );
  assertFinite(t, 'decision.thresholds');
  for (let c = 1; c < t.length; c++) {
    if ((t[c] ?? 0) < (t[c - 1] ?? 0))
      throw new RangeError(
        `decision.thresholds must be non-decreasing (thresholds[${c}] < thresholds[${c - 1}])`,
      );
  }
  if (decision.lowestAt !== undefined) assertLowestAt(decision.lowestAt, 'decision.lowestAt');
}

/**
 * Predicted grades of probability rows under a decision rule.
 * @param probs - grade probabilities, n × K
 * @param decision - the rule ({@link ARGMAX_DECISION}, fitted cut points or fitted offsets)
 * @param options - `expected`: the expected grades of the rows when already computed (e.g. an ONNX output), so
 *   the cut points compare the very numbers reported beside the grade
 * @returns one grade per row in [0, K − 1]
 * @throws RangeError for a bad matrix or a rule that does not fit K (see {@link assertGradeDecision})
 * @example decideGrades(probs, { kind: 'ordinal-thresholds', thresholds: [0.9, 1.6] })
 */
export function decideGrades(
  probs: MatrixLike,
  decision: GradeDecision,
  options: { expected?: ArrayLike<number> } = {},
): Int32Array {
  assertMatrix(probs, 'probs');
  assertGradeDecision(decision, probs.cols);
  if (decision.kind === 'argmax') return predictedGrades(probs);
  if (decision.kind === 'grade-offsets') return applyGradeOffsets(probs, decision.offsets);
  const { expected = expectedGrades(probs) } = options;
  if (expected.length !== probs.rows)
    throw new RangeError(
      `options.expected must hold one value per row (got ${expected.length} for ${probs.rows})`,
    );
  if (decision.lowestAt !== undefined) return applyLowestOverride(probs, expected, decision);
  return applyOrdinalThresholds(expected, decision.thresholds);
}
