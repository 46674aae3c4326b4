/**
 * @file The onnxruntime-web implementation of the `InferenceBackend` port, for browsers and Web Workers.
 *
 * Design, from transformers.js's experience with the same runtime:
 * - nothing happens at import: the runtime is loaded by a dynamic `import()` on the first `createSession`
 *   (so bundlers split it into its own chunk), and `ort.env` is configured there from the factory's options;
 * - `wasmPaths` is explicit: the app self-hosts the `.wasm` files (e.g. `apps/dashboard/public/ort/`) or
 *   points at a CDN URL pinned to the installed onnxruntime-web version;
 * - `wasm` is the default device and `webgpu` an opt-in, each loading only its own runtime build
 *   (`onnxruntime-web/wasm` or `onnxruntime-web/webgpu`);
 * - session creation and every run of a session go through promise queues, because overlapping calls on a
 *   WASM/WebGPU session fail with "Session already started".
 *
 * `ort.env` is global to the page: the first backend to create a session fixes `wasmPaths` and `numThreads`.
 * @see https://onnxruntime.ai/docs/tutorials/web/
 * @see https://onnxruntime.ai/docs/tutorials/web/env-flags-and-session-options.html
 */
import type * as Ort from 'onnxruntime-web';

import { CoreError } from '../errors';
import type { GraphOptimizationLevel, InferenceBackend, TensorLike } from '../model/backend';
import { ortSessionCreator } from '../model/runtime-session';
import { createRunQueue } from './run-queue';

type OrtModule = typeof Ort;

/** Devices the web backend accepts. */
export type WebDevice = 'wasm' | 'webgpu';

/** Execution providers per device; WebGPU falls back to WASM for operators it lacks. */
export const WEB_DEVICE_PROVIDERS: Readonly<Record<WebDevice, readonly string[]>> = Object.freeze({
  wasm: Object.freeze(['wasm']),
  webgpu: Object.freeze(['webgpu', 'wasm']),
});

/** onnxruntime-web's log levels. */
export type WebLogLevel = 'verbose' | 'info' | 'warning' | 'error' | 'fatal';

/** Options for {@link createWebBackend}. */
export interface CreateWebBackendOptions {
  /** URL prefix (ending in `/`) of the onnxruntime-web `.wasm` files, or per-file URLs. Required: nothing is fetched from a CDN implicitly. */
  wasmPaths: string | { readonly wasm?: string | URL; readonly mjs?: string | URL };
  /** WASM threads. Values above 1 need a cross-origin-isolated page (COOP/COEP headers). 0 lets onnxruntime decide. @default 1 */
  numThreads?: number;
  /** @default 'wasm' */
  device?: WebDevice;
  /** @default 'error' */
  logLevel?: WebLogLevel;
  /** @default 'all' */
  graphOptimizationLevel?: GraphOptimizationLevel;
}

const LOG_SEVERITY: Readonly<Record<WebLogLevel, 0 | 1 | 2 | 3 | 4>> = Object.freeze({
  verbose: 0,
  info: 1,
  warning: 2,
  error: 3,
  fatal: 4,
});

function loadRuntime(device: WebDevice): Promise<OrtModule> {
  // Literal specifiers so bundlers can see and split both builds.
  return device === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm');
}

function toOrtTensor(ort: OrtModule, tensor: TensorLike): Ort.Tensor {
  return new ort.Tensor(tensor.type, tensor.data, tensor.dims);
}

/**
 * Creates an {@link InferenceBackend} over onnxruntime-web.
 * @param options - where the `.wasm` files live, threads, device and log level.
 * @returns a backend; the runtime loads on the first `createSession`.
 * @throws CoreError `BACKEND_UNAVAILABLE` for an unknown device, when WebGPU is requested but the browser lacks it, or when the runtime cannot be loaded.
 * @example
 * const { createWebBackend } = await import('@gradeshift/core/web');
 * const backend = createWebBackend({ wasmPaths: '/ort/' });
 * const session = await backend.createSession(new Uint8Array(await (await fetch('/models/ranker.onnx')).arrayBuffer()));
 */
export function createWebBackend(options: CreateWebBackendOptions): InferenceBackend {
  const {
    wasmPaths,
    numThreads = 1,
    device = 'wasm',
    logLevel = 'error',
    graphOptimizationLevel = 'all',
  } = options;
  if (!Object.hasOwn(WEB_DEVICE_PROVIDERS, device)) {
    const known = Object.keys(WEB_DEVICE_PROVIDERS)
      .map((d) => `'${d}'`)
      .join(', ');
    throw new CoreError(
      'BACKEND_UNAVAILABLE',
      `onnxruntime-web: unknown device '${String(device)}'; available devices: ${known}`,
    );
  }
  if (typeof wasmPaths !== 'string' && (typeof wasmPaths !== 'object' || wasmPaths === null))
    throw new TypeError('wasmPaths must be a URL prefix or { wasm, mjs } URLs');
  if (!Number.isSafeInteger(numThreads) || numThreads < 0)
    throw new RangeError(`numThreads must be a non-negative integer (got ${numThreads})`);
  const executionProviders = WEB_DEVICE_PROVIDERS[device];
  const name = `onnxruntime-web/${device}`;
  const createQueue = createRunQueue();
  let runtime: Promise<OrtModule> | undefined;

  const ready = (): Promise<OrtModule> => {
    runtime ??= (async () => {
      if (device === 'webgpu' && !(typeof navigator !== 'undefined' && 'gpu' in navigator)) {
        throw new CoreError(
          'BACKEND_UNAVAILABLE',
          "onnxruntime-web: WebGPU is not available in this browser; use device 'wasm'",
        );
      }
      let ort: OrtModule;
      try {
        ort = await loadRuntime(device);
      } catch (error) {
        throw new CoreError(
          'BACKEND_UNAVAILABLE',
          `onnxruntime-web could not be loaded for device '${device}'`,
          { cause: error },
        );
      }
      // Configured here, on first use, never at import (conventions §1.4).
      ort.env.wasm.wasmPaths = typeof wasmPaths === 'string' ? wasmPaths : { ...wasmPaths };
      ort.env.wasm.numThreads = numThreads;
      ort.env.logLevel = logLevel;
      return ort;
    })().catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
    return runtime;
  };

  const createSession = ortSessionCreator({
    backendName: name,
    runtime: ready,
    toTensor: toOrtTensor,
    open: (ort, model, sessionOptions) =>
      createQueue.enqueue(() =>
        ort.InferenceSession.create(model, {
          executionProviders: [...executionProviders],
          graphOptimizationLevel: sessionOptions.graphOptimizationLevel ?? graphOptimizationLevel,
          logSeverityLevel: sessionOptions.logSeverityLevel ?? LOG_SEVERITY[logLevel],
        }),
      ),
    serializer: () => {
      const runQueue = createRunQueue();
      return (task) => runQueue.enqueue(task);
    },
  });

  return Object.freeze({ name, createSession });
}
