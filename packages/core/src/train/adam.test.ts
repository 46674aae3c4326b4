import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clipGradientNormInPlace, createAdam } from './adam';

interface Golden {
  adamw: { theta: number[]; grads: number[][]; steps: number[][] };
  clip: { grads: number[][]; norm: number; clipped: number[][] };
}
const golden = JSON.parse(
  readFileSync(new URL('../../../../tests/fixtures/golden/scorer.json', import.meta.url), 'utf8'),
) as Golden;

describe('createAdam', () => {
  it('follows torch.optim.AdamW (lr=1e-2, weight_decay=0.1) for 4 steps (golden_scorer.py, numpy transcription)', () => {
    const theta = Float64Array.from(golden.adamw.theta);
    const adam = createAdam([{ size: 5, decay: true }], { learningRate: 1e-2, weightDecay: 0.1 });
    golden.adamw.grads.forEach((g, t) => {
      adam.updateInPlace([theta], [Float64Array.from(g)]);
      expect(theta).toBeDeepCloseTo(golden.adamw.steps[t]!, { abs: 1e-14, rel: 1e-13 });
    });
    expect(adam.steps).toBe(4);
  });

  it('moves each weight by ≈ lr·sign(g) on the first step (bias correction: m̂/√v̂ = g/|g|)', () => {
    const theta = Float64Array.of(1, -2, 0.5);
    const grad = Float64Array.of(3, -0.001, 1e-4);
    createAdam([{ size: 3, decay: false }], { learningRate: 0.1 }).updateInPlace([theta], [grad]);
    // Hand-worked: θ − lr·g/(|g| + ε) with ε = 1e-8.
    expect(theta).toBeDeepCloseTo(
      [
        1 - 0.1 * (3 / (3 + 1e-8)),
        -2 + 0.1 * (0.001 / (0.001 + 1e-8)),
        0.5 - 0.1 * (1e-4 / (1e-4 + 1e-8)),
      ],
      { abs: 1e-15, rel: 1e-12 },
    );
  });

  it('decays only flagged tensors; decoupled decay shrinks θ by lr·λ·θ, L2 decay acts through the gradient', () => {
    const w = Float64Array.of(2);
    const bias = Float64Array.of(2);
    createAdam(
      [
        { size: 1, decay: true },
        { size: 1, decay: false },
      ],
      { learningRate: 0.1, weightDecay: 0.5 },
    ).updateInPlace([w, bias], [new Float64Array(1), new Float64Array(1)]);
    expect(w[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 14); // AdamW: the zero gradient leaves the Adam part at 0
    expect(bias[0]).toBe(2);
    const l2 = Float64Array.of(2);
    createAdam([{ size: 1, decay: true }], {
      learningRate: 0.1,
      weightDecay: 0.5,
      decoupled: false,
    }).updateInPlace([l2], [new Float64Array(1)]);
    expect(l2[0]).toBeCloseTo(2 - 0.1, 6); // Adam + L2: g = λθ = 1, so the first step is ≈ lr·sign(g)
  });

  it('rejects mismatched tensor lists, NaN gradients and bad hyperparameters', () => {
    const adam = createAdam([{ size: 2, decay: false }]);
    expect(() => adam.updateInPlace([new Float64Array(2)], [])).toThrow(
      /params and grads must list 1 tensors \(got 1 and 0\)/,
    );
    expect(() => adam.updateInPlace([new Float64Array(3)], [new Float64Array(3)])).toThrow(
      /params\[0\] and grads\[0\] must have 2 entries \(got 3 and 3\)/,
    );
    expect(() =>
      adam.updateInPlace([new Float64Array(2)], [Float64Array.of(0, Number.NaN)]),
    ).toThrow(/grads\[0\]\[1\] must be finite \(got NaN\)/);
    expect(() => createAdam([], { beta1: 1 })).toThrow(
      /options\.beta1 must be in \[0, 1\) \(got 1\)/,
    );
    expect(() => createAdam([], { learningRate: -1 })).toThrow(/options\.learningRate must be ≥ 0/);
  });
});

describe('clipGradientNormInPlace', () => {
  it('matches torch.nn.utils.clip_grad_norm_(max_norm=1) (golden_scorer.py)', () => {
    const grads = golden.clip.grads.map((g) => Float64Array.from(g));
    expect(clipGradientNormInPlace(grads, 1)).toBeCloseTo(golden.clip.norm, 12);
    expect(grads).toBeDeepCloseTo(golden.clip.clipped, { abs: 1e-15, rel: 1e-13 });
  });

  it('leaves gradients below the limit untouched and rejects a bad limit or NaN', () => {
    const g = [Float64Array.of(0.3, 0.4)];
    expect(clipGradientNormInPlace(g, 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(g[0]!)).toEqual([0.3, 0.4]);
    expect(() => clipGradientNormInPlace(g, 0)).toThrow(/maxNorm must be > 0/);
    expect(() => clipGradientNormInPlace([Float64Array.of(Number.NaN)], 1)).toThrow(
      /grads\[0\]\[0\] must be finite/,
    );
  });
});
