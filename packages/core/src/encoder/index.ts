/** Transformer encoders exported to ONNX: running them over texts and pooling their states. */
export { meanPool, type MeanPoolOptions } from './mean-pool';
export {
  createTextEncoder,
  type TextEmbeddings,
  type TextEncoder,
  type TextEncoderInput,
  type TextEncoderOptions,
} from './text-encoder';
export { checkVocabulary } from './check-vocabulary';
export {
  createCrossEncoder,
  type CrossEncoder,
  type CrossEncoderHidden,
  type CrossEncoderOptions,
  type CrossEncoderScores,
} from './cross-encoder';
export { runByLength, type BatchOutput } from './run-by-length';
export {
  backwardGradeHead,
  createGradeHead,
  featureStandardization,
  forwardGradeHead,
  type GradeHeadForward,
  type GradeHeadGradients,
  type GradeHeadParams,
  type PairFeatureSource,
} from './grade-head';
export {
  gradeHeadMacroF1,
  trainGradeHead,
  type GradeHeadDecision,
  type GradeHeadEpoch,
  type GradeHeadTrainSet,
  type GradeHeadValidationSet,
  type TrainedGradeHead,
  type TrainGradeHeadOptions,
} from './train-grade-head';
