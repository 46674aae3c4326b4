/**
 * The ONNX writer: a platform-neutral protobuf encoder for ONNX models, so graphs built in TypeScript
 * run in onnxruntime-node and onnxruntime-web without Python tooling.
 */
export {
  onnxAttr,
  onnxDataTypeOf,
  onnxInput,
  onnxNode,
  onnxOutput,
  onnxTensor,
  onnxValueInfo,
  type OnnxNodeIo,
} from './builders';
export { encodeOnnxModel, ONNX_MODEL_DEFAULTS } from './encode-model';
export { encodeTensor, ONNX_ELEMENT_SIZE, shapeSize, tensorRawData } from './encode-tensor';
export * from './onnx-types';
export { encodeVarint, ProtoWriter, utf8Encode, WIRE_TYPE } from './proto-writer';
export { validateOnnxGraph } from './validate-graph';
export {
  findEmbeddingTable,
  findEmbeddingTables,
  type OnnxEmbeddingTable,
  type OnnxEmbeddingTables,
} from './find-embedding-table';
