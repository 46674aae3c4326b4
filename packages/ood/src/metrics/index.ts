export { detectionError, type DetectionError } from './detection-error';
export { evaluateOod, type EvaluateOodOptions, type OodEvaluation } from './evaluate-ood';
