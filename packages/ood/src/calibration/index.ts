export {
  fitPercentileCalibration,
  loadPercentileCalibration,
  PERCENTILE_CALIBRATION_VERSION,
  type PercentileCalibration,
  type PercentileCalibrationState,
} from './percentile-calibration';
export { fuseScores, type FuseMethod, type FuseScoresOptions } from '@gradeshift/core/math';
export { flagOod, thresholdAtTpr } from './threshold-at-tpr';
