/**
 * The exported scorer graph in onnxruntime-node against the TypeScript forward pass (`forwardScorer`) and
 * plain float64 references of the two in-graph OOD scores. The pipeline's parity test repeats this against the
 * `@gradeshift/ood` detectors at the default sizes.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { createTensor } from '../model/tensor';
import { createNodeBackend } from '../node/create-node-backend';
import { createPairFeaturizer } from '../scorer/featurize-pairs';
import { forwardScorer } from '../scorer/forward';
import { cloneParams } from '../scorer/params';
import { scorerBatchFeeds } from './batch-feeds';
import { exportScorerOnnx } from './export-scorer-onnx';
import {
  roleNames,
  SCORER_ONNX_INPUTS,
  SCORER_ONNX_OOD_OUTPUTS,
  SCORER_ONNX_OUTPUTS,
} from './onnx-names';
import type { MahalanobisGraphState } from './ood-graph';
import {
  SMALL_BUNDLE_CONFIG,
  smallMahalanobis,
  smallParams,
  smallVocabulary,
} from './test-fixtures';

const backend = createNodeBackend({ intraOpNumThreads: 1 });
const sessions: { dispose(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

// Padding, unknown words (n-gram buckets), an empty query, an empty item, a title longer than Lt, numbers.
const PAIRS = [
  { query: 'angle bracket', item: 'Simpson steel angle bracket 12-gauge' },
  {
    query: 'rain shower head',
    item: 'White rain shower head 8 inch chrome finish with extra long arm and valve kit',
  },
  { query: 'deck over paint', item: 'BEHR DeckOver white deck paint' },
  { query: 'brakcet', item: 'galvanized bracket' },
  { query: '', item: 'steel angle' },
  { query: 'deck paint', item: '' },
  { query: '--', item: '??' },
  { query: 'white white white white white white white', item: 'white' },
];

function mahalanobisReference(features: Float64Array, state: MahalanobisGraphState): number[] {
  const { dim: d, numClasses: k } = state;
  const out: number[] = [];
  for (let i = 0; i < features.length / d; i++) {
    const h = Array.from(features.subarray(i * d, (i + 1) * d));
    const norm = Math.sqrt(h.reduce((s, v) => s + v * v, 0));
    const x = state.normalize ? h.map((v) => v / (norm + 1e-10)) : h;
    let best = Infinity;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let r = 0; r < d; r++) {
        let z = 0;
        for (let j = 0; j < d; j++)
          z += (state.whitening[r * d + j] ?? 0) * ((x[j] ?? 0) - (state.means[c * d + j] ?? 0));
        dist += z * z;
      }
      best = Math.min(best, dist);
    }
    out.push(best);
  }
  return out;
}

function energyReference(logits: Float64Array, k: number, temperature: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < logits.length / k; i++) {
    const row = Array.from(logits.subarray(i * k, (i + 1) * k));
    const m = Math.max(...row);
    out.push(
      -(m + temperature * Math.log(row.reduce((s, z) => s + Math.exp((z - m) / temperature), 0))),
    );
  }
  return out;
}

async function runBoth(seed: number, normalize: boolean) {
  const vocabulary = smallVocabulary();
  const params = smallParams(seed, vocabulary);
  const mahalanobis = smallMahalanobis(seed + 10, normalize);
  const session = await backend.createSession(
    exportScorerOnnx({ params, mahalanobis, energy: { temperature: 1.5 } }),
  );
  sessions.push(session);
  const batch = createPairFeaturizer({ vocabulary, config: SMALL_BUNDLE_CONFIG }).featurize(PAIRS);
  const out = await session.run(
    scorerBatchFeeds(batch, { config: SMALL_BUNDLE_CONFIG, inputs: SCORER_ONNX_INPUTS }),
  );
  const ref = await forwardScorer(params, batch);
  return { out, ref, mahalanobis };
}

const TOL = { abs: 1e-5, rel: 1e-5 };

describe('exportScorerOnnx in onnxruntime-node', () => {
  it.each([
    [1, true],
    [2, false],
    [3, true],
  ])(
    'matches forwardScorer and the OOD formulas (seed %i, normalize %s)',
    async (seed, normalize) => {
      const { out, ref, mahalanobis } = await runBoth(seed, normalize);
      const k = SMALL_BUNDLE_CONFIG.grades;
      const logits = Array.from(ref.logits.data);
      const probs = logits.map((_, j) => {
        const row = logits.slice(j - (j % k), j - (j % k) + k);
        const m = Math.max(...row);
        return Math.exp((logits[j] ?? 0) - m) / row.reduce((s, z) => s + Math.exp(z - m), 0);
      });
      const expected = PAIRS.map((_, i) => (probs[i * k + 1] ?? 0) + 2 * (probs[i * k + 2] ?? 0));
      expect(Array.from(out[SCORER_ONNX_OUTPUTS.logits]?.data as Float32Array)).toBeDeepCloseTo(
        logits,
        TOL,
      );
      expect(Array.from(out[SCORER_ONNX_OUTPUTS.features]?.data as Float32Array)).toBeDeepCloseTo(
        Array.from(ref.features.data),
        TOL,
      );
      expect(Array.from(out[SCORER_ONNX_OUTPUTS.probs]?.data as Float32Array)).toBeDeepCloseTo(
        probs,
        TOL,
      );
      expect(
        Array.from(out[SCORER_ONNX_OUTPUTS.expectedGrade]?.data as Float32Array),
      ).toBeDeepCloseTo(expected, TOL);
      expect(
        Array.from(out[SCORER_ONNX_OOD_OUTPUTS.mahalanobis]?.data as Float32Array),
      ).toBeDeepCloseTo(mahalanobisReference(ref.features.data, mahalanobis), {
        abs: 1e-4,
        rel: 1e-5,
      });
      expect(Array.from(out[SCORER_ONNX_OOD_OUTPUTS.energy]?.data as Float32Array)).toBeDeepCloseTo(
        energyReference(ref.logits.data, k, 1.5),
        TOL,
      );
    },
  );

  it('declares the named inputs and outputs, OOD outputs only when their state is given', async () => {
    const params = smallParams(4, smallVocabulary());
    const plain = await backend.createSession(exportScorerOnnx({ params }));
    sessions.push(plain);
    expect([...plain.inputNames].sort()).toEqual(roleNames(SCORER_ONNX_INPUTS).sort());
    expect([...plain.outputNames].sort()).toEqual(roleNames(SCORER_ONNX_OUTPUTS).sort());
    const energyOnly = await backend.createSession(
      exportScorerOnnx({ params, energy: { temperature: 1 } }),
    );
    sessions.push(energyOnly);
    expect(energyOnly.outputNames).toContain(SCORER_ONNX_OOD_OUTPUTS.energy);
    expect(energyOnly.outputNames).not.toContain(SCORER_ONNX_OOD_OUTPUTS.mahalanobis);
  });

  it('keeps the energy finite for huge logits (ReduceLogSumExp subtracts the row maximum)', async () => {
    const vocabulary = smallVocabulary();
    const params = cloneParams(smallParams(5, vocabulary));
    params.W3.data.fill(0);
    params.b3.data.set([1000, 0, -1000]);
    const session = await backend.createSession(
      exportScorerOnnx({ params, energy: { temperature: 0.5 } }),
    );
    sessions.push(session);
    const batch = createPairFeaturizer({ vocabulary, config: SMALL_BUNDLE_CONFIG }).featurize(
      PAIRS.slice(0, 2),
    );
    const out = await session.run(
      scorerBatchFeeds(batch, { config: SMALL_BUNDLE_CONFIG, inputs: SCORER_ONNX_INPUTS }),
    );
    // −T·logsumexp([1000, 0, −1000]/T) = −1000 − T·log(1 + e^(−2000) + e^(−4000)) = −1000 in float32.
    expect(Array.from(out[SCORER_ONNX_OOD_OUTPUTS.energy]?.data as Float32Array)).toEqual([
      -1000, -1000,
    ]);
    expect(Array.from(out[SCORER_ONNX_OUTPUTS.probs]?.data as Float32Array)).toEqual([
      1, 0, 0, 1, 0, 0,
    ]);
  });

  it('fails the run for an id outside the embedding table instead of reading past it', async () => {
    const vocabulary = smallVocabulary();
    // Log level 4 (fatal only): the runtime's own report of the bad index would go to stderr.
    const session = await backend.createSession(
      exportScorerOnnx({ params: smallParams(6, vocabulary) }),
      { logSeverityLevel: 4 },
    );
    sessions.push(session);
    const batch = createPairFeaturizer({ vocabulary, config: SMALL_BUNDLE_CONFIG }).featurize(
      PAIRS.slice(0, 1),
    );
    const feeds = scorerBatchFeeds(batch, {
      config: SMALL_BUNDLE_CONFIG,
      inputs: SCORER_ONNX_INPUTS,
    });
    const ids = (feeds[SCORER_ONNX_INPUTS.itemIds]?.data as BigInt64Array).slice();
    ids[0] = BigInt(vocabulary.embeddingRows);
    feeds[SCORER_ONNX_INPUTS.itemIds] = createTensor(
      'int64',
      ids,
      feeds[SCORER_ONNX_INPUTS.itemIds]?.dims ?? [],
    );
    await expect(session.run(feeds)).rejects.toThrow(/run failed/);
  });
});

describe('exportScorerOnnx checks', () => {
  const params = smallParams(7, smallVocabulary());
  it('rejects an OOD state that does not fit the scorer', () => {
    const state = smallMahalanobis(1, true);
    expect(() => exportScorerOnnx({ params, mahalanobis: { ...state, dim: 5 } })).toThrow(
      "mahalanobis.dim must equal the scorer's hidden2 = 6 (got 5)",
    );
    expect(() => exportScorerOnnx({ params, mahalanobis: { ...state, means: [1, 2] } })).toThrow(
      'mahalanobis.means must have numClasses·dim = 3·6 entries (got 2)',
    );
    expect(() =>
      exportScorerOnnx({
        params,
        mahalanobis: { ...state, whitening: new Float64Array(36).fill(Number.NaN) },
      }),
    ).toThrow('mahalanobis.whitening[0] must be finite');
    expect(() => exportScorerOnnx({ params, energy: { temperature: 0 } })).toThrow(
      'energy.temperature must be > 0 (got 0)',
    );
  });

  it('rejects parameters that disagree with their config', () => {
    const bad = { ...params, b1: { dims: [3], data: new Float64Array(3) } };
    expect(() => exportScorerOnnx({ params: bad })).toThrow('params.b1 must have dims [10]');
  });
});
