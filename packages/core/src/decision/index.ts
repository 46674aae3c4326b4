/**
 * Decision rules from scores to grades beyond the arg-max.
 */
export {
  ARGMAX_DECISION,
  assertGradeDecision,
  decideGrades,
  type GradeDecision,
} from './grade-decision';
export {
  applyOrdinalThresholds,
  fitOrdinalThresholds,
  type FitOrdinalThresholdsOptions,
  type OrdinalThresholds,
} from './ordinal-thresholds';
