/**
 * The relevance scorer: term-gated pooling of frozen word vectors, a shared projection and a two-layer MLP whose
 * second hidden layer is the OOD feature space. Forward and backward passes, parameters and input packing.
 */
export { backwardScorer, type BackwardScorerOptions } from './backward';
export {
  forwardScorer,
  type ForwardScorerOptions,
  type ScorerCache,
  type ScorerForward,
} from './forward';
export {
  createPairFeaturizer,
  type PairFeaturizer,
  type PairFeaturizerOptions,
  type TextPair,
} from './featurize-pairs';
export { FROZEN_SUMMARY_COUNT, precomputeFrozen, type FrozenBatch } from './frozen';
export {
  packScorerBatch,
  packTokenSlots,
  type PackedTokenSlots,
  type PackTokenSlotsOptions,
  type ScorerPairTokens,
} from './pack-token-slots';
export {
  decodeScorerParams,
  encodeScorerParams,
  PARAMS_FILE_MAGIC,
  PARAMS_FILE_VERSION,
  readScorerParamsHeader,
  type DecodeScorerParamsOptions,
  type EncodeScorerParamsOptions,
  type ParamsFileDtype,
  type ParamsFileHeader,
} from './params-file';
export { isParamsFileError, ParamsFileError, type ParamsFileProblem } from './params-file-error';
export { HEAD_PARAM_NAMES, TRAINABLE_PARAM_NAMES, type TrainableParamName } from './param-names';
export {
  cloneParams,
  flattenTrainable,
  initParams,
  interpolateParams,
  unflattenTrainable,
  type EmbeddingTable,
  type ScorerGradients,
  type ScorerParams,
  type ScorerTensor,
} from './params';
export {
  assertScorerConfig,
  createScorerConfig,
  DEFAULT_SCORER_CONFIG,
  MATCH_SUMMARY_COUNT,
  SCORER_CONSTANTS,
  scorerInputDim,
  type ScorerBatch,
  type ScorerConfig,
} from './types';
