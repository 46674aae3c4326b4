/**
 * External predictions: a relevance model that runs elsewhere, evaluated from a JSONL file of its outputs against
 * an in-distribution reference file.
 */
export {
  evaluatePredictions,
  type EvaluatePredictionsOptions,
  type PredictionsEvaluation,
} from './evaluate-predictions';
export { fitReference, type FittedReference } from './fit-reference';
export { REFERENCE_SPLIT_METHOD } from './external-report';
export {
  EXTERNAL_KNN_K,
  fitExternalDetectors,
  scoreExternal,
  type FittedExternalScore,
  type ExternalOutputs,
  type ExternalScore,
} from './external-detectors';
export {
  pathOfInput,
  readInputs,
  type PredictionInputs,
  type PredictionsInput,
} from './prediction-inputs';
export { readNpy, type NpyMatrix } from './read-npy';
export {
  PROBS_SUM_TOLERANCE,
  type PredictionOutput,
  type PredictionShape,
} from './prediction-line';
export {
  readPredictionFile,
  type PredictionFile,
  type ReadPredictionsOptions,
} from './read-predictions';
export { fnv1a32, splitReferenceByQuery, type ReferenceHalves } from './split-reference';
