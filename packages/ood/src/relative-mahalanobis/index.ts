export {
  fitRelativeMahalanobis,
  type FitRelativeMahalanobisOptions,
} from './fit-relative-mahalanobis';
export {
  createRelativeMahalanobisDetector,
  type RelativeMahalanobisDetector,
  type RelativeMahalanobisDistances,
} from './create-relative-mahalanobis-detector';
export {
  RELATIVE_MAHALANOBIS_STATE_VERSION,
  type RelativeMahalanobisState,
} from './relative-mahalanobis-state';
