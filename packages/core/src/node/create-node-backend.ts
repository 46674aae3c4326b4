/**
 * @file The onnxruntime-node implementation of the `InferenceBackend` port.
 *
 * Design: the factory only records options and validates the device; the native addon is loaded by a
 * dynamic `import('onnxruntime-node')` on the first `createSession`, so importing `@gradeshift/core/node`
 * has no side effects (no addon load, no `ort.env` mutation). All runtime settings travel in the session
 * options, never through the global `env`. Device names map to execution providers through the frozen
 * table in `execution-providers.ts`.
 * @see https://onnxruntime.ai/docs/get-started/with-javascript/node.html
 */
import type * as Ort from 'onnxruntime-node';

import { CoreError } from '../errors';
import type {
  GraphOptimizationLevel,
  InferenceBackend,
  InferenceSessionLike,
  InferenceSessionOptions,
  TensorLike,
} from '../model/backend';
import { ortSessionCreator } from '../model/runtime-session';
import { guardNative } from './native-guard';
import { resolveExecutionProviders, type NodeDevice } from './execution-providers';
import { loadModelFile } from './load-model-file';

/** Options for {@link createNodeBackend}. */
export interface CreateNodeBackendOptions {
  /** Where to run; see `NODE_DEVICE_PROVIDERS`. @default 'cpu' */
  device?: NodeDevice;
  /** Threads inside one operator (MLAS GEMM, reductions). 0 lets onnxruntime use one per physical core. @default 0 */
  intraOpNumThreads?: number;
  /** Threads across independent graph branches (only used in parallel execution mode). @default 0 */
  interOpNumThreads?: number;
  /** 0 verbose … 4 fatal. @default 3 (errors only, so nothing is printed in normal operation) */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  /** @default 'all' */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /**
   * Whether idle intra-op threads spin waiting for work (onnxruntime's `session.intra_op.allow_spinning`).
   * Spinning lowers latency for back-to-back runs but burns the other cores while JavaScript works between
   * runs; turn it off when runs alternate with JavaScript loops. @default true
   */
  allowSpinning?: boolean;
}

/** The node backend: the port plus loading straight from a file. */
export interface NodeInferenceBackend extends InferenceBackend {
  /**
   * Reads a `.onnx` file and loads it.
   * @throws CoreError `MODEL_LOAD_FAILED` naming the path when the file is missing or not a valid model.
   */
  createSessionFromFile(
    path: string | URL,
    options?: InferenceSessionOptions,
  ): Promise<InferenceSessionLike>;
}

type OrtModule = typeof Ort;

function assertThreads(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${name} must be a non-negative integer (got ${value})`);
  }
}

function toOrtTensor(ort: OrtModule, tensor: TensorLike): Ort.Tensor {
  return new ort.Tensor(tensor.type, tensor.data, tensor.dims);
}

/**
 * Creates an {@link InferenceBackend} over onnxruntime-node.
 * @param options - device, thread counts, log level and optimisation level, applied to every session.
 * @returns a backend whose sessions run on the chosen device.
 * @throws CoreError `BACKEND_UNAVAILABLE` for an unknown device (immediately) or when onnxruntime-node cannot be loaded (on first use).
 * @example
 * const backend = createNodeBackend({ intraOpNumThreads: 2 });
 * const session = await backend.createSession(await loadModelFile('ranker.onnx'));
 * const { probs } = await runBatched(session, { features }, { batchSize: 4096 });
 * await session.dispose();
 */
export function createNodeBackend(options: CreateNodeBackendOptions = {}): NodeInferenceBackend {
  const {
    device = 'cpu',
    intraOpNumThreads = 0,
    interOpNumThreads = 0,
    logSeverityLevel = 3,
    graphOptimizationLevel = 'all',
    allowSpinning = true,
  } = options;
  const executionProviders = resolveExecutionProviders(device);
  assertThreads(intraOpNumThreads, 'intraOpNumThreads');
  assertThreads(interOpNumThreads, 'interOpNumThreads');
  const name = `onnxruntime-node/${device}`;
  let runtime: Promise<OrtModule> | undefined;

  const loadRuntime = (): Promise<OrtModule> => {
    runtime ??= import('onnxruntime-node').catch((error: unknown) => {
      runtime = undefined;
      throw new CoreError(
        'BACKEND_UNAVAILABLE',
        'onnxruntime-node could not be loaded; install it with `npm install onnxruntime-node`',
        { cause: error },
      );
    });
    return runtime;
  };

  const createSession = ortSessionCreator({
    backendName: name,
    runtime: loadRuntime,
    toTensor: toOrtTensor,
    open: (ort, model, sessionOptions) =>
      guardNative(() =>
        ort.InferenceSession.create(model, {
          executionProviders: [...executionProviders],
          // 0 means "runtime default", which onnxruntime expresses by leaving the option out.
          ...(intraOpNumThreads > 0 ? { intraOpNumThreads } : {}),
          ...(interOpNumThreads > 0 ? { interOpNumThreads } : {}),
          logSeverityLevel: sessionOptions.logSeverityLevel ?? logSeverityLevel,
          graphOptimizationLevel: sessionOptions.graphOptimizationLevel ?? graphOptimizationLevel,
          ...(allowSpinning ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
        }),
      ),
    // Runs and release counted by this thread's native guard, if it has one (native-guard.ts).
    serializer: () => guardNative,
  });

  return Object.freeze({
    name,
    createSession,
    async createSessionFromFile(path: string | URL, sessionOptions?: InferenceSessionOptions) {
      const bytes = await loadModelFile(path);
      try {
        return await createSession(bytes, sessionOptions);
      } catch (error) {
        if (error instanceof CoreError && error.code === 'MODEL_LOAD_FAILED') {
          const label = typeof path === 'string' ? path : path.href;
          throw new CoreError('MODEL_LOAD_FAILED', `model file "${label}": ${error.message}`, {
            cause: error.cause,
          });
        }
        throw error;
      }
    },
  });
}
