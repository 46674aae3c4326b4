import { describe, expect, it } from 'vitest';
import { createRng } from '../math/prng';
import { HEAD_PARAM_NAMES, TRAINABLE_PARAM_NAMES } from './param-names';
import {
  cloneParams,
  flattenTrainable,
  initParams,
  interpolateParams,
  unflattenTrainable,
} from './params';
import { createTinyScorer, randomEmbeddings, TINY_CONFIG } from './test-fixtures';
import { DEFAULT_SCORER_CONFIG, createScorerConfig, scorerInputDim } from './types';

describe('initParams', () => {
  it('gives the documented shapes, zero gate and biases, and is bit-identical per seed', () => {
    const emb = randomEmbeddings(12, 6, 1);
    const a = initParams(TINY_CONFIG, emb, createRng(5));
    const b = initParams(TINY_CONFIG, emb, createRng(5));
    const c = initParams(TINY_CONFIG, emb, createRng(6));
    expect(flattenTrainable(a)).toEqual(flattenTrainable(b));
    expect(flattenTrainable(a)).not.toEqual(flattenTrainable(c));
    expect(a.W1.dims).toEqual([5, 14]);
    expect(a.P.dims).toEqual([4, 6]);
    expect(a.gateMatch.dims).toEqual([]);
    for (const name of ['gateW', 'gateMatch', 'gateBias', 'b1', 'b2', 'b3'] as const)
      expect(
        a[name].data.every((v) => v === 0),
        name,
      ).toBe(true);
    expect(a.embeddings).toBe(emb);
  });

  it('uses He-normal for W1 (std √(2/In)) and Glorot-uniform bounds for P at the default size', () => {
    const emb = randomEmbeddings(4, 100, 2);
    const p = initParams(DEFAULT_SCORER_CONFIG, emb, createRng(9));
    const inDim = scorerInputDim(DEFAULT_SCORER_CONFIG);
    const w = p.W1.data;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    const dp = DEFAULT_SCORER_CONFIG.projectionDim;
    expect(Math.abs(std / Math.sqrt(2 / inDim) - 1)).toBeLessThan(0.05); // 96·In ≈ 4 400 draws: ±2 % sampling error
    const limit = Math.sqrt(6 / (100 + dp));
    expect(Math.max(...p.P.data.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...p.P.data.map(Math.abs))).toBeGreaterThan(0.95 * limit);
    expect(flattenTrainable(p).length).toBe(
      100 + 2 + dp * 100 + 96 * inDim + 96 + 48 * 96 + 48 + 3 * 48 + 3,
    );
  });

  it('rejects embeddings of the wrong width, size or with NaN, and bad configs', () => {
    expect(() => initParams(TINY_CONFIG, randomEmbeddings(12, 5, 1), createRng(1))).toThrow(
      /embeddings\.dims must be \[V ≥ 1, embeddingDim = 6\] \(got \[12, 5\]\)/,
    );
    expect(() =>
      initParams(TINY_CONFIG, { dims: [12, 6], data: new Float32Array(70) }, createRng(1)),
    ).toThrow(/V·D = 12·6 = 72 entries \(got 70\)/);
    const nan = randomEmbeddings(12, 6, 1);
    nan.data[13] = Number.NaN;
    expect(() => initParams(TINY_CONFIG, nan, createRng(1))).toThrow(
      /embeddings\.data\[13\] must be finite \(got NaN; row 2\)/,
    );
    expect(() => createScorerConfig({ hidden1: 0 })).toThrow(
      /config\.hidden1 must be an integer in \[1, Infinity\] \(got 0\)/,
    );
    expect(() => createScorerConfig({ grades: 1 })).toThrow(/config\.grades/);
  });
});

describe('cloneParams, flattenTrainable, unflattenTrainable', () => {
  it('clones deeply (writes to the clone do not reach the original) and shares the frozen embeddings', () => {
    const { params } = createTinyScorer();
    const copy = cloneParams(params);
    copy.W1.data[0] = 123;
    expect(params.W1.data[0]).not.toBe(123);
    expect(copy.embeddings).toBe(params.embeddings);
    expect(flattenTrainable(cloneParams(params))).toEqual(flattenTrainable(params));
  });

  it('flattens in TRAINABLE_PARAM_NAMES order and round-trips', () => {
    const { params } = createTinyScorer();
    const flat = flattenTrainable(params);
    expect(flat.subarray(0, 6)).toEqual(params.gateW.data);
    expect(flat[6]).toBe(params.gateMatch.data[0]);
    expect(flat.subarray(flat.length - 3)).toEqual(params.b3.data);
    const back = unflattenTrainable(
      params,
      flat.map((v) => v * 2),
    );
    expect(back.W2.data).toEqual(params.W2.data.map((v) => v * 2));
    expect(() => unflattenTrainable(params, new Float64Array(3))).toThrow(
      /flat must have one value per trainable parameter \(got 3, expected 146\)/,
    );
  });
});

describe('interpolateParams (WiSE-FT)', () => {
  it('returns the endpoints exactly at α = 0 and α = 1, and the midpoint at ½', () => {
    const a = createTinyScorer(1).params;
    const b = createTinyScorer(2).params;
    expect(flattenTrainable(interpolateParams(a, b, 0))).toEqual(flattenTrainable(a));
    expect(flattenTrainable(interpolateParams(a, b, 1))).toEqual(flattenTrainable(b));
    const mid = flattenTrainable(interpolateParams(a, b, 0.5));
    const fa = flattenTrainable(a);
    const fb = flattenTrainable(b);
    expect(mid).toBeDeepCloseTo(
      fa.map((v, i) => (v + (fb[i] ?? 0)) / 2),
      { abs: 1e-15, rel: 1e-15 },
    );
    for (const name of HEAD_PARAM_NAMES) expect(TRAINABLE_PARAM_NAMES).toContain(name);
  });

  it('rejects α outside [0, 1] and parameters of different shapes', () => {
    const a = createTinyScorer(1).params;
    expect(() => interpolateParams(a, a, 1.5)).toThrow(/alpha must be in \[0, 1\] \(got 1.5\)/);
    expect(() => interpolateParams(a, a, Number.NaN)).toThrow(/alpha must be a finite number/);
    const wide = initParams(
      createScorerConfig({ ...TINY_CONFIG, hidden2: 5 }),
      a.embeddings,
      createRng(1),
    );
    expect(() => interpolateParams(a, wide, 0.5)).toThrow(
      /a\.W2 and b\.W2 must have the same size \(got 20 and 25\)/,
    );
  });
});
