/**
 * @file `@gradeshift/core/web`: the onnxruntime-web entry, for browsers and Web Workers.
 *
 * Import it dynamically from client code (`await import('@gradeshift/core/web')`). Importing it loads no
 * runtime and touches no global: `createWebBackend` loads onnxruntime-web and configures `ort.env` on first
 * use. The neutral model types, the batched runner and the ONNX writer are re-exported so browser code needs this single import path.
 */
export {
  createWebBackend,
  WEB_DEVICE_PROVIDERS,
  type CreateWebBackendOptions,
  type WebDevice,
  type WebLogLevel,
} from './create-web-backend';
export { createRunQueue, type RunQueue } from './run-queue';
export * from '../model/platform-exports';
