import { describe, expect, it } from 'vitest';

import { gradedLoss } from '../losses/graded-loss';
import { createRng } from '../math/prng';
import {
  backwardGradeHead,
  createGradeHead,
  featureStandardization,
  forwardGradeHead,
  type GradeHeadParams,
  type PairFeatureSource,
} from './grade-head';
import { gradeHeadMacroF1, trainGradeHead } from './train-grade-head';

function randomSource(
  rows: number,
  cols: number,
  seed: number,
): PairFeatureSource & { x: Float64Array } {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: rows * cols }, () => rng.normal() * 2 + 1);
  return { rows, cols, x, fill: (i, out) => out.set(x.subarray(i * cols, (i + 1) * cols)) };
}

const LOSS = { alpha: 4, lambdaMargin: 0.2 };

async function lossOf(
  head: GradeHeadParams,
  source: PairFeatureSource,
  rows: Int32Array,
  labels: Float64Array,
  groups: string[],
): Promise<number> {
  const { logits } = await forwardGradeHead(head, { source, rows });
  return gradedLoss({ rows: rows.length, cols: head.grades, data: logits }, labels, {
    ...LOSS,
    groups,
  }).value;
}

describe('grade head', () => {
  it('standardises with the population mean and 1/σ (1 for a constant column)', () => {
    const x = [1, 5, 3, 5, 5, 5];
    const source: PairFeatureSource = {
      rows: 3,
      cols: 2,
      fill: (i, out) => out.set(x.slice(i * 2, i * 2 + 2)),
    };
    const { mean, scale } = featureStandardization(source, [0, 1, 2]);
    expect(Array.from(mean)).toEqual([3, 5]);
    expect(scale[0]).toBeCloseTo(1 / Math.sqrt(8 / 3), 12);
    expect(scale[1]).toBe(1);
  });

  it('has the gradients of the graded loss that central finite differences give', async () => {
    const source = randomSource(12, 5, 1);
    const rows = Int32Array.from({ length: 12 }, (_, i) => i);
    const labels = Float64Array.from(rows, (i) => [0, 1, 2, 1.5, 0.25][i % 5] ?? 0);
    const groups = Array.from(rows, (i) => `q${i % 3}`);
    const head = createGradeHead(
      { inputs: 5, hidden: 4, grades: 3 },
      featureStandardization(source, rows),
      createRng(2),
    );
    head.b1.fill(0.1); // keep units away from the ReLU kink
    const forward = await forwardGradeHead(head, { source, rows });
    const { grad } = gradedLoss({ rows: 12, cols: 3, data: forward.logits }, labels, {
      ...LOSS,
      groups,
    });
    const grads = await backwardGradeHead(head, { forward, gradLogits: grad.data });
    const eps = 1e-6;
    let checked = 0;
    for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
      const p = head[name];
      for (let i = 0; i < p.length; i++) {
        const keep = p[i]!;
        p[i] = keep + eps;
        const up = await lossOf(head, source, rows, labels, groups);
        p[i] = keep - eps;
        const down = await lossOf(head, source, rows, labels, groups);
        p[i] = keep;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(numeric - grads[name][i]!)).toBeLessThan(1e-6 + 1e-4 * Math.abs(numeric));
        checked++;
      }
    }
    expect(checked).toBe(4 * 5 + 4 + 3 * 4 + 3);
  });

  it('learns grades that depend on the features, and stops early on validation', async () => {
    // Grade = which of three directions the row is closest to, plus noise: learnable, not linear in one feature.
    const make = (n: number, seed: number) => {
      const source = randomSource(n, 6, seed);
      const grades = Int32Array.from({ length: n }, (_, i) => {
        const x = source.x.subarray(i * 6, i * 6 + 6);
        const s = [x[0]! * x[1]!, x[2]! + x[3]!, -x[4]! - x[5]! + 2];
        return s.indexOf(Math.max(...s));
      });
      return { source, grades, rows: Int32Array.from({ length: n }, (_, i) => i) };
    };
    const train = make(1500, 3);
    const validation = make(500, 4);
    const epochs: number[] = [];
    const trained = await trainGradeHead(
      {
        source: train.source,
        rows: train.rows,
        labels: Float64Array.from(train.grades),
        groups: Array.from(train.rows, (i) => `q${i % 100}`),
      },
      validation,
      {
        hidden: 16,
        grades: 3,
        epochs: 40,
        patience: 3,
        learningRate: 1e-2,
        loss: (z, y, g) => gradedLoss(z, y, g === undefined ? LOSS : { ...LOSS, groups: g }),
        onEpoch: (e) => void epochs.push(e.epoch),
      },
    );
    expect(trained.validationMacroF1).toBeGreaterThan(0.8);
    expect(await gradeHeadMacroF1(trained.head, validation)).toBeCloseTo(
      trained.validationMacroF1,
      12,
    );
    expect(Math.max(...trained.history.map((h) => h.validationMacroF1))).toBe(
      trained.validationMacroF1,
    );
    expect(trained.history[trained.bestEpoch - 1]?.validationMacroF1).toBe(
      trained.validationMacroF1,
    );
    expect(epochs.length).toBe(trained.history.length);
  });
});
