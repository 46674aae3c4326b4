import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { matrixFromRows } from '../math/matrix';
import { distillationLoss, type DistillationTeacher } from './distillation';

interface KlCase {
  student: number[][];
  teacherLogits?: number[][];
  teacherProbs?: number[][];
  temperature: number;
  value: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/losses.json', import.meta.url), 'utf8'),
) as { kl: KlCase[] };

describe('distillationLoss', () => {
  it.each(golden.kl)(
    'matches T**2 * scipy.special.rel_entr(q, softmax(zs / T)).sum(1).mean() (T = $temperature)',
    (c) => {
      const teacher: DistillationTeacher =
        c.teacherLogits === undefined
          ? { probs: matrixFromRows(c.teacherProbs ?? []) }
          : { logits: matrixFromRows(c.teacherLogits) };
      const r = distillationLoss(matrixFromRows(c.student), teacher, {
        temperature: c.temperature,
      });
      expect(r.value).toBeDeepCloseTo(c.value, { abs: 1e-14, rel: 1e-12 });
    },
  );

  it('hand-worked: q = (½, ½), student (2 ln 3, 0) at T = 2 → p = (¾, ¼)', () => {
    // KL = ½ ln(⅔) + ½ ln 2 = ½ ln(4/3); × T² = 2 ln(4/3); gradient T(p − q) = (0.5, −0.5)
    const { value, grad } = distillationLoss(
      matrixFromRows([[2 * Math.log(3), 0]]),
      { probs: matrixFromRows([[0.5, 0.5]]) },
      { temperature: 2 },
    );
    expect(value).toBeCloseTo(2 * Math.log(4 / 3), 14);
    expect(grad.data).toBeDeepCloseTo([0.5, -0.5], { abs: 1e-15 });
  });

  it('is zero with zero gradient when the student equals the teacher (logits, any T)', () => {
    const z = matrixFromRows([
      [1, -3, 0.5],
      [50, -50, 0],
    ]);
    for (const temperature of [0.5, 1, 3]) {
      const { value, grad } = distillationLoss(z, { logits: z }, { temperature });
      expect(value).toBeCloseTo(0, 13);
      expect(grad.data).toBeDeepCloseTo(new Float64Array(6), { abs: 1e-14 }); // round-off of Σq = 1 ± ulp
    }
  });

  it('teacher zeros contribute 0 (rel_entr convention) and hard targets reduce to T²·CE', () => {
    const { value } = distillationLoss(matrixFromRows([[Math.log(3), 0]]), {
      probs: matrixFromRows([[0, 1]]),
    });
    expect(value).toBeCloseTo(Math.log(4), 14);
  });

  it('rejects bad input', () => {
    const z = matrixFromRows([[0, 1, 2]]);
    expect(() => distillationLoss(z, { probs: matrixFromRows([[0.5, 0.6, 0]]) })).toThrow(
      /teacher.probs row 0 must sum to 1 \(got 1.1; teacher.probs is 1×3\)/,
    );
    expect(() => distillationLoss(z, { probs: matrixFromRows([[-0.5, 1.5, 0]]) })).toThrow(
      /teacher.probs\[0\]\[0\] must be a probability in \[0, 1\]/,
    );
    expect(() => distillationLoss(z, { probs: matrixFromRows([[Number.NaN, 1, 0]]) })).toThrow(
      /teacher.probs\[0\]\[0\]/,
    );
    expect(() => distillationLoss(z, { logits: matrixFromRows([[0, 1]]) })).toThrow(
      /studentLogits and teacher.logits must have the same shape \(got 1×3 and 1×2\)/,
    );
    expect(() => distillationLoss(z, { logits: matrixFromRows([[0, Number.NaN, 1]]) })).toThrow(
      /teacher.logits\[0\]\[1\] must be finite/,
    );
    expect(() => distillationLoss(z, { logits: z }, { temperature: 0 })).toThrow(
      /options.temperature must be > 0 \(got 0\)/,
    );
    expect(() => distillationLoss(matrixFromRows([[Number.NaN, 0, 0]]), { logits: z })).toThrow(
      /studentLogits\[0\]\[0\] must be finite/,
    );
    expect(() => distillationLoss(z, {} as DistillationTeacher)).toThrow(TypeError);
  });
});
