export {
  fitPercentileCalibration,
  loadPercentileCalibration,
  PERCENTILE_CALIBRATION_VERSION,
  type PercentileCalibration,
  type PercentileCalibrationState,
} from './percentile-calibration';
export { fuseScores, type FuseMethod, type FuseScoresOptions } from './fuse-scores';
export { flagOod, thresholdAtTpr } from './threshold-at-tpr';
