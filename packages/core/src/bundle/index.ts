/**
 * Model bundles: the scorer exported as one ONNX graph (with its in-graph OOD scores), the bundle manifest and
 * its validator, and the single scoring path from raw text that the API and the dashboard share.
 */
export { scorerBatchFeeds, toInt64Ids } from './batch-feeds';
export {
  completeBundleManifest,
  createBundleManifest,
  type BundleManifestDraft,
  type CreateBundleManifestOptions,
} from './create-manifest';
export { exportScorerOnnx, type ExportScorerOnnxOptions } from './export-scorer-onnx';
export {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  bundleOutputNames,
  OOD_SPACES,
  parseManifest,
  type BundleDetectorInput,
  type OodSpace,
  type BundleDetectorState,
  type BundleFeatures,
  type BundleManifest,
  type BundleModel,
  type BundleOodScore,
  type BundleOodSource,
  type BundlePercentileCalibration,
  type BundleText,
  type BundleTraining,
} from './manifest';
export {
  SCORER_ONNX_INPUTS,
  SCORER_ONNX_OOD_OUTPUTS,
  SCORER_ONNX_OPSET,
  SCORER_ONNX_OUTPUTS,
  roleNames,
  type ScorerOnnxInputNames,
  type ScorerOnnxOutputNames,
} from './onnx-names';
export { MAHALANOBIS_NORM_EPSILON, type MahalanobisGraphState } from './ood-graph';
export { idPercentiles } from './percentile';
export {
  parsePrepareSettings,
  prepareOptionsFromSettings,
  prepareSettingsFromOptions,
  type PrepareTextSettings,
} from './prepare-settings';
export { parseOodScores } from './manifest-ood';
export {
  bundleFeaturizerKey,
  createBundleFeaturizer,
  createBundleScorer,
  type BundleBatchScores,
  bundleOodResult,
  type BundleOodResult,
  type BundlePairScores,
  type BundleScorer,
  type CreateBundleScorerOptions,
  type ExternalOodDetector,
  type ScorePairsOptions,
} from './score-pairs';
export {
  ENCODER_HEAD_ONNX,
  encoderHeadOnnx,
  type EncoderHeadBlock,
  type EncoderHeadLayout,
} from './encoder-head-graph';
export {
  checkEncoderBundleDecisions,
  encoderBundleFiles,
  ENCODER_BUNDLE_FORMAT,
  isEncoderBundleManifest,
  parseEncoderBundleManifest,
  type EncoderBundleDecisions,
  type EncoderBundleFile,
  type EncoderBundleManifest,
} from './encoder-bundle-manifest';
export {
  contentRows,
  embedPairTexts,
  encoderBundleOutputs,
  scoreEncoderBundleHead,
  type EmbeddedPairTexts,
  type EmbedTexts,
  type EncoderBundleDecisionParts,
  type EncoderBundleDetector,
  type EncoderBundleOutputs,
  type EncoderBundlePair,
  type EncoderBundleScores,
} from './encoder-bundle-scores';
export {
  CROSS_ENCODER_BUNDLE_FORMAT,
  crossEncoderBundleFiles,
  isCrossEncoderBundleManifest,
  parseCrossEncoderBundleManifest,
  type CrossEncoderBundleManifest,
  type CrossEncoderLogitMapping,
} from './cross-encoder-bundle-manifest';
export { crossEncoderBundleOutputs, mapCrossEncoderLogits } from './cross-encoder-bundle-scores';
