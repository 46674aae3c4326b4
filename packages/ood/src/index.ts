/**
 * `@gradeshift/ood`: platform-neutral out-of-distribution detectors (higher score = more OOD), their metrics,
 * percentile calibration and thresholds, and distribution-aware sample selection.
 */
export { OodError, isOodError, type OodErrorCode } from './errors';
export {
  type DetectorComputeOptions,
  type DetectorFitInput,
  type DetectorInput,
  type DetectorKind,
  type FittedStateBase,
  type OodDetector,
} from './detector';
export {
  fitMahalanobis,
  createMahalanobisDetector,
  ledoitWolfShrinkage,
  choleskyWithJitter,
  MAHALANOBIS_STATE_VERSION,
  JITTER_START,
  JITTER_MAX_TRIES,
  type FitMahalanobisOptions,
  type MahalanobisDetector,
  type MahalanobisStats,
  type MahalanobisState,
  type MahalanobisShrinkage,
  type AppliedShrinkage,
  type TiedGaussianState,
  type JitteredCholesky,
} from './mahalanobis/index';
export {
  fitRelativeMahalanobis,
  createRelativeMahalanobisDetector,
  RELATIVE_MAHALANOBIS_STATE_VERSION,
  type FitRelativeMahalanobisOptions,
  type RelativeMahalanobisDetector,
  type RelativeMahalanobisDistances,
  type RelativeMahalanobisState,
} from './relative-mahalanobis/index';
export {
  fitEnergy,
  createEnergyDetector,
  energyScores,
  assertTemperature,
  ENERGY_STATE_VERSION,
  type EnergyState,
  type FitEnergyOptions,
} from './energy/index';
export {
  fitMsp,
  createMspDetector,
  mspScores,
  MSP_STATE_VERSION,
  type FitMspOptions,
  type MspState,
  fitMaxLogit,
  createMaxLogitDetector,
  maxLogitScores,
  MAX_LOGIT_STATE_VERSION,
  type FitMaxLogitOptions,
  type MaxLogitState,
} from './logit-scores/index';
export {
  fitKnn,
  createKnnDetector,
  kthNeighbourDistance,
  kthSmallestInPlace,
  l2NormalizeRows,
  L2_NORM_EPSILON,
  KNN_MAX_CHUNK_ENTRIES,
  KNN_STATE_VERSION,
  type FitKnnOptions,
  type KnnComputeOptions,
  type KnnState,
  type KthNeighbourDistanceOptions,
} from './knn/index';
export { loadDetector, DETECTOR_STATE_VERSIONS, type LoadDetectorOptions } from './load-detector';
