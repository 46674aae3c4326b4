/**
 * Graded-relevance evaluation metrics (methods.md §6): classification, kappa, regression, NDCG, AUROC,
 * calibration, error direction, and query-level bootstrap and paired tests.
 */
export { auroc } from './auroc';
export { averagePrecision } from './average-precision';
export { rocCurve, type RocCurve, type RocCurveOptions } from './roc-curve';
export {
  bootstrapByQuery,
  bootstrapQueryMeans,
  gather,
  type BootstrapMeansOptions,
  type BootstrapOptions,
  type BootstrapResult,
  type QueryResample,
} from './bootstrap';
export {
  classwiseCalibrationError,
  expectedCalibrationError,
  type CalibrationBin,
  type CalibrationOptions,
  type CalibrationResult,
  type ClasswiseCalibrationResult,
} from './calibration';
export {
  accuracy,
  classificationReport,
  type ClassificationReport,
  type ClassificationReportOptions,
} from './classification';
export { confusionMatrix, gradeErrorDistances, type GradeErrorDistances } from './confusion-matrix';
export { regularizedIncompleteBeta, type IncompleteBetaPair } from './incomplete-beta';
export { weightedKappa, type KappaWeights, type WeightedKappaOptions } from './kappa';
export { logBeta, logGamma } from './log-gamma';
export {
  meanNdcg,
  queryNdcg,
  type NdcgGain,
  type NdcgInput,
  type NdcgOptions,
  type NdcgResult,
} from './ndcg';
export { overRecall, type OverRecallResult } from './over-recall';
export {
  comparePaired,
  pairedBootstrap,
  type ComparePairedOptions,
  type PairedComparison,
} from './paired-test';
export { pairedTTest, type PairedTTestResult } from './paired-t-test';
export {
  brierScore,
  negativeLogLikelihood,
  type NegativeLogLikelihoodOptions,
} from './proper-scores';
export { groupByQuery, type QueryGroups, type QueryId } from './query-groups';
export {
  expectedGradeErrors,
  gradeRegressionErrors,
  ratingsToGradeAxis,
  type GradeRegressionErrors,
  type RatingRange,
} from './rmse';
export { signFlipTest, type SignFlipTestOptions, type SignFlipTestResult } from './sign-flip-test';
export {
  gradeAtLeastAuroc,
  relevantVsIrrelevantAuroc,
  strongVsRestAuroc,
  type GradeAtLeastAurocOptions,
  type GradeAurocOptions,
} from './strong-vs-rest';
export { studentTCdf, studentTSurvival, studentTTwoSided } from './student-t';
