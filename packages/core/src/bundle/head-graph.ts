/**
 * The trainable half of the exported scorer graph, node for node the ONNX form of `forwardScorer`: the term
 * gate and gated query pooling, the mean item vector, the shared projection, the interaction vector, the
 * two-layer ReLU MLP (its second layer is the feature output), the logits, probabilities and expected grade.
 * @internal
 */
import { onnxAttr } from '../model/onnx/builders';
import type { ScorerParams } from '../scorer/params';
import { SCORER_CONSTANTS } from '../scorer/types';
import type { GraphBuilder } from './graph-builder';
import type { MatchValues, TokenValues } from './match-graph';
import { SCORER_ONNX_OUTPUTS } from './onnx-names';

const KEEP = { keepdims: onnxAttr.int(1) };
/** Gemm with a weight stored [out, in] as in the scorer's params (PyTorch `nn.Linear` layout). */
const LINEAR = { transB: onnxAttr.int(1) };

/** Values the head reads. @internal */
export interface HeadInputs {
  readonly query: TokenValues;
  readonly item: TokenValues;
  readonly match: MatchValues;
  /** [B, F] lexical features (a graph input). */
  readonly lexical: string;
}

/** Adds the trainable tensors as float32 initializers (weights keep their [out, in] layout). */
function addParams(g: GraphBuilder, params: ScorerParams): void {
  const { config } = params;
  g.floats('gate_w', params.gateW.data, [config.embeddingDim, 1]);
  g.scalar('gate_match', params.gateMatch.data[0] ?? 0);
  g.scalar('gate_bias', params.gateBias.data[0] ?? 0);
  g.floats('projection', params.P.data, params.P.dims);
  for (const [name, tensor] of [
    ['w1', params.W1],
    ['b1', params.b1],
    ['w2', params.W2],
    ['b2', params.b2],
    ['w3', params.W3],
    ['b3', params.b3],
  ] as const)
    g.floats(name, tensor.data, tensor.dims);
  g.floats(
    'grade_values',
    Float32Array.from({ length: config.grades }, (_, c) => c),
    [config.grades],
  );
  g.scalar('gate_epsilon', SCORER_CONSTANTS.gateEpsilon);
}

/**
 * Gated query pooling: g_i = σ(gateW·E_i + gateMatch·maxSim_i + gateBias) on real tokens, Z = Σ g_i + 1e-6,
 * q = Σ (g_i / Z)·E_i and gMax = Σ g_i·maxSim_i / Z.
 */
function addGate(g: GraphBuilder, inputs: HeadInputs): { pooled: string; gatedMax: string } {
  const { query, match } = inputs;
  const denseColumn = g.op('MatMul', {
    inputs: [query.tokens, 'gate_w'],
    output: 'gate_dense_column',
  });
  const dense = g.op('Squeeze', { inputs: [denseColumn, g.axes(2)], output: 'gate_dense' });
  const matchTerm = g.op('Mul', {
    inputs: [match.maxSim, 'gate_match'],
    output: 'gate_match_term',
  });
  const summed = g.op('Add', { inputs: [dense, matchTerm], output: 'gate_dense_match' });
  const preActivation = g.op('Add', { inputs: [summed, 'gate_bias'], output: 'gate_pre' });
  const sigmoid = g.op('Sigmoid', { inputs: [preActivation], output: 'gate_sigmoid' });
  // Padding tokens get gate 0, so they drop out of every sum below.
  const gates = g.op('Mul', { inputs: [sigmoid, query.mask], output: 'gate_values' });
  const total = g.op('ReduceSum', { inputs: [gates, g.axes(1)], output: 'gate_total' }, KEEP);
  // Σ g + ε: a pair without real query tokens pools to 0 instead of 0/0.
  const norm = g.op('Add', { inputs: [total, 'gate_epsilon'], output: 'gate_norm' });
  const weights = g.op('Div', { inputs: [gates, norm], output: 'gate_weights' });
  const weightRows = g.op('Unsqueeze', {
    inputs: [weights, g.axes(1)],
    output: 'gate_weight_rows',
  });
  const pooledRows = g.op('MatMul', {
    inputs: [weightRows, query.tokens],
    output: 'pool_query_rows',
  });
  const pooled = g.op('Squeeze', { inputs: [pooledRows, g.axes(1)], output: 'pool_query' });
  const weightedSims = g.op('Mul', { inputs: [gates, match.maxSim], output: 'gate_weighted_sims' });
  const simTotal = g.op(
    'ReduceSum',
    { inputs: [weightedSims, g.axes(1)], output: 'gate_sim_total' },
    KEEP,
  );
  const gatedMax = g.op('Div', { inputs: [simTotal, norm], output: 'summary_gated_max' });
  return { pooled, gatedMax };
}

/** t = mean of the real item token vectors (0 without any; padding vectors are 0, so a plain sum works). */
function addItemPool(g: GraphBuilder, item: TokenValues): string {
  const sum = g.op(
    'ReduceSum',
    { inputs: [item.tokens, g.axes(1)], output: 'item_token_sum' },
    { keepdims: onnxAttr.int(0) },
  );
  const countSafe = g.op('Max', { inputs: [item.count, 'one'], output: 'item_count_safe' });
  return g.op('Div', { inputs: [sum, countSafe], output: 'pool_item' });
}

/**
 * Adds the head and returns the names of the logits and features.
 * @internal
 */
export function addHead(
  g: GraphBuilder,
  inputs: HeadInputs & { params: ScorerParams },
): { logits: string; features: string } {
  addParams(g, inputs.params);
  const { pooled, gatedMax } = addGate(g, inputs);
  const itemPooled = addItemPool(g, inputs.item);
  const qp = g.op('Gemm', { inputs: [pooled, 'projection'], output: 'proj_query' }, LINEAR);
  const tp = g.op('Gemm', { inputs: [itemPooled, 'projection'], output: 'proj_item' }, LINEAR);
  const product = g.op('Mul', { inputs: [qp, tp], output: 'interaction_product' });
  const difference = g.op('Sub', { inputs: [qp, tp], output: 'interaction_difference' });
  const distance = g.op('Abs', { inputs: [difference], output: 'interaction_distance' });
  const { meanMax, minMax, fracHigh } = inputs.match;
  const x = g.op(
    'Concat',
    {
      inputs: [product, distance, meanMax, gatedMax, minMax, fracHigh, inputs.lexical],
      output: 'mlp_input',
    },
    { axis: onnxAttr.int(1) },
  );
  const linear1 = g.op('Gemm', { inputs: [x, 'w1', 'b1'], output: 'mlp_linear1' }, LINEAR);
  const hidden1 = g.op('Relu', { inputs: [linear1], output: 'mlp_hidden1' });
  const linear2 = g.op('Gemm', { inputs: [hidden1, 'w2', 'b2'], output: 'mlp_linear2' }, LINEAR);
  const features = g.op('Relu', { inputs: [linear2], output: SCORER_ONNX_OUTPUTS.features });
  const logits = g.op(
    'Gemm',
    { inputs: [features, 'w3', 'b3'], output: SCORER_ONNX_OUTPUTS.logits },
    LINEAR,
  );
  const probs = g.op(
    'Softmax',
    { inputs: [logits], output: SCORER_ONNX_OUTPUTS.probs },
    { axis: onnxAttr.int(-1) },
  );
  g.op('MatMul', { inputs: [probs, 'grade_values'], output: SCORER_ONNX_OUTPUTS.expectedGrade });
  return { logits, features };
}
