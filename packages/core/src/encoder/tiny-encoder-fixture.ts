/**
 * A tiny BERT-shaped encoder for tests, written with the repo's ONNX writer: inputs `input_ids`,
 * `attention_mask`, `token_type_ids` (int64 `[batch, sequence]`), word + type + position embeddings,
 * one `tanh(x W + b)` layer as `last_hidden_state`, and the masked mean, L2-normalised, as
 * `sentence_embedding`. Random weights from a seed; {@link tinyEncoderReference} computes the same in
 * plain loops, so a test checks the runner and onnxruntime against it.
 * @internal
 */
import { createRng, type Rng } from '../math/prng';
import { onnxAttr, onnxInput, onnxNode, onnxOutput, onnxTensor } from '../model/onnx/builders';
import { encodeOnnxModel } from '../model/onnx/encode-model';

/** Weights of the tiny encoder. @internal */
export interface TinyEncoderWeights {
  readonly vocab: number;
  readonly hidden: number;
  readonly positions: number;
  readonly word: Float32Array;
  readonly type: Float32Array;
  readonly position: Float32Array;
  readonly w: Float32Array;
  readonly b: Float32Array;
  /** The classification head on the first token's state, with `head` grades: `[hidden, grades]` and `[grades]`. */
  readonly head: {
    readonly grades: number;
    readonly w: Float32Array;
    readonly b: Float32Array;
    /** Whether it reads the masked mean of the states (`pooled_output`) instead of the first token's. */
    readonly pooled: boolean;
  } | null;
}

/** Options of {@link tinyEncoderModel}. @internal */
export interface TinyEncoderOptions {
  readonly vocab: number;
  readonly hidden?: number;
  readonly positions?: number;
  readonly seed?: number;
  /** Graph outputs (`logits` needs `head`). @default ['last_hidden_state', 'sentence_embedding'] */
  readonly outputs?: readonly string[] | undefined;
  /**
   * Grades of a cross-encoder head: `logits = h_CLS · W + b` on the first token's state (as BERT's
   * sequence-classification head reads `[CLS]`, without its pooler). @default none
   */
  readonly head?: number | undefined;
  /** Rows of the word-embedding table. @default vocab */
  readonly tableRows?: number | undefined;
  /** Read `input_ids` through an `Identity` first, so the table is not found from the graph. @default false */
  readonly indirectIds?: boolean | undefined;
  /**
   * The head reads the masked mean of `last_hidden_state` (given as the `pooled_output` output) instead of the
   * first token's state, which this one-layer encoder without attention keeps the same for every pair.
   * @default false
   */
  readonly pooled?: boolean | undefined;
}

function random(rng: Rng, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

/**
 * The head's nodes: the first token's state (`Gather` on axis 1) or the masked mean (`pooled_output`), then
 * `MatMul` + `Add`.
 */
function headNodes(weights: TinyEncoderWeights) {
  if (weights.head === null) return [];
  const read = weights.head.pooled
    ? onnxNode('Identity', { inputs: ['mean'], outputs: ['pooled_output'] })
    : onnxNode(
        'Gather',
        { inputs: ['last_hidden_state', 'zero'], outputs: ['cls'] },
        { axis: onnxAttr.int(1) },
      );
  return [
    read,
    onnxNode('MatMul', {
      inputs: [weights.head.pooled ? 'pooled_output' : 'cls', 'head_w'],
      outputs: ['cls_w'],
    }),
    onnxNode('Add', { inputs: ['cls_w', 'head_b'], outputs: ['logits'] }),
  ];
}

function headInitializers(weights: TinyEncoderWeights) {
  const { head, hidden } = weights;
  if (head === null) return [];
  return [
    onnxTensor('head_w', head.w, [hidden, head.grades]),
    onnxTensor('head_b', head.b, [head.grades]),
  ];
}

/** Builds the model; returns its bytes and weights. @internal */
export function tinyEncoderModel(options: TinyEncoderOptions): {
  bytes: Uint8Array;
  weights: TinyEncoderWeights;
} {
  const { vocab, hidden = 8, positions = 64, seed = 7, head } = options;
  const rows = options.tableRows ?? vocab;
  const rng = createRng(seed);
  const weights: TinyEncoderWeights = {
    vocab,
    hidden,
    positions,
    word: random(rng, rows * hidden),
    type: random(rng, 2 * hidden),
    position: random(rng, positions * hidden),
    w: random(rng, hidden * hidden),
    b: random(rng, hidden),
    head:
      head === undefined
        ? null
        : {
            grades: head,
            w: random(rng, hidden * head),
            b: random(rng, head),
            pooled: options.pooled === true,
          },
  };
  const gather = (table: string, ids: string, out: string) =>
    onnxNode('Gather', { inputs: [table, ids], outputs: [out] }, { axis: onnxAttr.int(0) });
  const keep = { keepdims: onnxAttr.int(1) };
  const outputs = options.outputs ?? ['last_hidden_state', 'sentence_embedding'];
  const bytes = encodeOnnxModel({
    graph: {
      name: 'tiny-encoder',
      nodes: [
        ...(options.indirectIds === true
          ? [onnxNode('Identity', { inputs: ['input_ids'], outputs: ['ids'] })]
          : []),
        gather('word', options.indirectIds === true ? 'ids' : 'input_ids', 'we'),
        gather('type', 'token_type_ids', 'te'),
        onnxNode('Shape', { inputs: ['input_ids'], outputs: ['shape'] }),
        gather('shape', 'one', 'seq'),
        onnxNode('Range', { inputs: ['zero', 'seq', 'one'], outputs: ['pos_ids'] }),
        gather('position_embeddings', 'pos_ids', 'pe'),
        onnxNode('Add', { inputs: ['we', 'te'], outputs: ['e1'] }),
        onnxNode('Add', { inputs: ['e1', 'pe'], outputs: ['e'] }),
        onnxNode('MatMul', { inputs: ['e', 'w'], outputs: ['xw'] }),
        onnxNode('Add', { inputs: ['xw', 'b'], outputs: ['pre'] }),
        onnxNode('Tanh', { inputs: ['pre'], outputs: ['last_hidden_state'] }),
        onnxNode(
          'Cast',
          { inputs: ['attention_mask'], outputs: ['maskf'] },
          { to: onnxAttr.int(1) },
        ),
        onnxNode('Unsqueeze', { inputs: ['maskf', 'axis2'], outputs: ['mask3'] }),
        onnxNode('Mul', { inputs: ['last_hidden_state', 'mask3'], outputs: ['masked'] }),
        onnxNode(
          'ReduceSum',
          { inputs: ['masked', 'axis1'], outputs: ['sum'] },
          { keepdims: onnxAttr.int(0) },
        ),
        onnxNode(
          'ReduceSum',
          { inputs: ['mask3', 'axis1'], outputs: ['count0'] },
          { keepdims: onnxAttr.int(0) },
        ),
        onnxNode('Max', { inputs: ['count0', 'tiny_count'], outputs: ['count'] }),
        onnxNode('Div', { inputs: ['sum', 'count'], outputs: ['mean'] }),
        onnxNode('Mul', { inputs: ['mean', 'mean'], outputs: ['sq'] }),
        onnxNode('ReduceSum', { inputs: ['sq', 'axis1'], outputs: ['sqsum'] }, keep),
        onnxNode('Sqrt', { inputs: ['sqsum'], outputs: ['norm0'] }),
        onnxNode('Max', { inputs: ['norm0', 'tiny_norm'], outputs: ['norm'] }),
        onnxNode('Div', { inputs: ['mean', 'norm'], outputs: ['sentence_embedding'] }),
        ...headNodes(weights),
      ],
      initializers: [
        ...headInitializers(weights),
        onnxTensor('word', weights.word, [rows, hidden]),
        onnxTensor('type', weights.type, [2, hidden]),
        onnxTensor('position_embeddings', weights.position, [positions, hidden]),
        onnxTensor('w', weights.w, [hidden, hidden]),
        onnxTensor('b', weights.b, [hidden]),
        onnxTensor('zero', BigInt64Array.from([0n]), []),
        onnxTensor('one', BigInt64Array.from([1n]), []),
        onnxTensor('axis1', BigInt64Array.from([1n]), [1]),
        onnxTensor('axis2', BigInt64Array.from([2n]), [1]),
        onnxTensor('tiny_count', Float32Array.from([1e-9]), []),
        onnxTensor('tiny_norm', Float32Array.from([1e-12]), []),
      ],
      inputs: ['input_ids', 'attention_mask', 'token_type_ids'].map((name) =>
        onnxInput(name, 'int64', ['batch', 'sequence']),
      ),
      outputs: outputs.map((name) =>
        name === 'sentence_embedding' || name === 'pooled_output'
          ? onnxOutput(name, 'float32', ['batch', hidden])
          : name === 'logits'
            ? onnxOutput(name, 'float32', ['batch', head ?? 0])
            : onnxOutput(name, 'float32', ['batch', 'sequence', hidden]),
      ),
    },
  });
  return { bytes, weights };
}

/** The tiny encoder's `last_hidden_state` for one unpadded encoding, one row per token, in Float64 loops. @internal */
export function tinyEncoderStates(
  weights: TinyEncoderWeights,
  ids: readonly number[],
  typeIds: readonly number[],
): Float64Array[] {
  const { hidden: h } = weights;
  return ids.map((id, s) => {
    const type = typeIds[s] ?? 0;
    const state = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let pre = weights.b[j] ?? 0;
      for (let k = 0; k < h; k++) {
        const e =
          (weights.word[id * h + k] ?? 0) +
          (weights.type[type * h + k] ?? 0) +
          (weights.position[s * h + k] ?? 0);
        pre += e * (weights.w[k * h + j] ?? 0);
      }
      state[j] = Math.tanh(pre);
    }
    return state;
  });
}

/** The tiny encoder's `sentence_embedding` for one unpadded encoding, in Float64 loops. @internal */
export function tinyEncoderReference(
  weights: TinyEncoderWeights,
  ids: readonly number[],
  typeIds: readonly number[],
): Float64Array {
  const mean = new Float64Array(weights.hidden);
  for (const state of tinyEncoderStates(weights, ids, typeIds))
    state.forEach((v, j) => (mean[j] = (mean[j] ?? 0) + v / ids.length));
  const norm = Math.max(Math.hypot(...mean), 1e-12);
  return mean.map((v) => v / norm);
}

/**
 * The tiny cross-encoder's `logits` for one unpadded encoding: the head on the first token's state, or on the mean
 * of the states when built `pooled`. @internal
 */
export function tinyCrossEncoderReference(
  weights: TinyEncoderWeights,
  ids: readonly number[],
  typeIds: readonly number[],
): Float64Array {
  const { head, hidden: h } = weights;
  if (head === null) throw new Error('the tiny encoder was built without a head');
  const states = tinyEncoderStates(weights, ids, typeIds);
  const cls = head.pooled
    ? Float64Array.from({ length: h }, (_, j) =>
        states.reduce((sum, state) => sum + (state[j] ?? 0) / states.length, 0),
      )
    : (states[0] ?? new Float64Array(h));
  return Float64Array.from({ length: head.grades }, (_, c) => {
    let z = head.b[c] ?? 0;
    for (let k = 0; k < h; k++) z += (cls[k] ?? 0) * (head.w[k * head.grades + c] ?? 0);
    return z;
  });
}
