/**
 * Scoring raw text with a model bundle: the one path shared by the API (onnxruntime-node) and the dashboard
 * (onnxruntime-web). Texts are featurised with the bundle's vocabulary and settings, the exported graph runs
 * in batches, and each OOD score is placed on its held-out ID percentile and flagged at its threshold.
 */
import { decideGrades } from '../decision/grade-decision';
import { CoreError } from '../errors';
import { vocabularyFromJson } from '../features/vocabulary';
import { rankByExpectedGrade } from '../grades/predict';
import { fuseScores } from '../math/fuse-scores';
import type { MatrixLike } from '../math/matrix';
import type { InferenceSessionLike } from '../model/backend';
import { createPairFeaturizer, type PairFeaturizer } from '../scorer/featurize-pairs';
import type { ScorerBatch } from '../scorer/types';
import { scorerBatchFeeds } from './batch-feeds';
import { bundleOutputNames, type BundleManifest, type BundleOodScore } from './manifest';
import { roleNames } from './onnx-names';
import { runScorerBatches } from './run-scorer-batches';
import { idPercentiles } from './percentile';
import { planOod } from './plan-ood';
import { prepareOptionsFromSettings } from './prepare-settings';

/** A detector run outside the graph on its outputs (e.g. `@gradeshift/ood`'s KNN detector from the manifest's state). */
export interface ExternalOodDetector {
  /**
   * Scores n rows (higher = more OOD); `features` is n × H2 and `logits` n × K (for a detector whose source
   * reads `content`, `features` holds the n × 2D content rows).
   */
  score(input: { features: MatrixLike; logits: MatrixLike }): Promise<ArrayLike<number>>;
}

/** Options for {@link createBundleScorer}. */
export interface CreateBundleScorerOptions {
  /** A manifest checked by `parseManifest`. */
  manifest: BundleManifest;
  /** The bundle's `model.onnx`, loaded by a backend (`createNodeBackend`, `createWebBackend`). */
  session: InferenceSessionLike;
  /** Pairs per session run; ≈ 128 keeps the gathered embedding rows in cache (faster per pair than 1000). @default 128 */
  batchSize?: number;
  /** Detectors for the manifest's OOD scores whose source is `detector`, by score name. @default {} */
  detectors?: Readonly<Record<string, ExternalOodDetector>>;
  /** OOD scores to compute, by name. @default every score in the manifest */
  oodScores?: readonly string[];
  /** Distinct texts whose preparation is memoised. @default 200000 */
  memoSize?: number;
  /**
   * The featuriser to use: `createBundleFeaturizer` of this manifest, or the one of an earlier model whose
   * {@link bundleFeaturizerKey} is this manifest's (a reload of the same text settings then keeps the texts it has
   * prepared). @default createBundleFeaturizer(manifest, memoSize)
   */
  featurizer?: PairFeaturizer;
}

/**
 * What a bundle's featuriser is built from (the scorer sizes, the text and the feature sections of the manifest),
 * as a string: two manifests with the same key featurise every text alike, so they can share one featuriser.
 * @param manifest - a checked manifest
 * @returns the key (about the size of the vocabulary's JSON)
 */
export function bundleFeaturizerKey(manifest: BundleManifest): string {
  return JSON.stringify([manifest.scorer, manifest.text, manifest.features]);
}

/**
 * The pair featuriser of a bundle: its vocabulary, text preparation and term statistics.
 * @param manifest - a checked manifest
 * @param memoSize - distinct texts whose preparation is memoised @default 200000
 * @returns the featuriser
 */
export function createBundleFeaturizer(
  manifest: BundleManifest,
  memoSize = 200_000,
): PairFeaturizer {
  const statistics = manifest.features.termStatistics;
  return createPairFeaturizer({
    vocabulary: vocabularyFromJson(manifest.text.vocabulary),
    config: manifest.scorer,
    prepare: prepareOptionsFromSettings(manifest.text.prepare),
    memoSize,
    ...(statistics === null ? {} : { statistics }),
  });
}

/** One OOD score of every scored item. */
export interface BundleOodResult {
  /** Raw score (higher = more out-of-distribution). */
  readonly score: Float64Array;
  /** ID percentile: the fraction of held-out ID pairs scoring ≤ it, in [0, 1]. */
  readonly percentile: Float64Array;
  /** 1 when score > threshold (flagged OOD), 0 when kept as ID. */
  readonly flag: Uint8Array;
  /** The calibrated threshold (keeps `tpr` of held-out ID pairs). */
  readonly threshold: number;
}

/** Scores of one query against n items, column-wise (index i = items[i]). */
export interface BundlePairScores {
  /** n. */
  readonly count: number;
  /** Grade names, lowest first (K). */
  readonly grades: readonly string[];
  /** Grade probabilities, n × K row-major. */
  readonly probs: Float32Array;
  /** Expected grade Σ_c c·p_c per item. */
  readonly expected: Float32Array;
  /**
   * Predicted grade per item under the manifest's `decision` (cut points on `expected`), or the arg-max (ties to
   * the lower grade) when the manifest has none.
   */
  readonly predicted: Int32Array;
  /** Item indices, best first: by expected grade, then p(top grade), then input order. */
  readonly rank: Uint32Array;
  /** The feature vectors, n × H2 row-major, when asked for. */
  readonly features?: Float32Array;
  /** OOD scores by name. */
  readonly ood: Readonly<Record<string, BundleOodResult>>;
}

/** Scores of n arbitrary pairs (several queries), in input order: {@link BundlePairScores} without a ranking. */
export type BundleBatchScores = Omit<BundlePairScores, 'rank'>;

/** Options of {@link BundleScorer.scorePairs} and {@link BundleScorer.scoreBatch}. */
export interface ScorePairsOptions {
  /** Return the feature vectors. @default false */
  features?: boolean;
}

/** A bundle ready to score. */
export interface BundleScorer {
  readonly manifest: BundleManifest;
  /** Scores `query` against each of `items` and ranks them. */
  scorePairs(
    query: string,
    items: readonly string[],
    options?: ScorePairsOptions,
  ): Promise<BundlePairScores>;
  /**
   * Scores any (query, item) pairs, several queries per forward pass (`batchSize` pairs each): the fast path
   * for files whose queries have few items each.
   */
  scoreBatch(
    pairs: readonly { readonly query: string; readonly item: string }[],
    options?: ScorePairsOptions,
  ): Promise<BundleBatchScores>;
}

function assertText(value: unknown, name: string): void {
  if (typeof value !== 'string')
    throw new TypeError(`${name} must be a string (got ${typeof value})`);
}

function assertSessionMatches(manifest: BundleManifest, session: InferenceSessionLike): void {
  const inputs = roleNames(manifest.model.inputs);
  const missing = inputs.filter((name) => !session.inputNames.includes(name));
  if (missing.length > 0 || session.inputNames.length !== inputs.length) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `the session's inputs [${session.inputNames.join(', ')}] are not the manifest's [${inputs.join(', ')}]; load the bundle's own model.onnx`,
    );
  }
  const outputs = bundleOutputNames(manifest);
  const absent = outputs.filter((name) => !session.outputNames.includes(name));
  if (absent.length > 0) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `the session has no output ${absent.map((n) => `"${n}"`).join(', ')} listed in the manifest; load the bundle's own model.onnx`,
    );
  }
}

/** 1 where `raw` is above `threshold`, else 0 (a plain loop: `Uint8Array.from` with a callback is slower). */
function flagsAbove(raw: Float64Array, threshold: number): Uint8Array {
  const flags = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) flags[i] = (raw[i] ?? 0) > threshold ? 1 : 0;
  return flags;
}

/**
 * One OOD score of n pairs placed on its manifest calibration: each raw score's ID percentile and its flag
 * (score > the threshold).
 * @param score - the manifest's entry of the score
 * @param raw - the raw scores (higher = more out-of-distribution)
 * @returns the scores with their percentiles, flags and the threshold
 * @throws RangeError for a non-finite score
 * @example bundleOodResult(manifest.ood['knn'], knnScores).flag
 */
export function bundleOodResult(score: BundleOodScore, raw: Float64Array): BundleOodResult {
  const threshold = score.threshold.value;
  return {
    score: raw,
    percentile: idPercentiles(score.calibration.sorted, raw),
    flag: flagsAbove(raw, threshold),
    threshold,
  };
}

/**
 * Creates the scorer of a bundle.
 * @param options - manifest, loaded session, batch size, outside detectors
 * @returns a {@link BundleScorer}
 * @throws CoreError `INVALID_ARGUMENT` when the session's inputs/outputs are not the manifest's, an OOD score is
 * unknown, or a detector-sourced score has no detector; RangeError for a bad batch size
 * @example
 * const scorer = createBundleScorer({ manifest, session: await backend.createSession(modelBytes) });
 * const { rank, ood } = await scorer.scorePairs('angle bracket', titles);
 * @see https://en.wikipedia.org/wiki/Empirical_distribution_function (ID percentiles)
 * @see https://arxiv.org/abs/1807.03888 (thresholds at 95% TPR of ID data)
 */
export function createBundleScorer(options: CreateBundleScorerOptions): BundleScorer {
  const { manifest, session, batchSize = 128, memoSize = 200_000 } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError(`options.batchSize must be a positive integer (got ${batchSize})`);
  assertSessionMatches(manifest, session);
  const { run: ood, fused } = planOod(options);
  const reported = new Set(options.oodScores ?? Object.keys(manifest.ood));
  const config = manifest.scorer;
  const featurizer = options.featurizer ?? createBundleFeaturizer(manifest, memoSize);
  const grades = manifest.grades.map((g) => g.name);
  const k = config.grades;
  const decision = manifest.decision ?? { kind: 'argmax' };
  const scoreRows = async (
    count: number,
    batch: (start: number, end: number) => ScorerBatch,
    keepFeatures: boolean,
  ): Promise<BundleBatchScores> => {
    const run = await runScorerBatches({
      session,
      manifest,
      count,
      batchSize,
      keepFeatures,
      ood,
      feeds: (start, end) =>
        scorerBatchFeeds(batch(start, end), { config, inputs: manifest.model.inputs }),
    });
    const all: Record<string, BundleOodResult> = {};
    for (const { name, score } of ood)
      all[name] = bundleOodResult(score, run.oodScores[name] ?? new Float64Array(count));
    for (const f of fused) {
      const members = f.of.map((m) => all[m]?.percentile ?? new Float64Array(count));
      all[f.name] = bundleOodResult(
        f.score,
        count === 0 ? new Float64Array(0) : fuseScores(members, { method: f.method }),
      );
    }
    const oodResults: Record<string, BundleOodResult> = {};
    for (const [name, value] of Object.entries(all))
      if (reported.has(name)) oodResults[name] = value;
    return {
      count,
      grades,
      probs: run.probs,
      expected: run.expected,
      predicted: decideGrades({ rows: count, cols: k, data: run.probs }, decision, {
        expected: run.expected,
      }),
      ...(run.features === undefined ? {} : { features: run.features }),
      ood: oodResults,
    };
  };
  return {
    manifest,
    async scorePairs(query, items, scoreOptions = {}) {
      assertText(query, 'query');
      if (!Array.isArray(items)) throw new TypeError('items must be an array of strings');
      items.forEach((item: unknown, i) => {
        if (typeof item !== 'string') assertText(item, `items[${i}]`);
      });
      const scores = await scoreRows(
        items.length,
        (start, end) => featurizer.featurizeQuery(query, items.slice(start, end)),
        scoreOptions.features === true,
      );
      const topGrade = new Float64Array(items.length);
      for (let i = 0; i < items.length; i++) topGrade[i] = scores.probs[i * k + k - 1] ?? 0;
      return { ...scores, rank: rankByExpectedGrade(scores.expected, { tieBreak: topGrade }) };
    },
    async scoreBatch(pairs, scoreOptions = {}) {
      if (!Array.isArray(pairs)) throw new TypeError('pairs must be an array of { query, item }');
      pairs.forEach((pair: unknown, i) => {
        const p = pair as { query?: unknown; item?: unknown } | null;
        // Names are only built for a pair that fails, not two strings per pair.
        if (typeof p?.query !== 'string') assertText(p?.query, `pairs[${i}].query`);
        if (typeof p?.item !== 'string') assertText(p?.item, `pairs[${i}].item`);
      });
      return scoreRows(
        pairs.length,
        (start, end) => featurizer.featurize(pairs.slice(start, end)),
        scoreOptions.features === true,
      );
    },
  };
}
