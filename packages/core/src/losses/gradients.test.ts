/**
 * Every loss gradient against central finite differences in Float64 (h = 1e-6), on seeded random batches
 * with ordinary and extreme (±50) logits, for K = 2, 3 and 5.
 */
import { describe, expect, it } from 'vitest';

import type { Matrix } from '../math/matrix';
import { createRng, type Rng } from '../math/prng';
import { confidencePenalty } from './confidence-penalty';
import { distillationLoss } from './distillation';
import { dpoLoss } from './dpo';
import { focalLoss } from './focal';
import { gradedLoss } from './graded-loss';
import { ordinalSoftLabelLoss } from './ordinal-soft-label';
import { pairwiseMarginLoss } from './pairwise-margin';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import type { LossResult } from './types';

const H = 1e-6;

/** Central differences (f(z + h·e) − f(z − h·e)) / 2h for every entry of z. */
function finiteDifferences(f: (z: Matrix) => number, z: Matrix): Float64Array {
  const out = new Float64Array(z.data.length);
  for (let j = 0; j < z.data.length; j++) {
    const zp: Matrix = { rows: z.rows, cols: z.cols, data: Float64Array.from(z.data) };
    const zm: Matrix = { rows: z.rows, cols: z.cols, data: Float64Array.from(z.data) };
    zp.data[j] = z.data[j]! + H;
    zm.data[j] = z.data[j]! - H;
    out[j] = (f(zp) - f(zm)) / (2 * H);
  }
  return out;
}

function expectGradMatchesFd(loss: (z: Matrix) => LossResult, z: Matrix): void {
  const { value, grad } = loss(z);
  expect(grad.rows).toBe(z.rows);
  expect(grad.cols).toBe(z.cols);
  const fd = finiteDifferences((m) => loss(m).value, z);
  // FD round-off is ≈ ε·|f|/h ≈ 2e-10·|f|; the relative tolerance 1e-6 covers truncation error.
  expect(grad.data).toBeDeepCloseTo(fd, { abs: 1e-8 * Math.max(1, Math.abs(value)), rel: 1e-6 });
}

function randomLogits(rng: Rng, n: number, k: number, extreme: boolean): Matrix {
  const data = new Float64Array(n * k);
  const levels = [-50, 50, 0, 3.7];
  for (let j = 0; j < data.length; j++) {
    data[j] = extreme ? levels[rng.int(levels.length)]! + 0.01 * rng.normal() : 3 * rng.normal();
  }
  return { rows: n, cols: k, data };
}

function randomLabels(rng: Rng, n: number, k: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(k));
}

function randomWeights(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => 0.1 + 2 * rng.next());
}

const SETTINGS = [2, 3, 5].flatMap((k) => [false, true].map((extreme) => ({ k, extreme })));

describe.each(SETTINGS)(
  'gradients match finite differences (K = $k, extreme = $extreme)',
  ({ k, extreme }) => {
    const seed = 1000 * k + (extreme ? 1 : 0);
    const n = 7;
    const rng = createRng(seed);
    const z = randomLogits(rng, n, k, extreme);
    const labels = randomLabels(rng, n, k);
    const continuous = Float64Array.from({ length: n }, () => (k - 1) * rng.next());
    const weights = randomWeights(rng, n);
    const classWeights = randomWeights(rng, k);
    const groups = Int32Array.from({ length: n }, () => rng.int(2));
    const reference = randomLogits(rng, n, k, extreme);
    const chosen = randomLabels(rng, n, k);
    const rejected = Int32Array.from(chosen, (c) => (c + 1 + rng.int(k - 1)) % k);
    const teacher = randomLogits(rng, n, k, extreme);
    const q = Float64Array.from({ length: n * k }, () => rng.next());
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += q[i * k + c]!;
      for (let c = 0; c < k; c++) q[i * k + c]! /= s;
    }
    q.fill(0, 0, k); // a hard teacher row with zeros
    q[k - 1] = 1;

    it('softmax cross-entropy (plain, class + sample weights)', () => {
      expectGradMatchesFd((m) => softmaxCrossEntropy(m, labels), z);
      expectGradMatchesFd(
        (m) => softmaxCrossEntropy(m, labels, { classWeights, sampleWeights: weights }),
        z,
      );
    });
    it('ordinal soft-label (integer and continuous labels, both distances)', () => {
      expectGradMatchesFd((m) => ordinalSoftLabelLoss(m, labels), z);
      expectGradMatchesFd(
        (m) =>
          ordinalSoftLabelLoss(m, continuous, {
            alpha: 1,
            distance: 'absolute',
            sampleWeights: weights,
          }),
        z,
      );
    });
    it('pairwise margin (all pairs and within groups)', () => {
      expectGradMatchesFd((m) => pairwiseMarginLoss(m, labels), z);
      expectGradMatchesFd((m) => pairwiseMarginLoss(m, continuous, { delta: 0.5, groups }), z);
    });
    it('confidence penalty', () => {
      expectGradMatchesFd((m) => confidencePenalty(m), z);
      expectGradMatchesFd((m) => confidencePenalty(m, { sampleWeights: weights }), z);
    });
    it('graded loss (defaults and all terms on)', () => {
      expectGradMatchesFd((m) => gradedLoss(m, labels), z);
      expectGradMatchesFd(
        (m) =>
          gradedLoss(m, continuous, {
            lambdaMargin: 1,
            lambdaConfidence: 0.1,
            groups,
            sampleWeights: weights,
          }),
        z,
      );
    });
    it('focal loss (γ = 2, 0.5, 0 with α)', () => {
      expectGradMatchesFd((m) => focalLoss(m, labels), z);
      expectGradMatchesFd((m) => focalLoss(m, labels, { gamma: 0.5, alpha: classWeights }), z);
      expectGradMatchesFd((m) => focalLoss(m, labels, { gamma: 0, sampleWeights: weights }), z);
    });
    it('DPO (w.r.t. the policy logits only)', () => {
      expectGradMatchesFd((m) => dpoLoss(m, { referenceLogits: reference, chosen, rejected }), z);
      expectGradMatchesFd(
        (m) =>
          dpoLoss(
            m,
            { referenceLogits: reference, chosen, rejected },
            { beta: 2, sampleWeights: weights },
          ),
        z,
      );
    });
    it('distillation (teacher logits and teacher probabilities, T = 1, 2, 0.5)', () => {
      expectGradMatchesFd((m) => distillationLoss(m, { logits: teacher }), z);
      expectGradMatchesFd(
        (m) => distillationLoss(m, { logits: teacher }, { temperature: 2, sampleWeights: weights }),
        z,
      );
      expectGradMatchesFd(
        (m) => distillationLoss(m, { probs: { rows: n, cols: k, data: q } }, { temperature: 0.5 }),
        z,
      );
    });
  },
);
