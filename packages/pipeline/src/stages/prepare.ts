/**
 * Stage "prepare": data set → query-disjoint splits → vocabulary → frozen embedding table → scorer batches.
 * Only text the model may legitimately see at training time (ID train and validation, and the unlabeled pool)
 * builds the vocabulary; test texts meet it as they would in production, through sub-word buckets.
 */
import {
  buildPairWeightTable,
  buildSurprisalTable,
  buildTermStatistics,
  computeContentFeatures,
  buildVocabulary,
  countTokens,
  createPairFeaturizer,
  createScorerConfig,
  prepareText,
  precomputeFrozen,
  type ContentFeatures,
  type EmbeddingTable,
  type FrozenBatch,
  type PairFeaturizer,
  type ScorerConfig,
  type SubwordConfig,
  type TermStatistics,
  type Vocabulary,
} from '@gradeshift/core';

import type { Dataset, LabeledPair } from '../data/dataset';
import { buildEmbeddingMatrix } from '../embeddings/embedding-matrix';
import { loadEmbeddingTable } from '../embeddings/load-embedding-table';
import { createSplits, type CreateSplitsOptions, type Splits } from '../splits/create-splits';
import type { PoolPair } from '../splits/unlabeled-pool';
import type { ProgressSink } from './progress';

/** Options for {@link prepareData}. */
export interface PrepareOptions {
  dataset: Dataset;
  splits: CreateSplitsOptions;
  /** Cache folder for the pruned word-vector table. */
  cacheDir: string;
  /** Scorer sizes. @default DEFAULT_SCORER_CONFIG */
  scorer?: Partial<ScorerConfig>;
  /** Hashed char n-gram buckets for unknown words. @default { buckets: 32768, minN: 3, maxN: 5 } */
  subwords?: SubwordConfig;
  progress?: ProgressSink;
}

/** One featurised split: its pairs and the scorer's frozen input. */
export interface PreparedSplit<TPair = LabeledPair> {
  readonly name: string;
  readonly pairs: readonly TPair[];
  readonly frozen: FrozenBatch;
  /** Integer grades (empty for the pool, whose labels are hidden). */
  readonly labels: Int32Array;
  /** Ratings on the grade axis (NaN where the data has none). */
  readonly ratings: Float64Array;
  /** Query of each pair, for per-query metrics and pairwise losses. */
  readonly queries: readonly string[];
  /**
   * The content space of each pair (pooled query / item directions, item surprisal), independent of the trained
   * weights; computed for the splits `prepareData` makes (not for the stage-2 training mix).
   */
  readonly content?: ContentFeatures;
}

/** Everything the training stages need. */
export interface PreparedData {
  readonly dataset: Dataset;
  readonly splits: Splits;
  readonly config: ScorerConfig;
  readonly vocabulary: Vocabulary;
  readonly embeddings: EmbeddingTable;
  /**
   * Document frequencies of the distinct ID-train texts (queries and titles), the IDF source of the weighted
   * term-match features. The featuriser was built with this object; a bundle must store it
   * (`createBundleManifest({ termStatistics })`) so serving weighs terms exactly as training did.
   */
  readonly termStatistics: TermStatistics;
  /** Per-embedding-row surprisal under {@link PreparedData.termStatistics} (`buildSurprisalTable`): the content space's word familiarity. */
  readonly surprisal: Float32Array;
  /** Per-embedding-row weight of the pair surprisal (`buildPairWeightTable`: 0 for number and unit words). */
  readonly pairWeights: Float32Array;
  /** Featuriser of every split (vocabulary, config and {@link PreparedData.termStatistics}). */
  readonly featurizer: PairFeaturizer;
  readonly idTrain: PreparedSplit;
  readonly idValidation: PreparedSplit;
  readonly idTest: PreparedSplit;
  readonly oodTest: PreparedSplit;
  /** The far-OOD test set (a second dataset's held-out queries), when the run has one. */
  readonly farTest?: PreparedSplit;
  /** The far-OOD dataset, when the run has one. */
  readonly farDataset?: Dataset;
  readonly pool: PreparedSplit<PoolPair>;
  readonly embeddingStats: {
    pretrained: number;
    subword: number;
    zero: number;
    fromCache: boolean;
    rows: number;
  };
}

const DEFAULT_SUBWORDS: SubwordConfig = { buckets: 32_768, minN: 3, maxN: 5 };

/** Rating of a pair on the grade axis [0, K−1], or NaN. */
export function ratingOf(
  pair: Pick<LabeledPair, 'rating'>,
  dataset: Pick<Dataset, 'ratingRange' | 'scale'>,
): number {
  const range = dataset.ratingRange;
  if (pair.rating === undefined || range === undefined) return Number.NaN;
  const k = dataset.scale.grades.length;
  return ((pair.rating - range[0]) / (range[1] - range[0])) * (k - 1);
}

/** Featurises the pairs of one split. */
export function featurizeSplit<TPair extends PoolPair>(
  name: string,
  pairs: readonly TPair[],
  context: {
    featurizer: PairFeaturizer;
    model: { config: ScorerConfig; embeddings: EmbeddingTable };
    dataset: Dataset;
    /** The surprisal table: when given, the split's content space is computed too. */
    surprisal?: Float32Array;
    /** The pair weight table: with the surprisal table, the content space has the pair surprisal too. */
    pairWeights?: Float32Array;
  },
): PreparedSplit<TPair> {
  const batch = context.featurizer.featurize(pairs);
  const frozen = precomputeFrozen(context.model, batch);
  const { surprisal, pairWeights } = context;
  const content =
    surprisal === undefined
      ? undefined
      : computeContentFeatures(batch, { ...context.model, surprisal, pairWeights });
  const labels = new Int32Array(pairs.length);
  const ratings = new Float64Array(pairs.length).fill(Number.NaN);
  pairs.forEach((p, i) => {
    if ('grade' in p && typeof p.grade === 'number') {
      labels[i] = p.grade;
      ratings[i] = ratingOf(p as unknown as LabeledPair, context.dataset);
    }
  });
  return {
    name,
    pairs,
    frozen,
    labels,
    ratings,
    queries: pairs.map((p) => p.query),
    ...(content === undefined ? {} : { content }),
  };
}

/** Runs the prepare stage. */
export async function prepareData(options: PrepareOptions): Promise<PreparedData> {
  const { dataset, progress } = options;
  const subwords = options.subwords ?? DEFAULT_SUBWORDS;
  progress?.({ stage: 'prepare', message: 'splitting (query-disjoint)' });
  const splits = createSplits(dataset, options.splits);

  progress?.({ stage: 'prepare', message: 'building the vocabulary and term statistics' });
  const tokensOf = new Map<string, readonly string[]>();
  const tokenize = (pairs: readonly { query: string; item: string }[]): void => {
    for (const p of pairs) {
      if (!tokensOf.has(p.query)) tokensOf.set(p.query, prepareText(p.query).tokens);
      if (!tokensOf.has(p.item)) tokensOf.set(p.item, prepareText(p.item).tokens);
    }
  };
  tokenize(splits.idTrain.pairs);
  // Each distinct ID-train text is one document (Map keys keep first-insertion order: deterministic).
  const termStatistics = buildTermStatistics([...tokensOf.values()]);
  tokenize(splits.idValidation.pairs);
  tokenize(splits.pool.pairs);
  const vocabulary = buildVocabulary(countTokens([...tokensOf.values()]), { subwords });

  progress?.({ stage: 'prepare', message: 'loading word vectors' });
  const loaded = await loadEmbeddingTable({
    vocabulary: vocabulary.tokens,
    cacheDir: options.cacheDir,
    subwords,
    onProgress: (p) =>
      progress?.({
        stage: 'prepare',
        message: `word vectors: ${p.phase}`,
        done: p.done,
        total: p.total,
      }),
  });
  const matrix = buildEmbeddingMatrix(vocabulary, loaded.table);
  const embeddings: EmbeddingTable = { dims: [matrix.rows, matrix.cols], data: matrix.data };
  const config = createScorerConfig({ ...options.scorer, embeddingDim: matrix.cols });
  const featurizer = createPairFeaturizer({ vocabulary, config, statistics: termStatistics });
  const surprisal = buildSurprisalTable({ vocabulary, statistics: termStatistics });
  const pairWeights = buildPairWeightTable(vocabulary);
  const context = { featurizer, model: { config, embeddings }, dataset, surprisal, pairWeights };

  const named: [string, readonly LabeledPair[]][] = [
    ['id_train', splits.idTrain.pairs],
    ['id_validation', splits.idValidation.pairs],
    ['id_test', splits.idTest.pairs],
    ['ood_test', splits.oodTest.pairs],
    ...(splits.farTest === undefined
      ? []
      : [['far_test', splits.farTest.pairs] as [string, readonly LabeledPair[]]]),
  ];
  const prepared: PreparedSplit[] = [];
  for (const [name, pairs] of named) {
    progress?.({
      stage: 'prepare',
      message: `featurising ${name}`,
      done: prepared.length,
      total: named.length + 1,
    });
    prepared.push(featurizeSplit(name, pairs, context));
  }
  progress?.({
    stage: 'prepare',
    message: 'featurising pool',
    done: named.length,
    total: named.length + 1,
  });
  const pool = featurizeSplit('pool', splits.pool.pairs, context);
  const [idTrain, idValidation, idTest, oodTest, farTest] = prepared as [
    PreparedSplit,
    PreparedSplit,
    PreparedSplit,
    PreparedSplit,
    PreparedSplit | undefined,
  ];
  const far = options.splits.far;
  return {
    dataset,
    splits,
    config,
    vocabulary,
    embeddings,
    termStatistics,
    surprisal,
    pairWeights,
    featurizer,
    idTrain,
    idValidation,
    idTest,
    oodTest,
    ...(farTest === undefined || far === undefined ? {} : { farTest, farDataset: far.dataset }),
    pool,
    embeddingStats: { ...matrix.counts, fromCache: loaded.fromCache, rows: matrix.rows },
  };
}
