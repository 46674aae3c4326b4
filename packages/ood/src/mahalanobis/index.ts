export { fitMahalanobis, type FitMahalanobisOptions } from './fit-mahalanobis';
export {
  createMahalanobisDetector,
  type MahalanobisDetector,
  type MahalanobisStats,
} from './create-mahalanobis-detector';
export { MAHALANOBIS_STATE_VERSION, type MahalanobisState } from './mahalanobis-state';
export { ledoitWolfShrinkage } from './ledoit-wolf';
export {
  choleskyWithJitter,
  JITTER_MAX_TRIES,
  JITTER_START,
  type JitteredCholesky,
} from './cholesky-with-jitter';
export type { AppliedShrinkage, MahalanobisShrinkage } from './shrinkage';
export type { TiedGaussianState } from './tied-gaussian';
