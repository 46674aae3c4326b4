/**
 * The `InferenceBackend` port: the only way core code runs a model. `@gradeshift/core/node` implements it
 * with onnxruntime-node and `@gradeshift/core/web` with onnxruntime-web; tests and API routes may pass a fake.
 * The shapes follow onnxruntime-common's `InferenceSession` and `Tensor` so adapters stay thin.
 * @see https://onnxruntime.ai/docs/api/js/interfaces/InferenceSession-1.html
 */

/** Element types that cross the port. */
export type TensorType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

/** Typed-array contents of a tensor (`bool` is one byte per element, 0 or 1). */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

/** A dense row-major tensor, structurally compatible with onnxruntime's `Tensor`. */
export interface TensorLike {
  readonly type: TensorType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

/** Declared type and shape of a model input or output; symbolic dims (`'batch'`) are strings. */
export interface TensorMetadata {
  readonly name: string;
  readonly type: string;
  /** Empty when the model declares no shape. */
  readonly dims: readonly (number | string)[];
}

/** Graph optimisation levels, as onnxruntime names them. */
export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';

/** Per-session options; backends apply their factory defaults for anything left out. */
export interface InferenceSessionOptions {
  /** @default the backend's setting ('all' unless configured) */
  graphOptimizationLevel?: GraphOptimizationLevel;
  /** 0 verbose … 4 fatal. @default the backend's setting (3, errors only) */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/** A loaded model. Runs may be issued concurrently; web sessions serialise them internally. */
export interface InferenceSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Declared inputs, when the runtime reports them; used to check feeds before running. */
  readonly inputMetadata?: readonly TensorMetadata[];
  /**
   * Runs the model.
   * @param feeds - one tensor per input name.
   * @param outputNames - outputs to fetch. @default all of {@link InferenceSessionLike.outputNames}
   */
  run(
    feeds: Readonly<Record<string, TensorLike>>,
    outputNames?: readonly string[],
  ): Promise<Record<string, TensorLike>>;
  /** Releases native or WASM memory; the session is unusable afterwards. */
  dispose(): Promise<void>;
}

/** A runtime able to load ONNX models. */
export interface InferenceBackend {
  /** A short name for logs (`'onnxruntime-node/cpu'`). */
  readonly name: string;
  /**
   * Loads a model from its ONNX bytes.
   * @throws CoreError `MODEL_LOAD_FAILED` when the bytes are not a model the runtime accepts.
   */
  createSession(
    model: Uint8Array,
    options?: InferenceSessionOptions,
  ): Promise<InferenceSessionLike>;
}
