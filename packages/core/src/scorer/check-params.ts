/**
 * Shapes of the scorer's tensors and the guards that check parameters against their config.
 * @internal
 */
import { TRAINABLE_PARAM_NAMES, type TrainableParamName } from './param-names';
import type { EmbeddingTable, ScorerParams } from './params';
import { assertScorerConfig, scorerInputDim, type ScorerConfig } from './types';

/** The dims of every trainable tensor for `config`. @internal */
export function trainableShapes(
  config: ScorerConfig,
): Record<TrainableParamName, readonly number[]> {
  const { embeddingDim: d, projectionDim: dp, hidden1: h1, hidden2: h2, grades: k } = config;
  return {
    gateW: [d],
    gateMatch: [],
    gateBias: [],
    P: [dp, d],
    W1: [h1, scorerInputDim(config)],
    b1: [h1],
    W2: [h2, h1],
    b2: [h2],
    W3: [k, h2],
    b3: [k],
  };
}

/** Throws unless `table` is a finite V × D table with D = `config.embeddingDim`. @internal */
export function assertEmbeddingTable(
  table: EmbeddingTable,
  config: ScorerConfig,
  name = 'embeddings',
): void {
  if (
    typeof table !== 'object' ||
    table === null ||
    !(table.data instanceof Float32Array || table.data instanceof Float64Array)
  ) {
    throw new TypeError(`${name} must be { dims: [V, D], data: Float32Array | Float64Array }`);
  }
  const [v = -1, d = -1] = table.dims;
  if (table.dims.length !== 2 || !Number.isInteger(v) || v < 1 || d !== config.embeddingDim) {
    throw new RangeError(
      `${name}.dims must be [V ≥ 1, embeddingDim = ${config.embeddingDim}] (got [${table.dims.join(', ')}])`,
    );
  }
  if (table.data.length !== v * d)
    throw new RangeError(
      `${name}.data must have V·D = ${v}·${d} = ${v * d} entries (got ${table.data.length})`,
    );
  for (let i = 0; i < table.data.length; i++) {
    const x = table.data[i] ?? Number.NaN;
    if (!Number.isFinite(x))
      throw new RangeError(
        `${name}.data[${i}] must be finite (got ${String(x)}; row ${Math.floor(i / d)})`,
      );
  }
}

/**
 * Throws unless every trainable tensor of `params` has the dims its config implies (and, with `finite`,
 * only finite values). The embedding table's shape is checked, not its values (that is done once, at init).
 * @internal
 */
export function assertScorerParams(
  params: ScorerParams,
  name = 'params',
  options: { finite?: boolean } = {},
): void {
  if (typeof params !== 'object' || params === null || typeof params.config !== 'object') {
    throw new TypeError(`${name} must be ScorerParams { config, embeddings, gateW, … }`);
  }
  assertScorerConfig(params.config);
  const { embeddings } = params;
  const [v = -1, d = -1] = embeddings.dims;
  if (d !== params.config.embeddingDim || embeddings.data.length !== v * d) {
    throw new RangeError(
      `${name}.embeddings must be V × ${params.config.embeddingDim} (got dims [${embeddings.dims.join(', ')}] and ${embeddings.data.length} entries)`,
    );
  }
  const shapes = trainableShapes(params.config);
  for (const key of TRAINABLE_PARAM_NAMES) {
    const t = params[key];
    const dims = shapes[key];
    const size = dims.reduce((a, b) => a * b, 1);
    if (typeof t !== 'object' || !(t.data instanceof Float64Array))
      throw new TypeError(`${name}.${key} must be { dims, data: Float64Array }`);
    if (
      t.dims.length !== dims.length ||
      t.dims.some((x, i) => x !== dims[i]) ||
      t.data.length !== size
    ) {
      throw new RangeError(
        `${name}.${key} must have dims [${dims.join(', ')}] (${size} values; got dims [${t.dims.join(', ')}] and ${t.data.length} values)`,
      );
    }
    if (options.finite !== false) {
      for (let i = 0; i < t.data.length; i++) {
        if (!Number.isFinite(t.data[i] ?? Number.NaN))
          throw new RangeError(`${name}.${key}[${i}] must be finite (got ${String(t.data[i])})`);
      }
    }
  }
}
