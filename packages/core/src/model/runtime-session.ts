/**
 * The part of a session adapter that both ONNX Runtime entries share: feed checks, error wrapping, output
 * adoption and the disposed state. `core/node` and `core/web` supply only the runtime calls, so the two
 * entries behave the same by construction.
 */
import { CoreError } from '../errors';
import type {
  InferenceBackend,
  InferenceSessionLike,
  InferenceSessionOptions,
  TensorLike,
  TensorMetadata,
} from './backend';
import { checkFeeds } from './check-feeds';
import { toTensorLike } from './tensor';

/** What a platform entry provides for one loaded runtime session. @internal */
export interface RuntimeSessionHandle {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly TensorMetadata[];
  /** Runs with checked feeds; returns runtime tensors keyed by output name. */
  run(
    feeds: Readonly<Record<string, TensorLike>>,
    outputNames: readonly string[],
  ): Promise<Record<string, unknown>>;
  /** Frees the runtime session. */
  release(): Promise<void>;
}

/** Shape of onnxruntime-common's `InferenceSession.ValueMetadata`. @internal */
export interface RuntimeValueMetadata {
  readonly name: string;
  readonly isTensor: boolean;
  readonly type?: string;
  readonly shape?: readonly (number | string)[];
}

/** Maps onnxruntime's metadata to {@link TensorMetadata}, dropping non-tensor values. @internal */
export function toTensorMetadata(
  metadata: readonly RuntimeValueMetadata[] | undefined,
): TensorMetadata[] | undefined {
  if (metadata === undefined) return undefined;
  const out: TensorMetadata[] = [];
  for (const m of metadata) {
    if (m.isTensor) out.push({ name: m.name, type: m.type ?? '', dims: [...(m.shape ?? [])] });
  }
  return out;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wraps a runtime session as an {@link InferenceSessionLike}.
 * @param handle - the runtime calls.
 * @param backendName - used in error messages.
 * @internal
 */
export function createRuntimeSession(
  handle: RuntimeSessionHandle,
  backendName: string,
): InferenceSessionLike {
  let disposed = false;
  const session: InferenceSessionLike = {
    inputNames: Object.freeze([...handle.inputNames]),
    outputNames: Object.freeze([...handle.outputNames]),
    ...(handle.inputMetadata === undefined
      ? {}
      : { inputMetadata: Object.freeze([...handle.inputMetadata]) }),
    async run(feeds, outputNames) {
      if (disposed)
        throw new CoreError('MODEL_RUN_FAILED', `${backendName}: the session has been disposed`);
      checkFeeds(session, feeds);
      const fetches = outputNames ?? session.outputNames;
      for (const name of fetches) {
        if (!session.outputNames.includes(name))
          throw new CoreError(
            'INVALID_ARGUMENT',
            `unknown model output "${name}"; the model has ${session.outputNames.join(', ')}`,
          );
      }
      let raw: Record<string, unknown>;
      try {
        raw = await handle.run(feeds, fetches);
      } catch (error) {
        throw new CoreError('MODEL_RUN_FAILED', `${backendName}: run failed: ${describe(error)}`, {
          cause: error,
        });
      }
      const out: Record<string, TensorLike> = {};
      for (const name of fetches) out[name] = toTensorLike(raw[name], name);
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await handle.release();
    },
  };
  return session;
}

/** The part of an onnxruntime `InferenceSession` (node or web) a session handle is built on. @internal */
export interface OrtSessionLike<TTensor> {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly RuntimeValueMetadata[];
  run(feeds: Record<string, TTensor>, fetches: string[]): Promise<Record<string, unknown>>;
  release(): Promise<void>;
}

/**
 * Checks that a model is given as ONNX bytes.
 * @throws TypeError otherwise
 */
function assertModelBytes(model: unknown): asserts model is Uint8Array {
  if (!(model instanceof Uint8Array))
    throw new TypeError('model must be a Uint8Array of ONNX bytes');
}

/** Runs a task now, or through a queue. */
type Serialize = <T>(task: () => Promise<T>) => Promise<T>;

/** An onnxruntime session as an {@link InferenceSessionLike}: feeds converted by `toTensor`, calls serialised. */
function wrapOrtSession<TTensor>(
  session: OrtSessionLike<TTensor>,
  toTensor: (tensor: TensorLike) => TTensor,
  options: { backendName: string; serialize: Serialize },
): InferenceSessionLike {
  const { serialize } = options;
  const inputMetadata = toTensorMetadata(session.inputMetadata);
  return createRuntimeSession(
    {
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      ...(inputMetadata === undefined ? {} : { inputMetadata }),
      run: (feeds, outputNames) =>
        serialize(async () => {
          const ortFeeds: Record<string, TTensor> = {};
          for (const [key, tensor] of Object.entries(feeds)) ortFeeds[key] = toTensor(tensor);
          return session.run(ortFeeds, [...outputNames]);
        }),
      release: () => serialize(() => session.release()),
    },
    options.backendName,
  );
}

/** What a platform entry supplies to open sessions on its onnxruntime. @internal */
export interface OrtRuntimeSpec<TOrt, TTensor> {
  readonly backendName: string;
  /** The runtime, loaded on first use. */
  runtime(): Promise<TOrt>;
  /** Creates a runtime session; a failure is reported as CoreError `MODEL_LOAD_FAILED`. */
  open(
    ort: TOrt,
    model: Uint8Array,
    options: InferenceSessionOptions,
  ): Promise<OrtSessionLike<TTensor>>;
  /** The runtime's tensor for a {@link TensorLike}. */
  toTensor(ort: TOrt, tensor: TensorLike): TTensor;
  /** A serialisation for one new session's runs and release (the web entry's run queue). @default none */
  serializer?(): Serialize;
}

/**
 * The `createSession` of an onnxruntime backend: checks the bytes, loads the runtime, opens the session (its
 * failure as `MODEL_LOAD_FAILED`) and wraps it with {@link createRuntimeSession}, so the node and web entries
 * behave the same by construction.
 * @param spec - the runtime calls
 * @internal
 */
export function ortSessionCreator<TOrt, TTensor>(
  spec: OrtRuntimeSpec<TOrt, TTensor>,
): InferenceBackend['createSession'] {
  const { backendName } = spec;
  return async (model, sessionOptions = {}) => {
    assertModelBytes(model);
    const ort = await spec.runtime();
    let session: OrtSessionLike<TTensor>;
    try {
      session = await spec.open(ort, model, sessionOptions);
    } catch (error) {
      throw modelLoadError(backendName, error);
    }
    return wrapOrtSession(session, (tensor) => spec.toTensor(ort, tensor), {
      backendName,
      serialize: spec.serializer?.() ?? ((task) => task()),
    });
  };
}

/**
 * Wraps a runtime's model-loading failure (bad bytes, unsupported opset) as CoreError `MODEL_LOAD_FAILED`.
 * @internal
 */
export function modelLoadError(backendName: string, error: unknown): CoreError {
  return new CoreError(
    'MODEL_LOAD_FAILED',
    `${backendName}: could not load the model: ${describe(error)}`,
    { cause: error },
  );
}
