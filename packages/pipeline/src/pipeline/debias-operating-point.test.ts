import { describe, expect, it } from 'vitest';

import {
  bootstrapByQuery,
  confusionMatrix,
  decideGrades,
  expectedGrades,
  overRecall,
  predictedGrades,
} from '@gradeshift/core';
import { createMatrix, createRng } from '@gradeshift/core/math';

import type { SplitOutputs } from '../stages/infer';
import { fitMarginOperatingPoint } from './debias-operating-point';
import { DEFAULT_DECISION_RULE, fitDecision } from './evaluate-model';

/** Validation outputs of a noisy 3-grade model: `queries` × `perQuery` pairs, the true grade shifted by noise. */
function noisyValidation(options: {
  queries: number;
  perQuery: number;
  noise: number;
  seed: number;
}) {
  const rng = createRng(options.seed);
  const n = options.queries * options.perQuery;
  const labels = new Int32Array(n);
  const probs = createMatrix(n, 3);
  const queries: string[] = [];
  for (let i = 0; i < n; i++) {
    const y = rng.next() < 0.2 ? 0 : rng.next() < 0.45 ? 1 : 2;
    labels[i] = y;
    queries.push(`q${Math.floor(i / options.perQuery)}`);
    // An optimistic model: logits peak at y + 0.6, blurred by noise.
    const centre = y + 0.6 + options.noise * rng.normal();
    const z = [0, 1, 2].map((c) => -((c - centre) ** 2));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 3; c++) probs.data[i * 3 + c] = (e[c] ?? 0) / s;
  }
  const outputs: SplitOutputs = {
    logits: createMatrix(n, 3),
    probs,
    features: createMatrix(n, 0),
    expected: expectedGrades(probs),
    predicted: predictedGrades(probs),
  };
  return { labels, outputs, queries, grades: 3 };
}

/** The upper end of the 95% query-bootstrap interval of a rule's over-recall, as the fit computes it. */
function upperBound(
  v: ReturnType<typeof noisyValidation>,
  maxOverRecall: number,
): { upper: number; overRecall: number } {
  const { decision } = fitDecision(v, DEFAULT_DECISION_RULE, { maxOverRecall });
  const predicted = decideGrades(v.outputs.probs, decision, { expected: v.outputs.expected });
  const { upper } = bootstrapByQuery(
    v.queries,
    ({ indices }) => {
      let irrelevant = 0;
      let over = 0;
      for (const i of indices) {
        if (v.labels[i] !== 0) continue;
        irrelevant++;
        if ((predicted[i] ?? 0) > 0) over++;
      }
      return irrelevant === 0 ? 0 : over / irrelevant;
    },
    { resamples: 1000, level: 0.95, seed: 0 },
  );
  const cm = confusionMatrix(v.labels, predicted, 3);
  return { upper, overRecall: overRecall(cm).overRecallRate };
}

describe('fitMarginOperatingPoint', () => {
  it('keeps the cap at the target when irrelevant pairs are cleanly separated', () => {
    const v = noisyValidation({ queries: 60, perQuery: 8, noise: 0, seed: 1 });
    const point = fitMarginOperatingPoint(v, { target: 0.35 });
    expect(point.cap).toBe(0.35);
    expect(point.validation.over_recall).toBe(0);
    expect(point.validation.over_recall_upper).toBe(0);
  });

  it('lowers the cap until the bootstrap upper bound meets the target, and no further', () => {
    const v = noisyValidation({ queries: 120, perQuery: 10, noise: 0.8, seed: 2 });
    const point = fitMarginOperatingPoint(v, { target: 0.35, step: 0.005 });
    expect(point.cap).toBeLessThan(0.35);
    expect(point.validation.over_recall).toBeLessThanOrEqual(point.cap + 1e-12);
    expect(point.validation.over_recall_upper).toBeLessThanOrEqual(0.35);
    // The same bound recomputed outside the fit; the previous cap on the grid misses the target.
    const here = upperBound(v, point.cap);
    expect(here.upper).toBeCloseTo(point.validation.over_recall_upper, 12);
    expect(here.overRecall).toBeCloseTo(point.validation.over_recall, 12);
    expect(upperBound(v, point.cap + 0.005).upper).toBeGreaterThan(0.35);
    // A margin at all: the bound sits above the point estimate.
    expect(point.validation.over_recall_upper).toBeGreaterThan(point.validation.over_recall);
  });

  it('rejects a target outside (0, 1] and a step that is not positive', () => {
    const v = noisyValidation({ queries: 10, perQuery: 5, noise: 0.5, seed: 3 });
    expect(() => fitMarginOperatingPoint(v, { target: 0 })).toThrow(/target must be in \(0, 1\]/);
    expect(() => fitMarginOperatingPoint(v, { target: 1.2 })).toThrow(/target/);
    expect(() => fitMarginOperatingPoint(v, { step: 0 })).toThrow(/step must be > 0/);
  });
});
