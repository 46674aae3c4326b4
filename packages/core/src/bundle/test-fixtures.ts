/**
 * A small bundle for tests: a scorer with the real term-match features (F = 26) and a 13-token vocabulary with
 * 32 n-gram buckets, random parameters (gate and biases too), a hand-made Mahalanobis state and calibrations.
 * @internal
 */
import { createVocabulary, type Vocabulary } from '../features/vocabulary';
import { DEFAULT_GRADE_SCALE } from '../grades/grade-scale';
import { createRng } from '../math/prng';
import type { ScorerParams } from '../scorer/params';
import { randomScorerParams } from '../scorer/random-params';
import { createScorerConfig, type ScorerConfig } from '../scorer/types';
import { completeBundleManifest, createBundleManifest } from './create-manifest';
import { exportScorerOnnx } from './export-scorer-onnx';
import type { BundleManifest, BundleOodScore } from './manifest';
import { SCORER_ONNX_OOD_OUTPUTS } from './onnx-names';
import type { MahalanobisGraphState } from './ood-graph';

/** D = 8, S = 4, Lq = 5, Lt = 8, Dp = 6, H1 = 10, H2 = 6, F = 26, K = 3. @internal */
export const SMALL_BUNDLE_CONFIG: ScorerConfig = createScorerConfig({
  embeddingDim: 8,
  slots: 4,
  maxQueryTokens: 5,
  maxItemTokens: 8,
  projectionDim: 6,
  hidden1: 10,
  hidden2: 6,
});

/** A vocabulary of 11 product words plus `<pad>`, `<unk>`, and 32 buckets of char 3–5-grams. @internal */
export function smallVocabulary(): Vocabulary {
  return createVocabulary({
    tokens: [
      '<pad>',
      '<unk>',
      'angle',
      'bracket',
      'steel',
      'deck',
      'paint',
      'over',
      'shower',
      'head',
      'rain',
      'inch',
      'white',
    ],
    subwords: { buckets: 32, minN: 3, maxN: 5 },
  });
}

/** Random parameters for {@link SMALL_BUNDLE_CONFIG} (standard-normal embeddings scaled by 0.5). @internal */
export function smallParams(seed: number, vocabulary: Vocabulary): ScorerParams {
  return randomScorerParams(createRng(seed), {
    config: SMALL_BUNDLE_CONFIG,
    rows: vocabulary.embeddingRows,
    scale: 0.5,
  });
}

/** A Mahalanobis state with random means and a lower-triangular whitening with positive diagonal. @internal */
export function smallMahalanobis(seed: number, normalize: boolean): MahalanobisGraphState {
  const rng = createRng(seed);
  const d = SMALL_BUNDLE_CONFIG.hidden2;
  const k = SMALL_BUNDLE_CONFIG.grades;
  const whitening = new Float64Array(d * d);
  for (let r = 0; r < d; r++)
    for (let c = 0; c <= r; c++)
      whitening[r * d + c] = r === c ? 1 + rng.next() : 0.3 * rng.normal();
  return {
    dim: d,
    numClasses: k,
    normalize,
    means: Float64Array.from({ length: k * d }, () => 0.4 * rng.normal()),
    whitening,
  };
}

/** An OOD score read from a graph output, calibrated on `sorted`, with the given threshold. @internal */
export function graphOodScore(
  output: string,
  calibration: { sorted: readonly number[]; threshold: number },
): BundleOodScore {
  return {
    source: { kind: 'graph', output },
    space: 'relevance',
    settings: {},
    calibration: { kind: 'percentile-calibration', version: 1, sorted: [...calibration.sorted] },
    threshold: { tpr: 0.95, value: calibration.threshold },
  };
}

/** The small bundle: parameters, OOD state, model bytes and a complete manifest (sha256 is a placeholder). @internal */
export function createSmallBundle(seed = 3): {
  vocabulary: Vocabulary;
  params: ScorerParams;
  mahalanobis: MahalanobisGraphState;
  model: Uint8Array;
  manifest: BundleManifest;
} {
  const vocabulary = smallVocabulary();
  const params = smallParams(seed, vocabulary);
  const mahalanobis = smallMahalanobis(seed + 1, true);
  const model = exportScorerOnnx({ params, mahalanobis, energy: { temperature: 2 } });
  const draft = createBundleManifest({
    config: SMALL_BUNDLE_CONFIG,
    scale: DEFAULT_GRADE_SCALE,
    vocabulary,
    ood: {
      mahalanobis: graphOodScore(SCORER_ONNX_OOD_OUTPUTS.mahalanobis, {
        sorted: [3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9],
        threshold: 3.7,
      }),
      energy: graphOodScore(SCORER_ONNX_OOD_OUTPUTS.energy, {
        sorted: [-3, -2.95, -2.9, -2.85],
        threshold: -2.9,
      }),
    },
    training: { dataSha256: 'a'.repeat(64), splitSeed: 0, sizes: { train: 100, id_test: 20 } },
    metrics: { 'id_test.ndcg@10': 0.5 },
    gradeshiftVersion: '0.1.0',
    createdAt: '2025-01-31T12:00:00.000Z',
  });
  return {
    vocabulary,
    params,
    mahalanobis,
    model,
    manifest: completeBundleManifest(draft, { sha256: '0'.repeat(64), bytes: model.length }),
  };
}
