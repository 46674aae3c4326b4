/**
 * The embedding-only half of the exported scorer graph, node for node the ONNX form of `precomputeFrozen`:
 * token vectors from id slots, real-token masks, norms, each query token's best cosine match in the item
 * (maxSim) and the three match summaries. Shapes: B pairs, L tokens, S slots, D dims.
 * @internal
 */
import { onnxAttr } from '../model/onnx/builders';
import { ONNX_DATA_TYPE } from '../model/onnx/onnx-types';
import { SCORER_CONSTANTS } from '../scorer/types';
import type { GraphBuilder } from './graph-builder';

/**
 * Added to masked entries before a max (subtracted before a min). Cosines lie in [−1, 1], so a masked entry
 * can never win, and real entries get + 0, which is exact.
 */
const MASK_FILL = 1e4;

const KEEP = { keepdims: onnxAttr.int(1) };
const DROP = { keepdims: onnxAttr.int(0) };
/** Cast of a boolean to float32 (1 / 0). */
const TO_FLOAT = { to: onnxAttr.int(ONNX_DATA_TYPE.float32) };

/** The values of one side (query or item) of the pair. @internal */
export interface TokenValues {
  /** [B, L, D] token vectors E = Σ_s w_s·Emb[id_s] (0 for padding). */
  readonly tokens: string;
  /** [B, L] 1 for a real token (some slot weight > 0), 0 for padding. */
  readonly mask: string;
  /** [B, 1] number of real tokens. */
  readonly count: string;
  /** [B, 1] 1 when the side has a real token, else 0. */
  readonly present: string;
  /** [B, L, 1] ‖E‖ + 1e-8, the divisor of the unit vector û = E / (‖E‖ + 1e-8). */
  readonly denominators: string;
}

/**
 * Token vectors, masks and norms of one side. The slot weights multiply the gathered rows through a
 * batched [1 × S]·[S × D] product, which never materialises the weighted [B, L, S, D] copy.
 * @internal
 */
export function addTokenValues(
  g: GraphBuilder,
  side: { prefix: string; ids: string; weights: string },
): TokenValues {
  const { prefix: p, ids, weights } = side;
  const slotVectors = g.op(
    'Gather',
    { inputs: ['embeddings', ids], output: `${p}_slot_vectors` },
    { axis: onnxAttr.int(0) },
  );
  const weightRows = g.op('Unsqueeze', {
    inputs: [weights, g.axes(2)],
    output: `${p}_weight_rows`,
  });
  const tokenRows = g.op('MatMul', {
    inputs: [weightRows, slotVectors],
    output: `${p}_token_rows`,
  });
  const tokens = g.op('Squeeze', { inputs: [tokenRows, g.axes(2)], output: `${p}_tokens` });
  const weightSum = g.op(
    'ReduceSum',
    { inputs: [weights, g.axes(2)], output: `${p}_weight_sum` },
    DROP,
  );
  const isReal = g.op('Greater', { inputs: [weightSum, 'zero'], output: `${p}_is_real` });
  const mask = g.op('Cast', { inputs: [isReal], output: `${p}_mask` }, TO_FLOAT);
  const count = g.op('ReduceSum', { inputs: [mask, g.axes(1)], output: `${p}_count` }, KEEP);
  const hasAny = g.op('Greater', { inputs: [count, 'zero'], output: `${p}_has_tokens` });
  const present = g.op('Cast', { inputs: [hasAny], output: `${p}_present` }, TO_FLOAT);
  const norms = g.op('ReduceL2', { inputs: [tokens, g.axes(2)], output: `${p}_norms` }, KEEP);
  const denominators = g.op('Add', {
    inputs: [norms, 'norm_epsilon'],
    output: `${p}_norm_denominators`,
  });
  return { tokens, mask, count, present, denominators };
}

/** maxSim and the summaries over the real query tokens. @internal */
export interface MatchValues {
  /** [B, Lq] maxSim_i: best cosine over the real item tokens, 0 when the item has none. */
  readonly maxSim: string;
  /** [B, 1] mean of maxSim over real query tokens (0 without any). */
  readonly meanMax: string;
  /** [B, 1] min of maxSim over real query tokens (0 without any). */
  readonly minMax: string;
  /** [B, 1] fraction of real query tokens with maxSim > 0.9 (0 without any). */
  readonly fracHigh: string;
}

/**
 * maxSim per query token and the three frozen match summaries (mean, min, fraction > 0.9).
 * @internal
 */
export function addMatchValues(
  g: GraphBuilder,
  sides: { query: TokenValues; item: TokenValues },
): MatchValues {
  const { query, item } = sides;
  g.scalar('mask_fill', MASK_FILL);
  g.scalar('high_match', SCORER_CONSTANTS.highMatch);
  // û_q·û_t = (E_q·E_t) / ((‖E_q‖ + ε)(‖E_t‖ + ε)): the division runs on the Lq × Lt products, not on L × D vectors.
  const itemColumns = g.op(
    'Transpose',
    { inputs: [item.tokens], output: 'item_token_columns' },
    { perm: onnxAttr.ints([0, 2, 1]) },
  );
  const dots = g.op('MatMul', { inputs: [query.tokens, itemColumns], output: 'match_dots' });
  const itemDenominators = g.op(
    'Transpose',
    { inputs: [item.denominators], output: 'item_norm_row' },
    { perm: onnxAttr.ints([0, 2, 1]) },
  );
  const byQuery = g.op('Div', {
    inputs: [dots, query.denominators],
    output: 'match_dots_query_unit',
  });
  const cosines = g.op('Div', { inputs: [byQuery, itemDenominators], output: 'match_cosines' });
  // (mask − 1)·fill: 0 on real item tokens, −fill on padding, broadcast over the query axis.
  const itemMaskRow = g.op('Unsqueeze', {
    inputs: [item.mask, g.axes(1)],
    output: 'item_mask_row',
  });
  const itemGap = g.op('Sub', { inputs: [itemMaskRow, 'one'], output: 'item_mask_gap' });
  const itemPenalty = g.op('Mul', { inputs: [itemGap, 'mask_fill'], output: 'item_pad_penalty' });
  const masked = g.op('Add', { inputs: [cosines, itemPenalty], output: 'match_cosines_masked' });
  const best = g.op('ReduceMax', { inputs: [masked, g.axes(2)], output: 'match_best' }, DROP);
  // An item without real tokens has only penalised entries: its maxSim is 0, as in the TypeScript pass.
  const maxSim = g.op('Mul', { inputs: [best, item.present], output: 'match_max_sim' });

  const countSafe = g.op('Max', { inputs: [query.count, 'one'], output: 'query_count_safe' });
  const realSims = g.op('Mul', { inputs: [maxSim, query.mask], output: 'match_max_sim_real' });
  const simSum = g.op(
    'ReduceSum',
    { inputs: [realSims, g.axes(1)], output: 'match_max_sim_sum' },
    KEEP,
  );
  const meanMax = g.op('Div', { inputs: [simSum, countSafe], output: 'summary_mean_max' });
  const queryGap = g.op('Sub', { inputs: ['one', query.mask], output: 'query_mask_gap' });
  const queryPenalty = g.op('Mul', {
    inputs: [queryGap, 'mask_fill'],
    output: 'query_pad_penalty',
  });
  const raised = g.op('Add', { inputs: [maxSim, queryPenalty], output: 'match_max_sim_padded' });
  const lowest = g.op('ReduceMin', { inputs: [raised, g.axes(1)], output: 'match_min' }, KEEP);
  const minMax = g.op('Mul', { inputs: [lowest, query.present], output: 'summary_min_max' });
  const isHigh = g.op('Greater', { inputs: [maxSim, 'high_match'], output: 'match_is_high' });
  const high = g.op('Cast', { inputs: [isHigh], output: 'match_high' }, TO_FLOAT);
  const realHigh = g.op('Mul', { inputs: [high, query.mask], output: 'match_high_real' });
  const highCount = g.op(
    'ReduceSum',
    { inputs: [realHigh, g.axes(1)], output: 'match_high_count' },
    KEEP,
  );
  const fracHigh = g.op('Div', { inputs: [highCount, countSafe], output: 'summary_frac_high' });
  return { maxSim, meanMax, minMax, fracHigh };
}
