/**
 * Sizes of the relevance scorer and the layout of its batched input (token-id slots per pair).
 */
import { TERM_MATCH_FEATURE_COUNT } from '../features/term-match';
import { assertInteger } from '../math/check';

/**
 * Sizes of the relevance scorer. Every field is a positive integer; see {@link DEFAULT_SCORER_CONFIG}.
 * The first-layer input size is {@link scorerInputDim} = 2·projectionDim + 4 + lexicalDim.
 */
export interface ScorerConfig {
  /** D, the width of the frozen word / n-gram-bucket vectors. @default 100 */
  readonly embeddingDim: number;
  /** S, id slots per token: a known word uses one slot, an unknown word its hashed char n-gram buckets. @default 8 */
  readonly slots: number;
  /** Lq, query tokens kept per pair (longer queries are truncated, shorter ones padded). @default 16 */
  readonly maxQueryTokens: number;
  /** Lt, item-title tokens kept per pair. @default 32 */
  readonly maxItemTokens: number;
  /**
   * Dp, rows of the shared projection P applied to the pooled query and item vectors. Small on purpose: a wide
   * projection of the pooled word vectors is where the scorer overfits first (on Home Depot ID validation, 8 beat
   * 12, 16 and 48). @default 8
   */
  readonly projectionDim: number;
  /** H1, width of the first hidden layer. @default 96 */
  readonly hidden1: number;
  /** H2, width of the second hidden layer: the feature space of the OOD detectors (Mahalanobis, KNN). @default 48 */
  readonly hidden2: number;
  /** F, length of the lexical term-match feature vector per pair (it must equal the feature extractor's length, `TERM_MATCH_FEATURE_COUNT`). @default TERM_MATCH_FEATURE_COUNT */
  readonly lexicalDim: number;
  /** K, number of relevance grades (irrelevant / weak / strong). @default 3 */
  readonly grades: number;
}

/** The default sizes: ≈ 10k trainable parameters, sized for fast CPU training on ~50k pairs. */
export const DEFAULT_SCORER_CONFIG: ScorerConfig = Object.freeze({
  embeddingDim: 100,
  slots: 8,
  maxQueryTokens: 16,
  maxItemTokens: 32,
  projectionDim: 8,
  hidden1: 96,
  hidden2: 48,
  lexicalDim: TERM_MATCH_FEATURE_COUNT,
  grades: 3,
});

/**
 * A batch of B (query, item) pairs as token-id slots. Token `i` of pair `b` owns the slots
 * `[(b·L + i)·S, (b·L + i + 1)·S)`. A slot with weight 0 is empty; a token whose weights are all 0 is padding.
 * A token's vector is Σ_s w_s·Emb[id_s]: a known word has one slot with weight 1, an unknown word its
 * n-gram buckets with weights 1/count (their mean).
 */
export interface ScorerBatch {
  /** B, the number of pairs. */
  readonly size: number;
  /** Embedding row per query slot, B·Lq·S entries, each in [0, V). */
  readonly queryIds: Int32Array;
  /** Weight per query slot, B·Lq·S finite entries ≥ 0. */
  readonly queryWeights: Float32Array;
  /** Embedding row per item slot, B·Lt·S entries, each in [0, V). */
  readonly itemIds: Int32Array;
  /** Weight per item slot, B·Lt·S finite entries ≥ 0. */
  readonly itemWeights: Float32Array;
  /** Lexical term-match features, B·F finite entries (row-major, one row per pair). */
  readonly lexical: Float32Array;
}

/**
 * A full config from partial overrides, checked.
 * @param overrides - fields that differ from {@link DEFAULT_SCORER_CONFIG}
 * @throws RangeError when a size is not a positive integer (or `grades` < 2)
 * @example createScorerConfig({ lexicalDim: 12 })
 */
export function createScorerConfig(overrides: Partial<ScorerConfig> = {}): ScorerConfig {
  const config: ScorerConfig = { ...DEFAULT_SCORER_CONFIG, ...overrides };
  assertScorerConfig(config);
  return Object.freeze(config);
}

/** Throws a RangeError naming the field unless every size is a positive integer and `grades` ≥ 2. */
export function assertScorerConfig(config: ScorerConfig): void {
  for (const key of Object.keys(DEFAULT_SCORER_CONFIG) as (keyof ScorerConfig)[]) {
    assertInteger(config[key], `config.${key}`, { min: key === 'grades' ? 2 : 1 });
  }
}

/** The first-layer input size In = 2·Dp + 4 + F (product and distance of the projections, 4 match summaries, lexical features). */
export function scorerInputDim(config: ScorerConfig): number {
  return 2 * config.projectionDim + MATCH_SUMMARY_COUNT + config.lexicalDim;
}

/** Number of match summaries in the first-layer input: mean maxSim, gate-weighted mean maxSim, min maxSim, fraction of maxSim > 0.9. */
export const MATCH_SUMMARY_COUNT = 4;

/**
 * Constants of the forward pass; an exported graph must use the same values.
 * - `normEpsilon`: token unit vectors are E / (‖E‖ + ε), so an all-zero token has cosine 0 with everything.
 * - `gateEpsilon`: the gated pooling divides by Σ g + ε, so a pair without query tokens pools to 0.
 * - `highMatch`: the threshold of the "fraction of query tokens with maxSim > τ" summary.
 */
export const SCORER_CONSTANTS = Object.freeze({
  normEpsilon: 1e-8,
  gateEpsilon: 1e-6,
  highMatch: 0.9,
});
