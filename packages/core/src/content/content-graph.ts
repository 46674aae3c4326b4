/**
 * The content space inside the exported scorer graph, node for node the ONNX form of
 * `computeContentFeatures`: the unit pooled query and item directions (`content`) and the item's mean token
 * surprisal (`ood_surprisal`), read from the token values the relevance half already computed.
 * @internal
 */
import type { GraphBuilder } from '../bundle/graph-builder';
import type { TokenValues } from '../bundle/match-graph';
import { onnxAttr, onnxTensor } from '../model/onnx/builders';

const KEEP = { keepdims: onnxAttr.int(1) };
const DROP = { keepdims: onnxAttr.int(0) };

/** Graph output names of the content space. @internal */
export const CONTENT_ONNX_OUTPUTS = Object.freeze({
  content: 'content',
  surprisal: 'ood_surprisal',
  mahalanobis: 'ood_content_mahalanobis',
  knn: 'ood_content_knn',
});

/** [B, D] unit pooled direction of one side: m / (‖m‖ + ε), m = Σ real E / max(count, 1). */
function addDirection(g: GraphBuilder, p: string, side: TokenValues): string {
  const sum = g.op(
    'ReduceSum',
    { inputs: [side.tokens, g.axes(1)], output: `${p}_content_sum` },
    DROP,
  );
  const safe = g.op('Max', { inputs: [side.count, 'one'], output: `${p}_content_count` });
  const mean = g.op('Div', { inputs: [sum, safe], output: `${p}_content_mean` });
  const norm = g.op('ReduceL2', { inputs: [mean, g.axes(1)], output: `${p}_content_norm` }, KEEP);
  const denominator = g.op('Add', {
    inputs: [norm, 'norm_epsilon'],
    output: `${p}_content_denominator`,
  });
  return g.op('Div', { inputs: [mean, denominator], output: `${p}_content_direction` });
}

/**
 * Adds `content` [B, 2D] and `ood_surprisal` [B].
 * @param g - the scorer graph (its `one` and `norm_epsilon` scalars exist)
 * @param input - both sides' token values, the item id input and the per-row surprisal table
 * @returns the two output names, and the query's and the item's directions (the two halves of `content`)
 * @internal
 */
export function addContent(
  g: GraphBuilder,
  input: { query: TokenValues; item: TokenValues; itemIds: string; surprisal: Float32Array },
): { content: string; surprisal: string; directions: { query: string; item: string } } {
  const { query, item } = input;
  const directions = {
    query: addDirection(g, 'query', query),
    item: addDirection(g, 'item', item),
  };
  const content = g.op(
    'Concat',
    {
      inputs: [directions.query, directions.item],
      output: CONTENT_ONNX_OUTPUTS.content,
    },
    { axis: onnxAttr.int(1) },
  );
  g.floats('surprisal_table', input.surprisal, [input.surprisal.length]);
  const slice = (name: string, value: number) =>
    g.initializer(onnxTensor(name, BigInt64Array.from([BigInt(value)]), [1]));
  const first = g.op('Slice', {
    inputs: [
      input.itemIds,
      slice('slot_first_start', 0),
      slice('slot_first_end', 1),
      slice('slot_axis', 2),
    ],
    output: 'item_first_slot_ids',
  });
  const ids = g.op('Squeeze', { inputs: [first, g.axes(2)], output: 'item_token_ids' });
  const values = g.op(
    'Gather',
    { inputs: ['surprisal_table', ids], output: 'item_token_surprisal' },
    { axis: onnxAttr.int(0) },
  );
  const real = g.op('Mul', { inputs: [values, item.mask], output: 'item_real_surprisal' });
  const total = g.op(
    'ReduceSum',
    { inputs: [real, g.axes(1)], output: 'item_surprisal_sum' },
    KEEP,
  );
  const mean = g.op('Div', {
    inputs: [total, 'item_content_count'],
    output: 'item_surprisal_mean',
  });
  const surprisal = g.op('Squeeze', {
    inputs: [mean, g.axes(1)],
    output: CONTENT_ONNX_OUTPUTS.surprisal,
  });
  return { content, surprisal, directions };
}
