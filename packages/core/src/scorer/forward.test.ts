import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng } from '../math/prng';
import { forwardScorer } from './forward';
import { precomputeFrozen } from './frozen';
import { TRAINABLE_PARAM_NAMES } from './param-names';
import { cloneParams, type ScorerParams } from './params';
import { createTinyScorer, TINY_CONFIG } from './test-fixtures';
import { createScorerConfig, type ScorerBatch } from './types';

interface Golden {
  config: Parameters<typeof createScorerConfig>[0];
  vocab: number;
  embeddings: number[];
  queryIds: number[];
  queryWeights: number[];
  itemIds: number[];
  itemWeights: number[];
  lexical: number[];
  params: Record<string, number[]>;
  tokenMaxSim: number[];
  matchSummaries: number[];
  gatedMatch: number[];
  features: number[];
  logits: number[];
}

const golden = (
  JSON.parse(
    readFileSync(new URL('../../../../tests/fixtures/golden/scorer.json', import.meta.url), 'utf8'),
  ) as { scorer: Golden }
).scorer;

function goldenModel(): { params: ScorerParams; batch: ScorerBatch } {
  const config = createScorerConfig(golden.config);
  const tensor = (name: string, dims: number[]) => ({
    dims,
    data: Float64Array.from(golden.params[name] ?? []),
  });
  const { embeddingDim: d, projectionDim: dp, hidden1: h1, hidden2: h2, grades: k } = config;
  const params: ScorerParams = {
    config,
    embeddings: { dims: [golden.vocab, d], data: Float32Array.from(golden.embeddings) },
    gateW: tensor('gateW', [d]),
    gateMatch: tensor('gateMatch', []),
    gateBias: tensor('gateBias', []),
    P: tensor('P', [dp, d]),
    W1: tensor('W1', [h1, 2 * dp + 4 + config.lexicalDim]),
    b1: tensor('b1', [h1]),
    W2: tensor('W2', [h2, h1]),
    b2: tensor('b2', [h2]),
    W3: tensor('W3', [k, h2]),
    b3: tensor('b3', [k]),
  };
  const batch: ScorerBatch = {
    size: golden.logits.length / k,
    queryIds: Int32Array.from(golden.queryIds),
    queryWeights: Float32Array.from(golden.queryWeights),
    itemIds: Int32Array.from(golden.itemIds),
    itemWeights: Float32Array.from(golden.itemWeights),
    lexical: Float32Array.from(golden.lexical),
  };
  return { params, batch };
}

describe('forwardScorer against the NumPy transcription (golden_scorer.py)', () => {
  it('reproduces maxSim, the match summaries, gMax, the features and the logits', async () => {
    const { params, batch } = goldenModel();
    const frozen = precomputeFrozen(params, batch);
    expect(frozen.tokenMaxSim).toBeDeepCloseTo(golden.tokenMaxSim, { abs: 1e-12, rel: 1e-12 });
    expect(frozen.matchSummaries).toBeDeepCloseTo(golden.matchSummaries, {
      abs: 1e-12,
      rel: 1e-12,
    });
    const { logits, features, cache } = await forwardScorer(params, frozen);
    expect(cache.gatedMatch).toBeDeepCloseTo(golden.gatedMatch, { abs: 1e-12, rel: 1e-12 });
    expect(features.data).toBeDeepCloseTo(golden.features, { abs: 1e-12, rel: 1e-10 });
    expect(logits.data).toBeDeepCloseTo(golden.logits, { abs: 1e-12, rel: 1e-10 });
    expect([logits.rows, logits.cols, features.rows, features.cols]).toEqual([6, 3, 6, 4]);
  });

  it('gives the same result from a raw batch as from its precomputed frozen features', async () => {
    const { params, batch } = goldenModel();
    const a = await forwardScorer(params, batch);
    const b = await forwardScorer(params, precomputeFrozen(params, batch));
    expect(a.logits.data).toEqual(b.logits.data);
  });
});

describe('forwardScorer structure', () => {
  it('scores a subset of rows in the given order, equal to the full pass row by row', async () => {
    const { params, batch } = createTinyScorer();
    const full = await forwardScorer(params, batch);
    const part = await forwardScorer(params, batch, { rows: [3, 0, 5] });
    const k = 3;
    [3, 0, 5].forEach((r, i) =>
      expect(part.logits.data.subarray(i * k, (i + 1) * k)).toEqual(
        full.logits.data.subarray(r * k, (r + 1) * k),
      ),
    );
  });

  it('pools an empty query to 0 and gives an empty item maxSim 0 (tiny fixture pairs 4 and 5)', async () => {
    const { params, batch } = createTinyScorer();
    const frozen = precomputeFrozen(params, batch);
    const { cache } = await forwardScorer(params, frozen);
    const d = TINY_CONFIG.embeddingDim;
    expect(Array.from(cache.pooled.subarray(4 * d, 5 * d))).toEqual(new Array(d).fill(0));
    expect(frozen.tokenStart[5]).toBe(frozen.tokenStart[4]); // pair 4 has no real query token
    // pair 5: 4 query tokens truncated to Lq = 3, all with maxSim 0 against the empty item
    const first = frozen.tokenStart[5]!;
    expect(frozen.tokenStart[6]! - first).toBe(3);
    expect(Array.from(frozen.tokenMaxSim.subarray(first, first + 3))).toEqual([0, 0, 0]);
    expect(Array.from(frozen.itemPooled.subarray(5 * d, 6 * d))).toEqual(new Array(d).fill(0));
  });

  it('stores each distinct query token vector once (tiny fixture: 12 real query tokens, 9 distinct)', () => {
    const { params, batch } = createTinyScorer();
    const frozen = precomputeFrozen(params, batch);
    const d = TINY_CONFIG.embeddingDim;
    expect(frozen.tokenStart[6]).toBe(12);
    // word 1 (pairs 0 and 5), word 2 (pairs 2 and 5) and word 3 (twice in pair 3) repeat
    expect(frozen.tokenVectors.length / d).toBe(9);
    expect(frozen.tokenRow[6]).toBe(frozen.tokenRow[7]); // pair 3: [3], [3]
    expect(frozen.tokenRow[0]).toBe(frozen.tokenRow[9]); // word 1 in pairs 0 and 5
    expect(frozen.tokenRow[1]).not.toBe(frozen.tokenRow[8]); // buckets [7, 8, 9] ≠ [8, 9]
    expect(Array.from(frozen.tokenPosition)).toEqual([0, 1, 0, 1, 2, 0, 0, 1, 2, 0, 1, 2]);
  });

  it('ignores the ids of empty slots and the order of the item tokens (seeded property)', async () => {
    const { params, batch } = createTinyScorer();
    const base = await forwardScorer(params, batch);
    const rng = createRng(42);
    const { maxItemTokens: lt, slots } = TINY_CONFIG;
    for (let run = 0; run < 25; run++) {
      const queryIds = batch.queryIds.map((id, i) =>
        (batch.queryWeights[i] ?? 0) === 0 ? rng.int(12) : id,
      );
      const itemIds = batch.itemIds.slice();
      const itemWeights = batch.itemWeights.slice();
      for (let p = 0; p < batch.size; p++) {
        // Fisher–Yates over the item's token positions (padding included), moving whole slot groups.
        for (let i = lt - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          for (let s = 0; s < slots; s++) {
            const a = (p * lt + i) * slots + s;
            const b = (p * lt + j) * slots + s;
            [itemIds[a], itemIds[b]] = [itemIds[b]!, itemIds[a]!];
            [itemWeights[a], itemWeights[b]] = [itemWeights[b]!, itemWeights[a]!];
          }
        }
      }
      const out = await forwardScorer(params, { ...batch, queryIds, itemIds, itemWeights });
      // Summation order over item tokens changes, so equal up to rounding.
      expect(out.logits.data).toBeDeepCloseTo(base.logits.data, { abs: 1e-6, rel: 1e-6 });
    }
  });

  it('starts as mean pooling: with the gate at 0 every real token has g = ½', async () => {
    const { params, batch } = createTinyScorer();
    const zeroGate = cloneParams(params);
    zeroGate.gateW.data.fill(0);
    zeroGate.gateMatch.data.fill(0);
    zeroGate.gateBias.data.fill(0);
    const { cache } = await forwardScorer(zeroGate, batch);
    expect(Array.from(cache.gates).every((g) => g === 0.5)).toBe(true);
    const frozen = cache.frozen;
    const d = TINY_CONFIG.embeddingDim;
    const first = frozen.tokenStart[0]!;
    const row = (t: number) => frozen.tokenRow[first + t]! * d;
    const mean = Array.from(
      { length: d },
      (_, c) => (frozen.tokenVectors[row(0) + c]! + frozen.tokenVectors[row(1) + c]!) / 2,
    );
    expect(cache.pooled.subarray(0, d)).toBeDeepCloseTo(mean, { abs: 1e-6, rel: 1e-6 });
  });
});

describe('forwardScorer input guards', () => {
  it('rejects batch arrays whose sizes disagree with the config, naming the argument and sizes', async () => {
    const { params, batch } = createTinyScorer();
    await expect(
      forwardScorer(params, { ...batch, queryIds: batch.queryIds.subarray(1) }),
    ).rejects.toThrow(
      /batch\.queryIds must have size·maxQueryTokens·slots = 6·3·3 = 54 entries \(got 53\)/,
    );
    await expect(forwardScorer(params, { ...batch, lexical: new Float32Array(5) })).rejects.toThrow(
      /batch\.lexical must have size·lexicalDim = 6·2 = 12 entries \(got 5\)/,
    );
    await expect(
      forwardScorer(params, {
        ...batch,
        itemWeights: new Float64Array(72) as unknown as Float32Array,
      }),
    ).rejects.toThrow(TypeError);
  });

  it('rejects ids outside [0, V), NaN weights and NaN lexical features', async () => {
    const { params, batch } = createTinyScorer();
    const itemIds = batch.itemIds.slice();
    itemIds[5] = 12;
    await expect(forwardScorer(params, { ...batch, itemIds })).rejects.toThrow(
      /batch\.itemIds\[5\] must be an embedding row in \[0, 11\] \(got 12; V = 12\)/,
    );
    const queryIds = batch.queryIds.slice();
    queryIds[0] = -1;
    await expect(forwardScorer(params, { ...batch, queryIds })).rejects.toThrow(RangeError);
    const queryWeights = batch.queryWeights.slice();
    queryWeights[2] = Number.NaN;
    await expect(forwardScorer(params, { ...batch, queryWeights })).rejects.toThrow(
      /batch\.queryWeights\[2\] must be a finite weight ≥ 0 \(got NaN\)/,
    );
    const lexical = batch.lexical.slice();
    lexical[3] = Number.POSITIVE_INFINITY;
    await expect(forwardScorer(params, { ...batch, lexical })).rejects.toThrow(
      /batch\.lexical\[3\] must be finite \(got Infinity; pair 1\)/,
    );
  });

  it('rejects NaN or misshapen parameters, bad rows, and frozen features prepared for another config', async () => {
    const { params, batch } = createTinyScorer();
    const bad = cloneParams(params);
    bad.W2.data[3] = Number.NaN;
    await expect(forwardScorer(bad, batch)).rejects.toThrow(/params\.W2\[3\] must be finite/);
    const misshapen = { ...params, W1: { dims: [5, 11], data: new Float64Array(55) } };
    await expect(forwardScorer(misshapen, batch)).rejects.toThrow(
      /params\.W1 must have dims \[5, 14\] \(70 values; got dims \[5, 11\] and 55 values\)/,
    );
    await expect(forwardScorer(params, batch, { rows: [0, 6] })).rejects.toThrow(
      /options\.rows\[1\] must be a pair index in \[0, 5\] \(got 6\)/,
    );
    const other = { ...params, config: createScorerConfig({ ...TINY_CONFIG, lexicalDim: 3 }) };
    const frozen = precomputeFrozen(params, batch);
    const otherParams = { ...other, W1: { dims: [5, 15], data: new Float64Array(75) } };
    await expect(forwardScorer(otherParams, frozen)).rejects.toThrow(
      /input was prepared for D=6, Lq=3, Lt=4, S=3, F=2, V=12 but params have .*F=3/,
    );
    expect(TRAINABLE_PARAM_NAMES).toHaveLength(10);
  });
});
