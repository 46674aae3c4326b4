/**
 * The model layer: the `InferenceBackend` port, tensor helpers, the batched runner and the ONNX writer.
 * Platform-neutral; runtimes plug in through `@gradeshift/core/node` and `@gradeshift/core/web`.
 */
export type {
  GraphOptimizationLevel,
  InferenceBackend,
  InferenceSessionLike,
  InferenceSessionOptions,
  TensorData,
  TensorLike,
  TensorMetadata,
  TensorType,
} from './backend';
export { checkFeeds, matchesDeclaredShape } from './check-feeds';
export { DEFAULT_BATCH_SIZE, runBatched, type RunBatchedOptions } from './model-runner';
export * from './onnx/index';
export {
  allocateTensorData,
  assertTensor,
  createTensor,
  isTensorType,
  sliceRows,
  TENSOR_TYPES,
  tensorSize,
  toTensorLike,
} from './tensor';
