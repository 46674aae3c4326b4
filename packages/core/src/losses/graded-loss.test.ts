import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { confidencePenalty } from './confidence-penalty';
import { gradedLoss } from './graded-loss';
import { ordinalSoftLabelLoss, sordTargets } from './ordinal-soft-label';
import { pairwiseMarginLoss } from './pairwise-margin';

interface GradedCase {
  logits: number[][];
  labels: number[];
  lambdaMargin: number;
  lambdaConfidence: number;
  soft: number;
  margin: number;
  confidence: number;
  value: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { graded: GradedCase[] };

describe('gradedLoss', () => {
  it.each(golden.graded)(
    'matches soft + λm·margin + λh·(−scipy.stats.entropy) from numpy (λm = $lambdaMargin, λh = $lambdaConfidence)',
    (c) => {
      const r = gradedLoss(matrixFromRows(c.logits), c.labels, {
        lambdaMargin: c.lambdaMargin,
        lambdaConfidence: c.lambdaConfidence,
      });
      expect(r.value).toBeDeepCloseTo(c.value, { abs: 1e-13, rel: 1e-12 });
      expect(r.components).toBeDeepCloseTo(
        { soft: c.soft, margin: c.margin, confidence: c.confidence },
        { abs: 1e-13, rel: 1e-12 },
      );
    },
  );

  it('defaults: α = 2, λm = 0.5, λh = 0, δ = 0.3', () => {
    const z = matrixFromRows([
      [0.2, 1, -1],
      [1, 0, 0.5],
      [0, 0, 2],
    ]);
    const y = [1, 2, 0];
    const r = gradedLoss(z, y);
    const expected =
      ordinalSoftLabelLoss(z, y, { alpha: 2 }).value +
      0.5 * pairwiseMarginLoss(z, y, { delta: 0.3 }).value;
    expect(r.value).toBeCloseTo(expected, 14);
    expect(r.components.confidence).toBeCloseTo(confidencePenalty(z).value, 14); // logged even when λh = 0
  });

  it('a perfect prediction (p = SORD targets) is a stationary point at the loss minimum mean H(q) < 0.7', () => {
    const labels = [0, 1, 2, 1, 0];
    const q = sordTargets(labels, 3);
    const z = { rows: q.rows, cols: q.cols, data: q.data.map(Math.log) };
    const r = gradedLoss(z, labels);
    let h = 0;
    for (const v of q.data) h -= v * Math.log(v);
    expect(r.value).toBeCloseTo(h / labels.length, 12); // soft term at its lower bound H(q), margin 0
    expect(r.components.margin).toBe(0);
    expect(r.value).toBeLessThan(0.7);
    expect(r.grad.data).toBeDeepCloseTo(new Float64Array(15), { abs: 1e-15 });
  });

  it('property: a confident correct prediction costs far less than a confident wrong one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 8 }),
        (labels) => {
          // logits −2(c − y)² put the arg-max on the true grade (p = SORD targets); peaking on (y + 1) mod 3 is wrong
          const peaked = (g: number): number[] => [0, 1, 2].map((c) => -2 * (c - g) ** 2);
          const right = matrixFromRows(labels.map((y) => peaked(y)));
          const wrong = matrixFromRows(labels.map((y) => peaked((y + 1) % 3)));
          const good = gradedLoss(right, labels).value;
          expect(good).toBeLessThan(0.7);
          expect(gradedLoss(wrong, labels).value).toBeGreaterThan(good + 0.5);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('property: value and gradient are the λ-weighted sums of the component losses', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 4, maxLength: 4 }),
            fc.double({ min: 0, max: 3, noNaN: true }),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (batch, lm, lh) => {
          const z = matrixFromRows(batch.map(([r]) => r));
          const y = batch.map(([, l]) => l);
          const r = gradedLoss(z, y, { lambdaMargin: lm, lambdaConfidence: lh });
          const s = ordinalSoftLabelLoss(z, y);
          const m = pairwiseMarginLoss(z, y);
          const c = confidencePenalty(z);
          expect(r.value).toBeCloseTo(s.value + lm * m.value + lh * c.value, 10);
          const g = s.grad.data.map((v, j) => v + lm * m.grad.data[j]! + lh * c.grad.data[j]!);
          expect(r.grad.data).toBeDeepCloseTo(g, { abs: 1e-13, rel: 1e-12 });
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects bad input', () => {
    const z = matrixFromRows([[0, 1, 2]]);
    expect(() => gradedLoss(z, [0], { lambdaMargin: -1 })).toThrow(
      /options.lambdaMargin must be ≥ 0 \(got -1\)/,
    );
    expect(() => gradedLoss(z, [0], { lambdaConfidence: Number.NaN })).toThrow(
      /options.lambdaConfidence must be a finite number/,
    );
    expect(() => gradedLoss(z, [3])).toThrow(/labels\[0\] must be a grade in \[0, 2\] \(got 3\)/);
    expect(() => gradedLoss(z, [0], { sampleWeights: [-1] })).toThrow(/sampleWeights\[0\]/);
    expect(() => gradedLoss(z, [0], { groups: [1, 2] })).toThrow(/groups and logits rows/);
  });
});
