/**
 * The content space inside the exported scorer graph, node for node the ONNX form of
 * `computeContentFeatures`: the unit pooled query and item directions (`content`) and the item's mean token
 * surprisal (`ood_surprisal`) and, with a pair weight table, the pair's mean topic-word surprisal over both sides
 * (`ood_pair_surprisal`), read from the token values the relevance half already computed.
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
  pairSurprisal: 'ood_pair_surprisal',
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

/** [B, L] first slot row of each token of one side (its word id, or an unknown word's first bucket). */
function addFirstSlotIds(g: GraphBuilder, p: string, ids: string): string {
  const first = g.op('Slice', {
    inputs: [ids, 'slot_first_start', 'slot_first_end', 'slot_axis'],
    output: `${p}_first_slot_ids`,
  });
  return g.op('Squeeze', { inputs: [first, g.axes(2)], output: `${p}_token_ids` });
}

/** [B, L] a per-row table's value at each token's first slot row. */
function addGather(g: GraphBuilder, at: { table: string; ids: string }, output: string): string {
  return g.op('Gather', { inputs: [at.table, at.ids], output }, { axis: onnxAttr.int(0) });
}

/** [B, 1] Σ over one side's real tokens of `values` ([B, L]). */
function addMaskedSum(
  g: GraphBuilder,
  of: { values: string; mask: string },
  output: string,
): string {
  const real = g.op('Mul', { inputs: [of.values, of.mask], output: `${output}_real` });
  return g.op('ReduceSum', { inputs: [real, g.axes(1)], output }, KEEP);
}

/** Per side: [B, 1] Σ p·s and Σ p over its real tokens (p the pair weight, s the surprisal of the first slot row). */
function addPairSide(
  g: GraphBuilder,
  p: string,
  side: { ids: string; values: string; mask: string },
): { weighted: string; weight: string } {
  const weights = addGather(g, { table: 'pair_weight_table', ids: side.ids }, `${p}_pair_weights`);
  const weighted = g.op('Mul', { inputs: [weights, side.values], output: `${p}_pair_weighted` });
  return {
    weighted: addMaskedSum(g, { values: weighted, mask: side.mask }, `${p}_pair_weighted_sum`),
    weight: addMaskedSum(g, { values: weights, mask: side.mask }, `${p}_pair_weight_sum`),
  };
}

/** `ood_pair_surprisal` [B]: Σ over both sides of Σ p·s, over max(Σ p, 1). */
function addPairSurprisal(
  g: GraphBuilder,
  sides: {
    query: { ids: string; values: string; mask: string };
    item: { ids: string; values: string; mask: string };
  },
): string {
  const query = addPairSide(g, 'query', sides.query);
  const item = addPairSide(g, 'item', sides.item);
  const total = g.op('Add', {
    inputs: [query.weighted, item.weighted],
    output: 'pair_surprisal_sum',
  });
  const weight = g.op('Add', { inputs: [query.weight, item.weight], output: 'pair_weight_sum' });
  const safe = g.op('Max', { inputs: [weight, 'one'], output: 'pair_weight_safe' });
  const mean = g.op('Div', { inputs: [total, safe], output: 'pair_surprisal_mean' });
  return g.op('Squeeze', {
    inputs: [mean, g.axes(1)],
    output: CONTENT_ONNX_OUTPUTS.pairSurprisal,
  });
}

/**
 * Adds `content` [B, 2D], `ood_surprisal` [B] and, given a pair weight table, `ood_pair_surprisal` [B].
 * @param g - the scorer graph (its `one` and `norm_epsilon` scalars exist)
 * @param input - both sides' token values and id inputs, the per-row surprisal table and, optionally, the per-row
 *   pair weight table (`buildPairWeightTable`)
 * @returns the output names, and the query's and the item's directions (the two halves of `content`)
 * @internal
 */
export function addContent(
  g: GraphBuilder,
  input: {
    query: TokenValues;
    item: TokenValues;
    queryIds: string;
    itemIds: string;
    surprisal: Float32Array;
    pairWeights?: Float32Array | undefined;
  },
): {
  content: string;
  surprisal: string;
  pairSurprisal?: string;
  directions: { query: string; item: string };
} {
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
  for (const [name, value] of [
    ['slot_first_start', 0],
    ['slot_first_end', 1],
    ['slot_axis', 2],
  ] as const)
    g.initializer(onnxTensor(name, BigInt64Array.from([BigInt(value)]), [1]));
  const itemIds = addFirstSlotIds(g, 'item', input.itemIds);
  const itemValues = addGather(
    g,
    { table: 'surprisal_table', ids: itemIds },
    'item_token_surprisal',
  );
  const total = addMaskedSum(g, { values: itemValues, mask: item.mask }, 'item_surprisal_sum');
  const mean = g.op('Div', {
    inputs: [total, 'item_content_count'],
    output: 'item_surprisal_mean',
  });
  const surprisal = g.op('Squeeze', {
    inputs: [mean, g.axes(1)],
    output: CONTENT_ONNX_OUTPUTS.surprisal,
  });
  if (input.pairWeights === undefined) return { content, surprisal, directions };
  g.floats('pair_weight_table', input.pairWeights, [input.pairWeights.length]);
  const queryIds = addFirstSlotIds(g, 'query', input.queryIds);
  const queryValues = addGather(
    g,
    { table: 'surprisal_table', ids: queryIds },
    'query_token_surprisal',
  );
  const pairSurprisal = addPairSurprisal(g, {
    query: { ids: queryIds, values: queryValues, mask: query.mask },
    item: { ids: itemIds, values: itemValues, mask: item.mask },
  });
  return { content, surprisal, pairSurprisal, directions };
}
