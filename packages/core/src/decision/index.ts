/**
 * Decision rules from scores to grades beyond the arg-max.
 */
export {
  applyOrdinalThresholds,
  fitOrdinalThresholds,
  type FitOrdinalThresholdsOptions,
  type OrdinalThresholds,
} from './ordinal-thresholds';
