/**
 * Random scorers and batches for the ONNX parity tests: seeded configs (small random sizes, or the defaults with a
 * 13k-word + 32k-bucket table), random parameters, and pairs with padding, truncation, unknown words spread over
 * several slots, an empty query, an empty item and an exact match. Also the TypeScript reference of every graph
 * output: `forwardScorer`, softmax, expected grade and the `@gradeshift/ood` detectors.
 * @internal
 */
import {
  createScorerConfig,
  DEFAULT_SCORER_CONFIG,
  expectedGrades,
  forwardScorer,
  gradeProbabilities,
  packScorerBatch,
  type ScorerBatch,
  type ScorerConfig,
  type ScorerPairTokens,
  type ScorerParams,
} from '@gradeshift/core';
import { createRng, type Rng } from '@gradeshift/core/math';
import { randomScorerParams } from '@gradeshift/core/testing';
import {
  fitEnergy,
  fitMahalanobis,
  type MahalanobisDetector,
  type OodDetector,
} from '@gradeshift/ood';

/** A scorer, a batch and the fitted detectors. @internal */
export interface ParityCase {
  readonly params: ScorerParams;
  readonly batch: ScorerBatch;
  readonly mahalanobis: MahalanobisDetector;
  readonly energy: OodDetector;
  readonly temperature: number;
}

/** The reference value of every graph output. @internal */
export interface ParityReference {
  readonly logits: Float64Array;
  readonly probs: Float64Array;
  readonly expected: Float64Array;
  readonly features: Float64Array;
  readonly mahalanobis: Float64Array;
  readonly energy: Float64Array;
}

/** A small config with random sizes (F random too: the graph takes any lexical width). @internal */
export function randomConfig(rng: Rng): ScorerConfig {
  const size = (lo: number, hi: number): number => lo + rng.int(hi - lo + 1);
  return createScorerConfig({
    embeddingDim: size(3, 12),
    slots: size(1, 5),
    maxQueryTokens: size(1, 6),
    maxItemTokens: size(1, 9),
    projectionDim: size(2, 8),
    hidden1: size(3, 12),
    hidden2: size(3, 8),
    lexicalDim: size(1, 23),
    grades: size(2, 4),
  });
}

function randomTokens(
  rng: Rng,
  sizes: { length: number; words: number; rows: number; slots: number },
): number[][] {
  return Array.from({ length: sizes.length }, () => {
    // One in four tokens is an unknown word: its n-gram buckets, possibly more than the slots hold.
    if (rng.next() >= 0.25) return [rng.int(sizes.words)];
    return Array.from(
      { length: 1 + rng.int(sizes.slots + 2) },
      () => sizes.words + rng.int(sizes.rows - sizes.words),
    );
  });
}

/** Random pairs; pair 0 has an empty query, pair 1 an empty item, pair 2 an exact match, pair 3 both empty. @internal */
export function randomPairs(
  rng: Rng,
  options: { config: ScorerConfig; rows: number; count: number },
): ScorerPairTokens[] {
  const { config, rows, count } = options;
  const words = Math.max(1, Math.floor(rows / 3));
  const sizes = { words, rows, slots: config.slots };
  return Array.from({ length: count }, (_, p) => {
    const lexical = Array.from({ length: config.lexicalDim }, () => rng.next());
    const query =
      p === 0 || p === 3
        ? []
        : randomTokens(rng, { ...sizes, length: 1 + rng.int(config.maxQueryTokens + 2) });
    if (p === 2) return { query, item: query, lexical };
    const item =
      p === 1 || p === 3
        ? []
        : randomTokens(rng, { ...sizes, length: 1 + rng.int(config.maxItemTokens + 3) });
    return { query, item, lexical };
  });
}

/** Random parameters (core's test helper): embeddings N(0, scale²), He/Glorot weights, gate and biases N(0, 0.25). @internal */
export const randomParams = randomScorerParams;

/**
 * A parity case: `fit` pairs (with random grades) fit the Mahalanobis detector on their TypeScript features; `test`
 * pairs are scored.
 * @internal
 */
export async function createParityCase(
  seed: number,
  options: {
    config?: ScorerConfig;
    rows?: number;
    scale?: number;
    normalize: boolean;
    pairs?: number;
  },
): Promise<ParityCase> {
  const rng = createRng(seed);
  const config = options.config ?? randomConfig(rng);
  const rows = options.rows ?? 10 + rng.int(50);
  const params = randomParams(rng, { config, rows, scale: options.scale ?? 0.5 });
  const fitBatch = packScorerBatch(randomPairs(rng, { config, rows, count: 300 }), config);
  const fitFeatures = (await forwardScorer(params, fitBatch)).features;
  const labels = Int32Array.from({ length: fitBatch.size }, (_, i) => i % config.grades);
  const mahalanobis = await fitMahalanobis(
    { features: fitFeatures, labels },
    { normalize: options.normalize, numClasses: config.grades },
  );
  const temperature = 0.5 + 2 * rng.next();
  const energy = await fitEnergy({}, { numClasses: config.grades, temperature });
  const batch = packScorerBatch(
    randomPairs(rng, { config, rows, count: options.pairs ?? 40 }),
    config,
  );
  return { params, batch, mahalanobis, energy, temperature };
}

/**
 * Max |a − b| over the entries (NaN when an entry is NaN, so a `≤ limit` check fails).
 * @throws RangeError when the lengths differ
 * @internal
 */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} and ${b.length}`);
  let m = 0;
  // Math.max propagates NaN.
  for (let i = 0; i < a.length; i++)
    m = Math.max(m, Math.abs((a[i] ?? Number.NaN) - (b[i] ?? Number.NaN)));
  return m;
}

/** The TypeScript value of every graph output for the case's batch. @internal */
export async function parityReference(parity: ParityCase): Promise<ParityReference> {
  const { logits, features } = await forwardScorer(parity.params, parity.batch);
  const probs = gradeProbabilities(logits);
  return {
    logits: logits.data,
    probs,
    expected: expectedGrades({ rows: logits.rows, cols: logits.cols, data: probs }),
    features: features.data,
    mahalanobis: await parity.mahalanobis.score({ features }),
    energy: await parity.energy.score({ logits }),
  };
}

/** The default sizes (D = 100, S = 8, Lq = 16, Lt = 32, Dp = 8, H1 = 96, H2 = 48, F = 26, K = 3). @internal */
export const DEFAULT_SIZES: ScorerConfig = DEFAULT_SCORER_CONFIG;

/** Rows of a 13k-word vocabulary with 32k n-gram buckets. @internal */
export const DEFAULT_TABLE_ROWS = 13_000 + 32_768;
