/**
 * Parity of the exported scorer graph (onnxruntime-node, float32) with the TypeScript forward pass and the
 * `@gradeshift/ood` detectors (float64), on seeded random small configs and at the default sizes with a
 * 13k-word + 32k-bucket table: max |ONNX − TypeScript| ≤ 1e-4 on every output.
 */
import { afterAll, describe, expect, it } from 'vitest';

import {
  exportScorerOnnx,
  idPercentiles,
  MAHALANOBIS_NORM_EPSILON,
  SCORER_ONNX_INPUTS,
  SCORER_ONNX_OOD_OUTPUTS,
  SCORER_ONNX_OUTPUTS,
  scorerBatchFeeds,
  type InferenceSessionLike,
  type TensorLike,
} from '@gradeshift/core';
import { createNodeBackend } from '@gradeshift/core/node';
import { fitPercentileCalibration, L2_NORM_EPSILON } from '@gradeshift/ood';

import {
  createParityCase,
  DEFAULT_SIZES,
  DEFAULT_TABLE_ROWS,
  maxAbsDiff,
  parityReference,
  type ParityCase,
} from './parity-cases';

const backend = createNodeBackend({ intraOpNumThreads: 1 });
const sessions: InferenceSessionLike[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

function data(out: Record<string, TensorLike>, name: string): Float32Array {
  const t = out[name];
  if (t === undefined || !(t.data instanceof Float32Array))
    throw new Error(`no float32 output ${name}`);
  return t.data;
}

/** Runs the exported graph and returns the max abs difference of every output from the TypeScript reference. */
async function parityDiffs(parity: ParityCase): Promise<Record<string, number>> {
  const { params, batch, mahalanobis, temperature } = parity;
  const session = await backend.createSession(
    exportScorerOnnx({ params, mahalanobis: mahalanobis.toJSON(), energy: { temperature } }),
  );
  sessions.push(session);
  const out = await session.run(
    scorerBatchFeeds(batch, { config: params.config, inputs: SCORER_ONNX_INPUTS }),
  );
  const ref = await parityReference(parity);
  return {
    logits: maxAbsDiff(data(out, SCORER_ONNX_OUTPUTS.logits), ref.logits),
    probs: maxAbsDiff(data(out, SCORER_ONNX_OUTPUTS.probs), ref.probs),
    expected: maxAbsDiff(data(out, SCORER_ONNX_OUTPUTS.expectedGrade), ref.expected),
    features: maxAbsDiff(data(out, SCORER_ONNX_OUTPUTS.features), ref.features),
    mahalanobis: maxAbsDiff(data(out, SCORER_ONNX_OOD_OUTPUTS.mahalanobis), ref.mahalanobis),
    energy: maxAbsDiff(data(out, SCORER_ONNX_OOD_OUTPUTS.energy), ref.energy),
  };
}

const LIMIT = 1e-4;
const WITHIN = {
  logits: LIMIT,
  probs: LIMIT,
  expected: LIMIT,
  features: LIMIT,
  mahalanobis: LIMIT,
  energy: LIMIT,
};

describe('exported scorer graph vs forwardScorer + @gradeshift/ood detectors', () => {
  it('uses the detector’s normalisation epsilon', () => {
    expect(MAHALANOBIS_NORM_EPSILON).toBe(L2_NORM_EPSILON);
  });

  it.each([11, 12, 13, 14, 15, 16])(
    'agrees within 1e-4 on a random small config (seed %i)',
    async (seed) => {
      const diffs = await parityDiffs(await createParityCase(seed, { normalize: seed % 2 === 1 }));
      expect(
        Object.entries(diffs).filter(
          ([name, diff]) => !(diff <= (WITHIN[name as keyof typeof WITHIN] ?? 0)),
        ),
      ).toEqual([]);
    },
  );

  it.each([
    [21, true],
    [22, false],
  ])(
    'agrees within 1e-4 at the default sizes with a 13k + 32k table (seed %i, normalize %s)',
    async (seed, normalize) => {
      const parity = await createParityCase(seed, {
        config: DEFAULT_SIZES,
        rows: DEFAULT_TABLE_ROWS,
        scale: 0.5,
        normalize,
        pairs: 64,
      });
      const diffs = await parityDiffs(parity);
      expect(
        Object.entries(diffs).filter(
          ([name, diff]) => !(diff <= (WITHIN[name as keyof typeof WITHIN] ?? 0)),
        ),
      ).toEqual([]);
    },
    60_000,
  );

  it('places scores on the same ID percentiles as fitPercentileCalibration', () => {
    const held = [0.3, -1, 2, 2, 5.5, 0.3, 7, -2, 2];
    const scores = [-3, -1, 0.3, 1, 2, 2.0001, 7, 9];
    const calibration = fitPercentileCalibration(held);
    expect(idPercentiles(calibration.toJSON().sorted, scores)).toEqual(
      calibration.percentiles(scores),
    );
  });
});
