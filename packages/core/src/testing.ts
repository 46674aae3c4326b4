/**
 * Test helpers of other workspaces (`@gradeshift/core/testing`): random scorer parameters, and the small bundle's
 * config, vocabulary and OOD score entries.
 * @internal
 */
export {
  createSmallBundle,
  graphOodScore,
  SMALL_BUNDLE_CONFIG,
  smallMahalanobis,
  smallParams,
  smallVocabulary,
} from './bundle/test-fixtures';
export { randomizeGateAndBiases, randomScorerParams } from './scorer/random-params';
export {
  tinyEncoderModel,
  tinyEncoderReference,
  type TinyEncoderOptions,
  type TinyEncoderWeights,
} from './encoder/tiny-encoder-fixture';
