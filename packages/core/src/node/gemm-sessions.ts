/**
 * The onnxruntime sessions behind `createOrtGemm`: one single-node ONNX `Gemm` model per (transA, transB),
 * created on first use and cached (a failed load is not cached, so a later call can retry).
 * @see https://onnx.ai/onnx/operators/onnx__Gemm.html
 */
import { CoreError } from '../errors';
import type { InferenceBackend, InferenceSessionLike } from '../model/backend';
import { onnxAttr, onnxInput, onnxNode, onnxOutput } from '../model/onnx/builders';
import { encodeOnnxModel } from '../model/onnx/encode-model';

/** Element type of the products inside onnxruntime. */
export type GemmDtype = 'float32' | 'float64';

/** The operands of one run, already in the sessions' dtype. */
export interface GemmFeeds {
  readonly a: Float32Array | Float64Array;
  readonly aDims: number[];
  readonly b: Float32Array | Float64Array;
  readonly bDims: number[];
}

/** A one-node ONNX model y = op(a)·op(b) in `dtype`. */
function gemmModel(dtype: GemmDtype, transA: boolean, transB: boolean): Uint8Array {
  return encodeOnnxModel({
    graph: {
      name: 'gemm',
      nodes: [
        onnxNode(
          'Gemm',
          { inputs: ['a', 'b'], outputs: ['y'] },
          { transA: onnxAttr.int(transA ? 1 : 0), transB: onnxAttr.int(transB ? 1 : 0) },
        ),
      ],
      inputs: [
        onnxInput('a', dtype, ['a_rows', 'a_cols']),
        onnxInput('b', dtype, ['b_rows', 'b_cols']),
      ],
      outputs: [onnxOutput('y', dtype, ['m', 'n'])],
    },
  });
}

/** Cached Gemm sessions of one dtype on one backend. */
export class GemmSessions {
  /** Element type of every session. */
  readonly dtype: GemmDtype;
  private readonly backend: InferenceBackend;
  private readonly sessions = new Map<string, Promise<InferenceSessionLike>>();

  constructor(backend: InferenceBackend, dtype: GemmDtype) {
    this.backend = backend;
    this.dtype = dtype;
  }

  /** The session computing op(a)·op(b) for these transpose flags. */
  get(transA: boolean, transB: boolean): Promise<InferenceSessionLike> {
    const key = `${transA}|${transB}|${this.dtype}`;
    let s = this.sessions.get(key);
    if (s === undefined) {
      s = this.backend.createSession(gemmModel(this.dtype, transA, transB));
      // A failed load is not cached, so a later call can retry.
      void s.catch(() => this.sessions.delete(key));
      this.sessions.set(key, s);
    }
    return s;
  }

  /**
   * Runs a session on two operands.
   * @returns the runtime's output data (in `dtype`)
   * @throws CoreError `MODEL_RUN_FAILED` when the runtime returns no float output
   */
  async run(s: InferenceSessionLike, feeds: GemmFeeds): Promise<Float32Array | Float64Array> {
    const { dtype } = this;
    const out = await s.run(
      {
        a: { type: dtype, dims: feeds.aDims, data: feeds.a },
        b: { type: dtype, dims: feeds.bDims, data: feeds.b },
      },
      ['y'],
    );
    const y = out['y'];
    if (y === undefined || !(y.data instanceof Float32Array || y.data instanceof Float64Array))
      throw new CoreError('MODEL_RUN_FAILED', 'ort gemm: the runtime returned no float output');
    return y.data;
  }

  /** Releases every session loaded (those that failed to load are skipped). */
  async dispose(): Promise<void> {
    const pending = [...this.sessions.values()];
    this.sessions.clear();
    const settled = await Promise.allSettled(pending);
    await Promise.all(
      settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.dispose()] : [])),
    );
  }
}
