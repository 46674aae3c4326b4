import { distillationLoss, gradedLoss, type ScorerLoss } from '@gradeshift/core';
import { createRng, softmax, type Matrix } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { createDistillLoss, type TeacherValues } from './distill-loss';

const H = 1e-6;
const K = 3;

const gold: ScorerLoss = (z, y, g) =>
  gradedLoss(
    z,
    y,
    g === undefined ? { alpha: 4, lambdaMargin: 0.2 } : { alpha: 4, lambdaMargin: 0.2, groups: g },
  );

/** A batch of 7 rows of a 10-pair set whose first 6 pairs are labelled (rows 7–9 are pool pairs). */
function fixture(seed: number) {
  const rng = createRng(seed);
  const n = 7;
  const logits: Matrix = {
    rows: n,
    cols: K,
    data: Float64Array.from({ length: n * K }, () => 2 * rng.normal()),
  };
  const teacherLogits: Matrix = {
    rows: 10,
    cols: K,
    data: Float64Array.from({ length: 10 * K }, () => 2 * rng.normal()),
  };
  const teacher: TeacherValues = { output: 'probs', values: softmax(teacherLogits).data };
  const rows = Int32Array.from([8, 0, 3, 9, 5, 1, 7]);
  const labels = Float64Array.from([0, 2, 1, 0, 1.5, 2, 0]);
  const groups = ['q1', 'q1', 'q2', 'q2', 'q1', 'q2', 'q3'];
  return { logits, teacher, rows, labels, groups };
}

function finiteDifferences(f: (z: Matrix) => number, z: Matrix): Float64Array {
  return Float64Array.from(z.data, (_, j) => {
    const zp = { ...z, data: Float64Array.from(z.data) };
    const zm = { ...z, data: Float64Array.from(z.data) };
    zp.data[j] = (z.data[j] ?? 0) + H;
    zm.data[j] = (z.data[j] ?? 0) - H;
    return (f(zp) - f(zm)) / (2 * H);
  });
}

describe('createDistillLoss', () => {
  it.each([
    { alpha: 0.3, temperature: 1 },
    { alpha: 0.7, temperature: 2 },
    { alpha: 0, temperature: 1.5 },
  ])('its gradient matches central finite differences (α $alpha, T $temperature)', (setting) => {
    for (const seed of [1, 2, 3]) {
      const { logits, teacher, rows, labels, groups } = fixture(seed);
      const loss = createDistillLoss({ gold, teacher, labelled: 7, ...setting });
      const { value, grad } = loss(logits, { labels, groups, rows });
      const fd = finiteDifferences((z) => loss(z, { labels, groups, rows }).value, logits);
      expect(Array.from(grad.data)).toBeDeepCloseTo(Array.from(fd), {
        abs: 1e-8 * Math.max(1, value),
        rel: 1e-6,
      });
    }
  });

  it('is α·(labelled share)·gold(labelled rows) + (1 − α)·KL(teacher ‖ student)', () => {
    const { logits, teacher, rows, labels, groups } = fixture(4);
    const value = createDistillLoss({ gold, teacher, labelled: 7, alpha: 0.4 })(logits, {
      labels,
      groups,
      rows,
    }).value;
    // Rows 0, 3, 5, 1 of the set (batch positions 1, 2, 4, 5) are labelled (index < 7); 8, 9, 7 are not.
    const at = [1, 2, 4, 5];
    const sub: Matrix = {
      rows: at.length,
      cols: K,
      data: Float64Array.from(
        at.flatMap((i) => Array.from(logits.data.subarray(i * K, i * K + K))),
      ),
    };
    const goldValue = gold(
      sub,
      Float64Array.from(at, (i) => labels[i] ?? 0),
      at.map((i) => groups[i] ?? ''),
    ).value;
    const probs = Float64Array.from(
      Array.from(rows).flatMap((r) => Array.from(teacher.values.subarray(r * K, r * K + K))),
    );
    const kd = distillationLoss(logits, { probs: { rows: 7, cols: K, data: probs } }).value;
    expect(value).toBeCloseTo(0.4 * (4 / 7) * goldValue + 0.6 * kd, 12);
  });

  it('is the gold loss itself at α = 1 (the teacher is not read)', () => {
    const { logits, rows, labels, groups } = fixture(5);
    const empty: TeacherValues = { output: 'probs', values: new Float64Array(0) };
    const loss = createDistillLoss({ gold, teacher: empty, labelled: 10, alpha: 1 });
    const a = loss(logits, { labels, groups, rows });
    const b = gold(logits, labels, groups);
    expect(a.value).toBe(b.value);
    expect(Array.from(a.grad.data)).toEqual(Array.from(b.grad.data));
  });

  it('softens teacher logits at T, as distillationLoss does', () => {
    const { logits, rows, labels, groups } = fixture(6);
    const values = Float64Array.from({ length: 10 * K }, (_, j) => (j % K) - 1);
    const loss = createDistillLoss({
      gold,
      teacher: { output: 'logits', values },
      labelled: 0,
      alpha: 0,
      temperature: 2,
    });
    const teacherBatch = {
      rows: 7,
      cols: K,
      data: Float64Array.from({ length: 7 * K }, (_, j) => (j % K) - 1),
    };
    expect(loss(logits, { labels, groups, rows }).value).toBeCloseTo(
      distillationLoss(logits, { logits: teacherBatch }, { temperature: 2 }).value,
      12,
    );
  });

  it('refuses α outside [0, 1]', () => {
    const { teacher } = fixture(7);
    expect(() => createDistillLoss({ gold, teacher, labelled: 1, alpha: 1.5 })).toThrow(
      /alpha must be in \[0, 1\] \(got 1.5\)/,
    );
  });
});
