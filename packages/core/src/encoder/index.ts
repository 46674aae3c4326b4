/** Transformer encoders exported to ONNX: running them over texts and pooling their states. */
export { meanPool, type MeanPoolOptions } from './mean-pool';
export {
  createTextEncoder,
  type TextEmbeddings,
  type TextEncoder,
  type TextEncoderInput,
  type TextEncoderOptions,
} from './text-encoder';
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
