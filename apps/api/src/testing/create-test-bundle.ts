/**
 * A small but complete model bundle for the API's tests and benchmark: random scorer parameters over a
 * hardware-store vocabulary, Mahalanobis (in the graph) and energy (in the graph) plus a KNN state in the
 * manifest, each calibrated on held-out pairs, written with the pipeline's `writeBundle`. Kilobytes, built in
 * well under a second, no training data needed.
 * @internal
 */
import {
  createBundleManifest,
  createPairFeaturizer,
  createScorerConfig,
  createVocabulary,
  DEFAULT_GRADE_SCALE,
  exportScorerOnnx,
  forwardScorer,
  initParams,
  SCORER_ONNX_OOD_OUTPUTS,
  type GradeDecision,
} from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { fitKnn, fitMahalanobis } from '@gradeshift/ood';
import { calibrateOodScore, writeBundle, type WrittenBundle } from '@gradeshift/pipeline';

/** Words of the test vocabulary. @internal */
export const TEST_WORDS = [
  'angle',
  'bracket',
  'steel',
  'deck',
  'paint',
  'white',
  'shower',
  'head',
  'rain',
  'inch',
  'door',
  'hinge',
  'brass',
  'light',
  'bulb',
  'led',
  'pipe',
  'copper',
  'valve',
  'wood',
  'screw',
  'drill',
  'saw',
  'blade',
  'garden',
  'hose',
  'lawn',
  'mower',
  'tile',
  'floor',
  'wall',
  'plate',
] as const;

/** Query texts built from the vocabulary. @internal */
export const TEST_QUERIES = [
  'angle bracket',
  'deck paint',
  'shower head',
  'door hinge',
  'led light bulb',
  'copper pipe',
  'wood screw',
  'drill bit',
  'garden hose',
  'floor tile',
];

/** A deterministic item text: a few vocabulary words, with an unseen word now and then. @internal */
export function testItem(seed: number): string {
  const rng = createRng(seed + 1);
  const words: string[] = [];
  const n = 3 + rng.int(6);
  for (let i = 0; i < n; i++) {
    const word = TEST_WORDS[rng.int(TEST_WORDS.length)] ?? 'steel';
    words.push(rng.next() < 0.1 ? `${word}x${i}` : word);
  }
  return words.join(' ');
}

/** Options of {@link writeTestBundle}. @internal */
export interface WriteTestBundleOptions {
  /** The bundle folder. */
  dir: string;
  /** Parameter seed: two seeds give two different models. @default 1 */
  seed?: number;
  /**
   * `small`: tiny layers for tests; `pipeline`: the pipeline's default scorer sizes with 100-d embeddings, for
   * benchmarks that need the real model's cost per pair. @default 'small'
   */
  size?: 'small' | 'pipeline';
  /** The decision rule the manifest records. @default none (arg-max) */
  decision?: GradeDecision;
}

/**
 * Builds and writes a test bundle.
 * @param options - folder, seed, embedding width
 * @returns the written bundle
 * @internal
 */
export async function writeTestBundle(options: WriteTestBundleOptions): Promise<WrittenBundle> {
  const { dir, seed = 1, size = 'small', decision } = options;
  const config =
    size === 'pipeline'
      ? createScorerConfig({ embeddingDim: 100 })
      : createScorerConfig({
          embeddingDim: 8,
          slots: 4,
          maxQueryTokens: 6,
          maxItemTokens: 24,
          projectionDim: 6,
          hidden1: 16,
          hidden2: 8,
        });
  const { embeddingDim } = config;
  const vocabulary = createVocabulary({
    tokens: ['<pad>', '<unk>', ...TEST_WORDS],
    subwords: { buckets: 64, minN: 3, maxN: 5 },
  });
  const rng = createRng(seed);
  const rows = vocabulary.embeddingRows;
  const params = initParams(
    config,
    {
      dims: [rows, embeddingDim],
      data: Float32Array.from({ length: rows * embeddingDim }, () => 0.5 * rng.normal()),
    },
    rng,
  );
  const featurizer = createPairFeaturizer({ vocabulary, config });
  const pairs = (offset: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      query: TEST_QUERIES[i % TEST_QUERIES.length] ?? 'deck',
      item: testItem(offset + i),
    }));
  const fit = await forwardScorer(params, featurizer.featurize(pairs(0, 120)));
  const held = await forwardScorer(params, featurizer.featurize(pairs(1000, 60)));
  const labels = Int32Array.from({ length: 120 }, (_, i) => i % 3);
  const mahalanobis = await fitMahalanobis({ features: fit.features, labels });
  const knn = await fitKnn({ features: fit.features }, { k: 3 });
  const heldMahalanobis = await mahalanobis.score({ features: held.features });
  const heldKnn = await knn.score({ features: held.features });
  // Energy with T = 1: −logsumexp of the logits, the graph's own formula.
  const heldEnergy = Array.from({ length: held.logits.rows }, (_, i) => {
    const k = held.logits.cols;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, held.logits.data[i * k + c] ?? 0);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((held.logits.data[i * k + c] ?? 0) - max);
    return -(max + Math.log(sum));
  });
  const model = exportScorerOnnx({
    params,
    mahalanobis: mahalanobis.toJSON(),
    energy: { temperature: 1 },
  });
  const draft = createBundleManifest({
    config,
    scale: DEFAULT_GRADE_SCALE,
    vocabulary,
    ood: {
      mahalanobis: calibrateOodScore({
        source: { kind: 'graph', output: SCORER_ONNX_OOD_OUTPUTS.mahalanobis },
        heldOutIdScores: heldMahalanobis,
      }),
      energy: calibrateOodScore({
        source: { kind: 'graph', output: SCORER_ONNX_OOD_OUTPUTS.energy },
        heldOutIdScores: heldEnergy,
      }),
      knn: calibrateOodScore({
        source: { kind: 'detector', reads: 'features', state: { ...knn.toJSON() } },
        heldOutIdScores: heldKnn,
        settings: { k: 3 },
      }),
    },
    training: {
      dataSha256: 'c'.repeat(64),
      splitSeed: seed,
      sizes: { train: 120, validation: 60 },
    },
    metrics: { 'id_test.ndcg@10': null },
    gradeshiftVersion: '0.1.0',
    ...(decision === undefined ? {} : { decision }),
  });
  return writeBundle({ dir, model, manifest: draft });
}
