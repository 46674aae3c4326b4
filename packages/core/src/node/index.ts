/**
 * @file `@gradeshift/core/node`: the onnxruntime-node entry.
 *
 * Importing this module loads nothing native: `createNodeBackend` and `createOrtGemm` import
 * onnxruntime-node on first use and pass every setting through session options. The neutral model types,
 * the batched runner and the ONNX writer are re-exported so a Node app needs this single import path.
 */
export {
  createNodeBackend,
  type CreateNodeBackendOptions,
  type NodeInferenceBackend,
} from './create-node-backend';
export { createOrtGemm, type CreateOrtGemmOptions, type OrtGemm } from './create-ort-gemm';
export {
  NODE_DEVICE_PROVIDERS,
  resolveExecutionProviders,
  type NodeDevice,
} from './execution-providers';
export { loadModelFile } from './load-model-file';
export {
  createNativeGuard,
  guardNative,
  installNativeGuard,
  terminateOutsideNative,
} from './native-guard';
export { loadTokenizerFile } from './load-tokenizer-file';
export { sha256Hex } from './sha256-hex';
export * from '../model/platform-exports';
