/**
 * The worker's onnxruntime-web backend, created on first use (`@gradeshift/core/web` loads the runtime then),
 * with the WASM files the dashboard serves itself.
 */
import type { InferenceBackend } from '@gradeshift/core';

/** Where `scripts/copy-ort.ts` puts onnxruntime-web's WASM files. */
const WASM_PATHS = '/ort/';

let backend: Promise<InferenceBackend> | undefined;

/** The worker's backend. */
export function webBackend(): Promise<InferenceBackend> {
  backend ??= import('@gradeshift/core/web').then((web) =>
    web.createWebBackend({ wasmPaths: WASM_PATHS }),
  );
  return backend;
}
