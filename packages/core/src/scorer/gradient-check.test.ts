import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../losses/softmax-cross-entropy';
import { jsGemm } from '../math/gemm';
import { backwardScorer } from './backward';
import { forwardScorer } from './forward';
import { precomputeFrozen } from './frozen';
import { TRAINABLE_PARAM_NAMES } from './param-names';
import type { ScorerParams } from './params';
import { createTinyScorer } from './test-fixtures';

const LABELS = [2, 0, 1, 2, 0, 1];

async function lossAt(
  params: ScorerParams,
  input: Parameters<typeof forwardScorer>[1],
): Promise<number> {
  const { logits } = await forwardScorer(params, input);
  return softmaxCrossEntropy(logits, LABELS).value;
}

describe('backwardScorer: central finite differences through forward + softmax CE (Float64)', () => {
  it.each([7, 11, 23])(
    'matches every trainable parameter to 1e-5 relative (seed %i)',
    async (seed) => {
      const { params, batch } = createTinyScorer(seed);
      const frozen = precomputeFrozen(params, batch);
      const { logits, cache } = await forwardScorer(params, frozen);
      const grads = await backwardScorer(cache, softmaxCrossEntropy(logits, LABELS).grad);
      const h = 1e-5;
      let checked = 0;
      for (const name of TRAINABLE_PARAM_NAMES) {
        const data = params[name].data;
        const grad = grads[name];
        expect(grad.length, name).toBe(data.length);
        for (let i = 0; i < data.length; i++) {
          const keep = data[i]!;
          data[i] = keep + h;
          const up = await lossAt(params, frozen);
          data[i] = keep - h;
          const down = await lossAt(params, frozen);
          data[i] = keep;
          const numeric = (up - down) / (2 * h);
          const analytic = grad[i]!;
          const scale = Math.max(Math.abs(numeric), Math.abs(analytic), 1e-3);
          expect(
            Math.abs(numeric - analytic) / scale,
            `${name}[${i}]: analytic ${analytic}, numeric ${numeric}`,
          ).toBeLessThan(1e-5);
          checked++;
        }
      }
      expect(checked).toBe(Object.values(grads).reduce((s, g) => s + g.length, 0));
      // The gate, projection and every layer actually receive gradient (a zero gradient would pass trivially).
      for (const name of TRAINABLE_PARAM_NAMES)
        expect(
          grads[name].some((g) => Math.abs(g) > 1e-6),
          name,
        ).toBe(true);
    },
  );

  it('gives the same gradients through the Gemm port (jsGemm) as through the built-in loops', async () => {
    const { params, batch } = createTinyScorer(3);
    const viaLoops = await forwardScorer(params, batch);
    const viaPort = await forwardScorer(params, batch, { gemm: jsGemm });
    expect(viaPort.logits.data).toBeDeepCloseTo(viaLoops.logits.data, { abs: 1e-12, rel: 1e-12 });
    const dLogits = softmaxCrossEntropy(viaLoops.logits, LABELS).grad;
    const a = await backwardScorer(viaLoops.cache, dLogits);
    const b = await backwardScorer(viaPort.cache, dLogits, { gemm: jsGemm });
    expect(b).toBeDeepCloseTo(a, { abs: 1e-12, rel: 1e-12 });
  });

  it('rejects ∂L/∂logits of the wrong shape or with NaN', async () => {
    const { params, batch } = createTinyScorer();
    const { cache } = await forwardScorer(params, batch);
    await expect(
      backwardScorer(cache, { rows: 5, cols: 3, data: new Float64Array(15) }),
    ).rejects.toThrow(/dLogits must be 6 × 3 .*got 5 × 3/);
    const bad = new Float64Array(18);
    bad[4] = Number.NaN;
    await expect(backwardScorer(cache, { rows: 6, cols: 3, data: bad })).rejects.toThrow(
      /dLogits\[1\]\[1\] must be finite/,
    );
  });
});
