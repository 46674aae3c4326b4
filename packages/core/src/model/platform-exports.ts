/**
 * The neutral model API every platform entry re-exports (`@gradeshift/core/node`, `@gradeshift/core/web`, and
 * the root entry): the `InferenceBackend` port and its tensor types, `createTensor`, the batched runner and the
 * ONNX writer's builders, and the transformer side (the subword tokenizer built from `tokenizer.json` contents,
 * the text encoder and cross-encoder runners), so an app needs a single import path. One list, so the entries
 * cannot drift apart.
 */
export {
  createTensor,
  encodeOnnxModel,
  onnxAttr,
  onnxInput,
  onnxNode,
  onnxOutput,
  onnxTensor,
  onnxValueInfo,
  runBatched,
  type GraphOptimizationLevel,
  type InferenceBackend,
  type InferenceSessionLike,
  type InferenceSessionOptions,
  type RunBatchedOptions,
  type TensorData,
  type TensorLike,
  type TensorMetadata,
  type OnnxAttributeValue,
  type OnnxDataType,
  type OnnxDim,
  type OnnxGraphSpec,
  type OnnxModelSpec,
  type OnnxNodeSpec,
  type OnnxTensorSpec,
  type OnnxValueInfoSpec,
  type TensorType,
} from './index';
export {
  createSubwordTokenizer,
  packEncodings,
  tokenizerFromJson,
  type CreateSubwordTokenizerOptions,
  type PackedEncodings,
  type SubwordEncodeOptions,
  type SubwordEncoding,
  type SubwordTokenizer,
} from '../subword/index';
export {
  createCrossEncoder,
  createTextEncoder,
  type CrossEncoder,
  type CrossEncoderOptions,
  type CrossEncoderScores,
  type TextEmbeddings,
  type TextEncoder,
  type TextEncoderInput,
  type TextEncoderOptions,
} from '../encoder/index';
