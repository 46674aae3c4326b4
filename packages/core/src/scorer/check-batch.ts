/**
 * Entry guards for scorer inputs: sizes that disagree with the config, ids outside the vocabulary, NaN.
 * @internal
 */
import type { ScorerBatch, ScorerConfig } from './types';

function assertLength(
  values: ArrayLike<number>,
  expected: { size: number; name: string; detail: string },
): void {
  if (values.length !== expected.size) {
    throw new RangeError(
      `${expected.name} must have ${expected.detail} = ${expected.size} entries (got ${values.length})`,
    );
  }
}

function assertIds(ids: Int32Array, vocabSize: number, name: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? -1;
    if (id < 0 || id >= vocabSize)
      throw new RangeError(
        `${name}[${i}] must be an embedding row in [0, ${vocabSize - 1}] (got ${id}; V = ${vocabSize})`,
      );
  }
}

function assertWeights(weights: Float32Array, name: string): void {
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? Number.NaN;
    if (!(w >= 0) || w === Infinity)
      throw new RangeError(`${name}[${i}] must be a finite weight ≥ 0 (got ${String(w)})`);
  }
}

/**
 * Throws unless `batch` matches `config` and a vocabulary of `vocabSize` rows: typed-array kinds, lengths
 * B·Lq·S, B·Lt·S and B·F, ids in [0, V), finite non-negative weights and finite lexical features.
 * @internal
 */
export function assertScorerBatch(
  batch: ScorerBatch,
  model: { config: ScorerConfig; vocabSize: number },
): void {
  const { config, vocabSize } = model;
  const name = 'batch';
  if (typeof batch !== 'object' || batch === null)
    throw new TypeError(`${name} must be a ScorerBatch object`);
  const { size } = batch;
  if (!Number.isInteger(size) || size < 0)
    throw new RangeError(`${name}.size must be a non-negative integer (got ${String(size)})`);
  const { maxQueryTokens: lq, maxItemTokens: lt, slots: s, lexicalDim: f } = config;
  const kinds: [unknown, string, string][] = [
    [batch.queryIds, 'queryIds', 'Int32Array'],
    [batch.queryWeights, 'queryWeights', 'Float32Array'],
    [batch.itemIds, 'itemIds', 'Int32Array'],
    [batch.itemWeights, 'itemWeights', 'Float32Array'],
    [batch.lexical, 'lexical', 'Float32Array'],
  ];
  for (const [value, field, kind] of kinds) {
    const ok = kind === 'Int32Array' ? value instanceof Int32Array : value instanceof Float32Array;
    if (!ok) throw new TypeError(`${name}.${field} must be an ${kind}`);
  }
  const queryDetail = `size·maxQueryTokens·slots = ${size}·${lq}·${s}`;
  const itemDetail = `size·maxItemTokens·slots = ${size}·${lt}·${s}`;
  assertLength(batch.queryIds, {
    size: size * lq * s,
    name: `${name}.queryIds`,
    detail: queryDetail,
  });
  assertLength(batch.queryWeights, {
    size: size * lq * s,
    name: `${name}.queryWeights`,
    detail: queryDetail,
  });
  assertLength(batch.itemIds, { size: size * lt * s, name: `${name}.itemIds`, detail: itemDetail });
  assertLength(batch.itemWeights, {
    size: size * lt * s,
    name: `${name}.itemWeights`,
    detail: itemDetail,
  });
  assertLength(batch.lexical, {
    size: size * f,
    name: `${name}.lexical`,
    detail: `size·lexicalDim = ${size}·${f}`,
  });
  assertIds(batch.queryIds, vocabSize, `${name}.queryIds`);
  assertIds(batch.itemIds, vocabSize, `${name}.itemIds`);
  assertWeights(batch.queryWeights, `${name}.queryWeights`);
  assertWeights(batch.itemWeights, `${name}.itemWeights`);
  for (let i = 0; i < batch.lexical.length; i++) {
    const v = batch.lexical[i] ?? Number.NaN;
    if (!Number.isFinite(v))
      throw new RangeError(
        `${name}.lexical[${i}] must be finite (got ${String(v)}; pair ${Math.floor(i / f)})`,
      );
  }
}

/**
 * Throws unless `rows` holds integer pair indices in [0, size).
 * @internal
 */
export function assertRowIndices(rows: ArrayLike<number>, size: number, name = 'rows'): void {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] ?? -1;
    if (!Number.isInteger(r) || r < 0 || r >= size)
      throw new RangeError(
        `${name}[${i}] must be a pair index in [0, ${size - 1}] (got ${String(r)})`,
      );
  }
}
