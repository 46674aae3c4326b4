import { describe, expect, it } from 'vitest';

import { decideGrades, expectedGrades, predictedGrades } from '@gradeshift/core';
import { createMatrix } from '@gradeshift/core/math';

import type { SplitOutputs } from '../stages/infer';
import { figuresUnderRule } from './debias-operating-point';
import { fitDecision } from './decision-rule';

/** Validation outputs of fixed probability rows. */
function outputsOf(rows: number[][]): SplitOutputs {
  const probs = createMatrix(rows.length, 3);
  probs.data.set(rows.flat());
  return {
    logits: createMatrix(rows.length, 3),
    probs,
    features: createMatrix(rows.length, 0),
    expected: expectedGrades(probs),
    predicted: predictedGrades(probs),
  };
}

describe("fitDecision's best-lowest family", () => {
  // A (0.4, 0.5, 0.1) irrelevant and B (0.3, 0.35, 0.35) weak: grade offsets cannot separate them (A needs
  // b₀ − b₁ > log(0.5/0.4) = 0.223, B needs b₀ − b₁ < log(0.35/0.3) = 0.154). C (0.45, 0.05, 0.5) irrelevant has
  // B's expected grade 1.05, so cut points cannot separate C from B. D (0, 0.1, 0.9) strong, E = 1.9.
  // P(irrelevant) ≥ 0.45 takes C; cuts at 1.05 / 1.9 on the rest decide A (E = 0.7), B and D: every pair right.
  // (τ = 0.4 would too; ties keep the highest τ of the grid.)
  const rows = [
    [0.4, 0.5, 0.1],
    [0.3, 0.35, 0.35],
    [0.45, 0.05, 0.5],
    [0, 0.1, 0.9],
  ];
  const validation = { labels: Int32Array.from([0, 1, 0, 2]), outputs: outputsOf(rows), grades: 3 };

  it('fits τ with the cut points where neither family of best can separate the grades (worked by hand)', () => {
    const best = fitDecision(validation, 'best');
    expect(best.fit?.macro_f1).toBeLessThan(1);
    const lowest = fitDecision(validation, 'best-lowest');
    const { decision } = lowest;
    if (decision.kind !== 'ordinal-thresholds') throw new Error(`got ${decision.kind}`);
    expect(decision.lowestAt).toBe(0.45);
    expect(decision.thresholds[0]).toBeCloseTo(1.05, 12);
    expect(decision.thresholds[1]).toBeCloseTo(1.9, 12);
    expect(lowest.fit?.macro_f1).toBe(1);
    const { expected, probs } = validation.outputs;
    expect(Array.from(decideGrades(probs, lowest.decision, { expected }))).toEqual([0, 1, 0, 2]);
    expect(figuresUnderRule(validation.labels, validation.outputs, lowest.decision)).toEqual({
      macro_f1: 1,
      over_recall: 0,
    });
  });

  it('keeps the over-recall cap, counting the overridden pairs', () => {
    const capped = fitDecision(validation, 'best-lowest', { maxOverRecall: 0 });
    expect(
      figuresUnderRule(validation.labels, validation.outputs, capped.decision).over_recall,
    ).toBe(0);
  });
});
