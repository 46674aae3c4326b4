/**
 * The KNN OOD score inside the exported scorer graph (Sun et al. 2022), so a served request pays one onnxruntime
 * run instead of a bank product and a k-th-largest selection per request outside it. The bank is an initializer
 * (L2-normalised rows, float32); per row of the batch:
 *
 * 1. q = x / (‖x‖₂ + 1e-10), the `@gradeshift/ood` KNN detector's normalisation;
 * 2. s_j = q·b_j − ‖b_j‖²/2 for every bank row (one `Gemm` with the bias −‖b‖²/2), since
 *    ‖q − b_j‖² = ‖q‖² − 2·s_j, the k-th nearest row is the one with the k-th largest s_j; in the content space
 *    the product is split in the query half, taken once per distinct query of the batch, and the item half;
 * 3. `TopK` picks it, and its distance is taken directly as ‖q − b‖₂ (no ‖q‖² − 2·s cancellation, so a neighbour
 *    at distance ≈ 0 keeps its float32 precision).
 *
 * The score equals the detector's `kthNeighbourDistance` to float32 rounding: two bank rows whose s_j differ by less
 * than the rounding may swap places, and their distances then differ by as little.
 * @see https://arxiv.org/abs/2204.06507
 * @see https://onnx.ai/onnx/operators/onnx__TopK.html
 * @internal
 */
import { L2_NORM_EPSILON } from '../math/l2-norm-epsilon';
import { onnxAttr, onnxTensor } from '../model/onnx/builders';
import type { GraphBuilder } from './graph-builder';

/** The part of a fitted KNN state the graph needs; a `KnnState` of `@gradeshift/ood` is one. */
export interface KnnGraphState {
  /** d, the feature width. */
  readonly dim: number;
  /** Which neighbour's distance is the score (1 = nearest). */
  readonly k: number;
  /** n, the rows in the bank. */
  readonly bankSize: number;
  /** The L2-normalised bank, n × d row-major. */
  readonly bank: ArrayLike<number>;
}

/**
 * Checks a KNN state before it is written into a graph.
 * @param state - the state
 * @param dim - the width of the rows it will read
 * @param what - the name of the rows, for the message
 * @throws RangeError for a size that disagrees, a k outside [1, n], or a non-finite bank entry
 * @internal
 */
export function assertKnnGraphState(state: KnnGraphState, dim: number, what: string): void {
  const { k, bankSize: n, bank } = state;
  if (state.dim !== dim) throw new RangeError(`knn.dim must be ${what} (${dim}; got ${state.dim})`);
  if (!Number.isSafeInteger(n) || n < 1 || bank.length !== n * dim)
    throw new RangeError(
      `knn.bank must hold bankSize·dim = ${n}·${dim} entries (got ${bank.length})`,
    );
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new RangeError(`knn.k must be an integer in [1, ${n}] (got ${k})`);
  for (let i = 0; i < bank.length; i++)
    if (!Number.isFinite(bank[i]))
      throw new RangeError(`knn.bank[${i}] must be finite (got ${bank[i]})`);
}

/**
 * Rows split in two halves, the first often repeated across the batch (the content space: the query's direction,
 * the same for every item of a request): the first half's bank product is taken once per distinct row (`Unique`).
 */
export interface KnnHalves {
  /** [batch, h]: the first h columns of the rows. */
  readonly first: string;
  /** [batch, d − h]: the other columns. */
  readonly second: string;
  /** h. */
  readonly width: number;
}

/** Columns [from, to) of the n × d bank, as an initializer. */
function bankColumns(
  g: GraphBuilder,
  bank: Float32Array,
  at: { name: string; n: number; d: number; from: number; to: number },
): string {
  const { name, n, d, from, to } = at;
  const out = new Float32Array(n * (to - from));
  for (let j = 0; j < n; j++) out.set(bank.subarray(j * d + from, j * d + to), j * (to - from));
  return g.initializer({ name, dataType: 'float32', dims: [n, to - from], data: out });
}

/** [batch, n]: s_j = q·b_j − ‖b_j‖²/2, through the halves when given; returns it and the bank-row gatherer. */
function addShifted(
  g: GraphBuilder,
  input: { q: string; denominators: string; bank: Float32Array; halves?: KnnHalves | undefined },
  at: { p: string; n: number; d: number },
): { shifted: string; row: (index: string) => string } {
  const { q, denominators, bank, halves } = input;
  const { p, n, d } = at;
  if (halves === undefined) {
    g.initializer({ name: `${p}_bank`, dataType: 'float32', dims: [n, d], data: bank });
    const gather = { axis: onnxAttr.int(0) };
    return {
      shifted: g.op(
        'Gemm',
        { inputs: [q, `${p}_bank`, `${p}_bias`], output: `${p}_shifted` },
        { transB: onnxAttr.int(1) },
      ),
      row: (index) =>
        g.op('Gather', { inputs: [`${p}_bank`, index], output: `${p}_kth_row` }, gather),
    };
  }
  const h = halves.width;
  const first = bankColumns(g, bank, { name: `${p}_bank_first`, n, d, from: 0, to: h });
  const second = bankColumns(g, bank, { name: `${p}_bank_second`, n, d, from: h, to: d });
  const [distinct = '', , inverse = ''] = g.opOutputs(
    'Unique',
    {
      inputs: [halves.first],
      outputs: [`${p}_first_distinct`, `${p}_first_index`, `${p}_first_inverse`, `${p}_first_n`],
    },
    { axis: onnxAttr.int(0), sorted: onnxAttr.int(0) },
  );
  const transB = { transB: onnxAttr.int(1) };
  const gather = { axis: onnxAttr.int(0) };
  const once = g.op('Gemm', { inputs: [distinct, first], output: `${p}_first_dots` }, transB);
  const firstDots = g.op(
    'Gather',
    { inputs: [once, inverse], output: `${p}_first_row_dots` },
    gather,
  );
  const secondDots = g.op(
    'Gemm',
    { inputs: [halves.second, second], output: `${p}_second_dots` },
    transB,
  );
  const dots = g.op('Add', { inputs: [firstDots, secondDots], output: `${p}_dots` });
  const scaled = g.op('Div', { inputs: [dots, denominators], output: `${p}_scaled_dots` });
  return {
    shifted: g.op('Add', { inputs: [scaled, `${p}_bias`], output: `${p}_shifted` }),
    row: (index) =>
      g.op(
        'Concat',
        {
          inputs: [
            g.op('Gather', { inputs: [first, index], output: `${p}_kth_first` }, gather),
            g.op('Gather', { inputs: [second, index], output: `${p}_kth_second` }, gather),
          ],
          output: `${p}_kth_row`,
        },
        { axis: onnxAttr.int(1) },
      ),
  };
}

/**
 * Adds the KNN distance of every row of `rows` to its k-th nearest bank row.
 * @param g - the scorer graph
 * @param input - the rows ([batch, d] float32; `halves` names their two halves when the first is often repeated),
 * the state, the node-name prefix and the output name
 * @returns the output name ([batch] float32)
 * @internal
 */
export function addKnn(
  g: GraphBuilder,
  input: {
    rows: string;
    halves?: KnnHalves;
    state: KnnGraphState;
    prefix: string;
    output: string;
  },
): string {
  const { rows, state, prefix: p, output } = input;
  const { dim: d, k, bankSize: n } = state;
  const bank = Float32Array.from(state.bank);
  // The bias is taken from the float32 bank, so the selection sees the same rows the distance is measured to.
  const halfNorms = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let c = 0; c < d; c++) s += (bank[j * d + c] ?? 0) ** 2;
    halfNorms[j] = -s / 2;
  }
  g.initializer({ name: `${p}_bias`, dataType: 'float32', dims: [n], data: halfNorms });
  g.initializer(onnxTensor(`${p}_k`, BigInt64Array.from([BigInt(k)]), [1]));
  g.initializer(onnxTensor(`${p}_last_start`, BigInt64Array.from([BigInt(k - 1)]), [1]));
  g.initializer(onnxTensor(`${p}_last_end`, BigInt64Array.from([BigInt(k)]), [1]));
  g.scalar(`${p}_norm_epsilon`, L2_NORM_EPSILON);
  const keep = { keepdims: onnxAttr.int(1) };
  const norms = g.op('ReduceL2', { inputs: [rows, g.axes(1)], output: `${p}_norms` }, keep);
  const denominators = g.op('Add', {
    inputs: [norms, `${p}_norm_epsilon`],
    output: `${p}_denominators`,
  });
  const q = g.op('Div', { inputs: [rows, denominators], output: `${p}_normalized` });
  const { shifted, row } = addShifted(
    g,
    { q, denominators, bank, halves: input.halves },
    { p, n, d },
  );
  const [, indices = `${p}_top_indices`] = g.opOutputs(
    'TopK',
    { inputs: [shifted, `${p}_k`], outputs: [`${p}_top_values`, `${p}_top_indices`] },
    { axis: onnxAttr.int(1), largest: onnxAttr.int(1), sorted: onnxAttr.int(1) },
  );
  const last = g.op('Slice', {
    inputs: [indices, `${p}_last_start`, `${p}_last_end`, g.axes(1)],
    output: `${p}_kth_index_column`,
  });
  const index = g.op('Squeeze', { inputs: [last, g.axes(1)], output: `${p}_kth_index` });
  const difference = g.op('Sub', { inputs: [q, row(index)], output: `${p}_difference` });
  return g.op(
    'ReduceL2',
    { inputs: [difference, g.axes(1)], output },
    { keepdims: onnxAttr.int(0) },
  );
}
