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
export {
  onnxAttr,
  onnxDataTypeOf,
  onnxInput,
  onnxNode,
  onnxOutput,
  onnxTensor,
  onnxValueInfo,
  encodeOnnxModel,
  encodeTensor,
  encodeVarint,
  ONNX_DATA_TYPE,
  ONNX_ELEMENT_SIZE,
  ONNX_MODEL_DEFAULTS,
  ProtoWriter,
  shapeSize,
  tensorRawData,
  utf8Encode,
  validateOnnxGraph,
  WIRE_TYPE,
  type OnnxAttributeValue,
  type OnnxDataType,
  type OnnxDim,
  type OnnxGraphSpec,
  type OnnxModelSpec,
  type OnnxNodeIo,
  type OnnxNodeSpec,
  type OnnxOpsetImport,
  type OnnxTensorData,
  type OnnxTensorSpec,
  type OnnxValueInfoSpec,
} from './onnx/index';
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
