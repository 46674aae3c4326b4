/**
 * Decision rules from scores to grades beyond the arg-max.
 */
export {
  ARGMAX_DECISION,
  assertGradeDecision,
  decideGrades,
  GRADE_DECISION_KINDS,
  type GradeDecision,
} from './grade-decision';
export {
  applyGradeOffsets,
  fitGradeOffsets,
  type FitGradeOffsetsOptions,
  type GradeOffsets,
} from './grade-offsets';
export {
  applyOrdinalThresholds,
  fitOrdinalThresholds,
  type FitOrdinalThresholdsOptions,
  type OrdinalThresholds,
} from './ordinal-thresholds';
export {
  applyLowestOverride,
  fitThresholdsWithLowestOverride,
  LOWEST_OVERRIDE_GRID,
  type FitLowestOverrideOptions,
  type LowestOverrideThresholds,
} from './lowest-override';
export { describeDecision, type DecisionDescription } from './describe-decision';
