/**
 * Evaluation of one model: graded metrics with intervals on the ID and OOD test splits, their gap, every OOD
 * detector's separation of the two (ID positive convention), and per-slice metrics (department / cluster).
 *
 * The predicted grade comes from a decision rule fitted on ID validation only to maximise validation macro-F1:
 * ordinal cut points on the expected grade (`fitOrdinalThresholds`) or per-grade offsets on the log-probabilities
 * (`fitGradeOffsets`), by default whichever does better there. Arg-max rarely predicts the minority
 * "irrelevant" grade, which costs macro-F1; the arg-max figures stay in each split's `argmax`.
 */
import {
  ARGMAX_DECISION,
  classificationReport,
  confusionMatrix,
  decideGrades,
  fitGradeOffsets,
  fitOrdinalThresholds,
  type GradeDecision,
  type OodSpace,
  type ScorerParams,
} from '@gradeshift/core';
import type { Gemm, MatrixLike } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';
import {
  evaluateOod,
  fitEnergy,
  fitKnn,
  fitMahalanobis,
  fitMaxLogit,
  fitMsp,
  fitRelativeMahalanobis,
  thresholdAtTpr,
  type EnergyState,
  type MahalanobisDetector,
  type OodDetector,
  type OodEvaluation,
} from '@gradeshift/ood';

import { normalizeQuery } from '../splits/query-groups';
import {
  CONTENT_SCORE_NAMES,
  CONTENT_SCORE_SPACES,
  fitContentDetectors,
  scoreContent,
  type ContentDetectors,
} from './content-detectors';
import { inferSplit, type SplitOutputs } from '../stages/infer';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import {
  computeSplitMetricsWithDraws,
  SPLIT_METRICS,
  type SplitMetricName,
  type SplitMetrics,
} from '../stages/split-metrics';

/** The relevance-space detectors: they read the scorer's hidden features or its logits ("is the model unsure?"). */
export const RELEVANCE_DETECTOR_NAMES = [
  'mahalanobis',
  'relative_mahalanobis',
  'knn',
  'energy',
  'msp',
  'max_logit',
] as const;
export type RelevanceDetectorName = (typeof RELEVANCE_DETECTOR_NAMES)[number];

/** Every OOD score in the report: the relevance space, then the content space and the fused score ("is this traffic new?"). */
export const DETECTOR_NAMES = [...RELEVANCE_DETECTOR_NAMES, ...CONTENT_SCORE_NAMES] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** The representation each score reads. */
export const DETECTOR_SPACES: Readonly<Record<DetectorName, OodSpace>> = {
  ...(Object.fromEntries(RELEVANCE_DETECTOR_NAMES.map((n) => [n, 'relevance'])) as Record<
    RelevanceDetectorName,
    OodSpace
  >),
  ...CONTENT_SCORE_SPACES,
};

/** Scores of the relevance detectors on one split. */
export type RelevanceScores = Record<RelevanceDetectorName, Float64Array>;

/** Scores of every detector on one split. */
export type DetectorScores = Record<DetectorName, Float64Array>;

/**
 * Which decision rule {@link evaluateModel} uses for the predicted grade: a kind of {@link GradeDecision}, or
 * `'best'`: both fitted rules (ordinal cut points on the expected grade and per-grade offsets on the
 * log-probabilities, each with K − 1 free numbers) fitted on ID validation, and the one with the higher
 * validation macro-F1 kept (cut points on a tie).
 */
export type DecisionRuleName = GradeDecision['kind'] | 'best';

/** The rule the pipeline, the quality benchmark and `evaluate` use unless told otherwise. */
export const DEFAULT_DECISION_RULE: DecisionRuleName = 'best';

/** The fitted rules {@link fitDecision} can compare. */
type FittedKind = Exclude<GradeDecision['kind'], 'argmax'>;

/** How the decision rule was fitted (null for arg-max, which has nothing to fit). */
export interface DecisionFit {
  /** The split the rule was fitted on. */
  readonly split: 'id_validation';
  readonly n: number;
  /** The kind that was kept. */
  readonly kind: FittedKind;
  /** Validation macro-F1 under the fitted rule (the maximised quantity). */
  readonly macro_f1: number;
  /** Validation macro-F1 under arg-max, for comparison. */
  readonly argmax_macro_f1: number;
  /** Validation macro-F1 of every rule that was fitted (both under `'best'`). */
  readonly candidates: Partial<Record<FittedKind, number>>;
}

/** Full evaluation of a model. */
export interface ModelEvaluation {
  /**
   * The rule behind every predicted grade of this evaluation (split decision metrics, slices,
   * `predicted`): store it in a bundle manifest (`createBundleManifest({ decision })`) so serving predicts the
   * same grades.
   */
  readonly decision: GradeDecision;
  readonly decisionFit: DecisionFit | null;
  readonly splits: { id_test: SplitMetrics; ood_test: SplitMetrics; far_test?: SplitMetrics };
  /** Each split metric's bootstrap distribution, per test split (the gaps' intervals read them). */
  readonly draws: Readonly<Record<string, Record<SplitMetricName, Float64Array>>>;
  /** Predicted grades under {@link ModelEvaluation.decision} (`outputs.*.predicted` stays the arg-max). */
  readonly predicted: { id_test: Int32Array; ood_test: Int32Array; far_test?: Int32Array };
  readonly gap: Record<SplitMetricName, number>;
  readonly oodDetection: Record<DetectorName, OodEvaluation>;
  /** Per OOD score: ID test against the far-OOD test set (runs with one). */
  readonly farDetection?: Record<DetectorName, OodEvaluation>;
  /** Thresholds at 95% ID TPR (calibrated on the ID validation split), per detector. */
  readonly thresholds: Record<DetectorName, number>;
  readonly slices: SliceMetrics[];
  readonly outputs: { id_test: SplitOutputs; ood_test: SplitOutputs; far_test?: SplitOutputs };
  readonly scores: {
    id_test: DetectorScores;
    ood_test: DetectorScores;
    id_validation: DetectorScores;
    far_test?: DetectorScores;
  };
  readonly detectors: FittedDetectors;
  /** The content-space detectors, fitted on the ID-train content rows. */
  readonly contentDetectors: ContentDetectors;
}

/** Metrics of one slice of the test data. */
export interface SliceMetrics {
  readonly slice: string;
  readonly side: 'id' | 'ood';
  readonly n: number;
  readonly accuracy: number;
  readonly macro_f1: number;
  /** Fraction flagged OOD by Mahalanobis at its 95%-TPR threshold. */
  readonly ood_rate: number;
  readonly mean_mahalanobis: number;
}

/** The six fitted relevance detectors, each with its own state type (for export). */
export interface FittedDetectors extends Record<RelevanceDetectorName, OodDetector> {
  readonly mahalanobis: MahalanobisDetector;
  readonly energy: OodDetector<EnergyState>;
}

/**
 * Product kernels of the detectors: `gemm` for all, `knn` for the KNN detector's similarity products (a float32
 * kernel there is ≈ 3× faster on 12k × 41k products and moves its scores by ~1e-6).
 */
export interface DetectorKernels {
  readonly gemm?: Gemm | undefined;
  readonly knn?: Gemm | undefined;
}

function kernelsOf(kernels: Gemm | DetectorKernels | undefined): DetectorKernels {
  if (kernels === undefined) return {};
  return typeof (kernels as Partial<Gemm>).gemm === 'function'
    ? { gemm: kernels as Gemm }
    : (kernels as DetectorKernels);
}

/** Fits all six detectors on the ID training split's features / logits. */
export async function fitDetectors(
  train: { features: MatrixLike; logits: MatrixLike; labels: Int32Array },
  kernels: Gemm | DetectorKernels | undefined,
): Promise<FittedDetectors> {
  const { gemm, knn: knnGemm = gemm } = kernelsOf(kernels);
  const opts = gemm === undefined ? {} : { gemm };
  return {
    mahalanobis: await fitMahalanobis({ features: train.features, labels: train.labels }, opts),
    relative_mahalanobis: await fitRelativeMahalanobis(
      { features: train.features, labels: train.labels },
      opts,
    ),
    knn: await fitKnn(
      { features: train.features },
      { k: 50, ...(knnGemm === undefined ? {} : { gemm: knnGemm }) },
    ),
    energy: await fitEnergy({ logits: train.logits }),
    msp: await fitMsp({ logits: train.logits }),
    max_logit: await fitMaxLogit({ logits: train.logits }),
  };
}

/** Scores one split with every relevance detector. */
export async function scoreAll(
  detectors: Record<RelevanceDetectorName, OodDetector>,
  outputs: SplitOutputs,
  kernels: Gemm | DetectorKernels | undefined,
): Promise<RelevanceScores> {
  const { gemm, knn: knnGemm = gemm } = kernelsOf(kernels);
  const entries = await Promise.all(
    RELEVANCE_DETECTOR_NAMES.map(async (name) => {
      const d = detectors[name];
      const input =
        d.needs === 'features' ? { features: outputs.features } : { logits: outputs.logits };
      const kernel = name === 'knn' ? knnGemm : gemm;
      return [name, await d.score(input, kernel === undefined ? {} : { gemm: kernel })] as const;
    }),
  );
  return Object.fromEntries(entries) as RelevanceScores;
}

/**
 * Scores one split with every detector, both spaces: the relevance detectors on the model's outputs, the
 * content detectors on the split's content rows, the fused score on the ID-validation percentiles of
 * `reference` (its own scores when absent: the ID-validation split itself).
 */
export async function scoreEverySpace(
  detectors: { relevance: FittedDetectors; content: ContentDetectors },
  split: { outputs: SplitOutputs; prepared: PreparedSplit<unknown> },
  options: { kernels: DetectorKernels; reference?: DetectorScores | undefined },
): Promise<DetectorScores> {
  const { kernels, reference } = options;
  return {
    ...(await scoreAll(detectors.relevance, split.outputs, kernels)),
    ...(await scoreContent(detectors.content, split.prepared, {
      gemm: kernels.knn ?? kernels.gemm,
      reference,
    })),
  };
}

function sliceMetrics(options: {
  split: PreparedSplit;
  predicted: Int32Array;
  side: 'id' | 'ood';
  domainOf: ReadonlyMap<string, string>;
  mahalanobis: Float64Array;
  threshold: number;
}): SliceMetrics[] {
  const { split, predicted: decided, side, domainOf, mahalanobis, threshold } = options;
  const bySlice = new Map<string, number[]>();
  split.queries.forEach((q, i) => {
    const slice = domainOf.get(normalizeQuery(q)) ?? 'other';
    const list = bySlice.get(slice) ?? [];
    list.push(i);
    bySlice.set(slice, list);
  });
  return [...bySlice.entries()].map(([slice, idx]) => {
    const labels = Int32Array.from(idx, (i) => split.labels[i] ?? 0);
    const predicted = Int32Array.from(idx, (i) => decided[i] ?? 0);
    const report = classificationReport(confusionMatrix(labels, predicted, 3));
    let flagged = 0;
    let sum = 0;
    for (const i of idx) {
      const s = mahalanobis[i] ?? 0;
      sum += s;
      if (s > threshold) flagged++;
    }
    return {
      slice,
      side,
      n: idx.length,
      accuracy: report.accuracy,
      macro_f1: report.macroF1,
      ood_rate: flagged / idx.length,
      mean_mahalanobis: sum / idx.length,
    };
  });
}

/** Options for {@link evaluateModel}. */
export interface EvaluateModelOptions {
  gemm?: Gemm;
  /** Bootstrap resamples of the intervals. */
  resamples: number;
  seed: number;
  /** The decision rule, fitted on ID validation (see {@link DecisionRuleName}). @default DEFAULT_DECISION_RULE */
  decision?: DecisionRuleName;
  /** A constraint on that rule's fit. @default none */
  decisionConstraint?: DecisionConstraint;
  /**
   * Product kernel of the KNN detector. @default with `gemm` given, a float32 onnxruntime kernel created and
   * disposed here (see {@link DetectorKernels}); else `gemm`
   */
  knnGemm?: Gemm;
}

/** A constraint on the fitted rule (see `pipeline/debias.ts`). */
export interface DecisionConstraint {
  /** Highest over-recall allowed on ID validation (`fitGradeOffsets` / `fitOrdinalThresholds`). @default none */
  readonly maxOverRecall?: number | undefined;
}

/**
 * Fits the decision rule on the ID validation split's outputs (never on a test split).
 * @param rule - a kind, or `'best'` (see {@link DecisionRuleName})
 * @returns the rule and how it did on validation (null fit for arg-max)
 */
export function fitDecision(
  validation: { labels: Int32Array; outputs: SplitOutputs; grades: number },
  rule: DecisionRuleName,
  constraint: DecisionConstraint = {},
): { decision: GradeDecision; fit: DecisionFit | null } {
  if (rule === 'argmax') return { decision: ARGMAX_DECISION, fit: null };
  const { labels, outputs, grades } = validation;
  const { maxOverRecall } = constraint;
  const cap = maxOverRecall === undefined ? {} : { maxOverRecall };
  const kinds: FittedKind[] = rule === 'best' ? ['ordinal-thresholds', 'grade-offsets'] : [rule];
  const fitted = kinds.map((kind): { decision: GradeDecision; macroF1: number } => {
    if (kind === 'grade-offsets') {
      const f = fitGradeOffsets(outputs.probs, labels, cap);
      return { decision: { kind, offsets: Array.from(f.offsets) }, macroF1: f.macroF1 };
    }
    const f = fitOrdinalThresholds(outputs.expected, labels, { grades, ...cap });
    return { decision: { kind, thresholds: Array.from(f.thresholds) }, macroF1: f.macroF1 };
  });
  const best = fitted.reduce((a, b) => (b.macroF1 > a.macroF1 + 1e-12 ? b : a));
  const argmax = classificationReport(confusionMatrix(labels, outputs.predicted, grades));
  return {
    decision: best.decision,
    fit: {
      split: 'id_validation',
      n: labels.length,
      kind: best.decision.kind as FittedKind,
      macro_f1: best.macroF1,
      argmax_macro_f1: argmax.macroF1,
      candidates: Object.fromEntries(fitted.map((f) => [f.decision.kind, f.macroF1])),
    },
  };
}

/** Evaluates a model end to end. */
export async function evaluateModel(
  params: ScorerParams,
  data: PreparedData,
  options: EvaluateModelOptions,
): Promise<ModelEvaluation> {
  const own =
    options.knnGemm === undefined && options.gemm !== undefined
      ? createOrtGemm({ dtype: 'float32', backendOptions: { intraOpNumThreads: 1 } })
      : undefined;
  try {
    const knnGemm = options.knnGemm ?? own;
    return await evaluateWith(
      params,
      data,
      knnGemm === undefined ? options : { ...options, knnGemm },
    );
  } finally {
    await own?.dispose();
  }
}

/** The model's outputs on every split an evaluation reads. */
interface EvaluationOutputs {
  readonly train: SplitOutputs;
  readonly validation: SplitOutputs;
  readonly id_test: SplitOutputs;
  readonly ood_test: SplitOutputs;
  readonly far_test?: SplitOutputs | undefined;
}

async function inferEvaluationSplits(
  params: ScorerParams,
  data: PreparedData,
  gemm: Gemm | undefined,
): Promise<EvaluationOutputs> {
  const infer = (s: PreparedSplit) =>
    inferSplit(params, s.frozen, gemm === undefined ? {} : { gemm });
  return {
    train: await infer(data.idTrain),
    validation: await infer(data.idValidation),
    id_test: await infer(data.idTest),
    ood_test: await infer(data.oodTest),
    ...(data.farTest === undefined ? {} : { far_test: await infer(data.farTest) }),
  };
}

/** Every detector's scores on ID validation (the reference) and the test splits. */
async function scoreEvaluationSplits(
  detectors: { relevance: FittedDetectors; content: ContentDetectors },
  outputs: EvaluationOutputs,
  context: { data: PreparedData; kernels: DetectorKernels },
): Promise<ModelEvaluation['scores']> {
  const { data, kernels } = context;
  const idValidation = await scoreEverySpace(
    detectors,
    { outputs: outputs.validation, prepared: data.idValidation },
    { kernels },
  );
  const against = { kernels, reference: idValidation };
  const score = (o: SplitOutputs, prepared: PreparedSplit) =>
    scoreEverySpace(detectors, { outputs: o, prepared }, against);
  const far = outputs.far_test;
  return {
    id_validation: idValidation,
    id_test: await score(outputs.id_test, data.idTest),
    ood_test: await score(outputs.ood_test, data.oodTest),
    ...(far === undefined || data.farTest === undefined
      ? {}
      : { far_test: await score(far, data.farTest) }),
  };
}

/** Every detector's separation of ID test from `ood` (ID positive convention). */
function detectionAgainstIdTest(
  idTest: DetectorScores,
  ood: DetectorScores,
): Record<DetectorName, OodEvaluation> {
  return Object.fromEntries(
    DETECTOR_NAMES.map((n) => [n, evaluateOod({ idScores: idTest[n], oodScores: ood[n] })]),
  ) as Record<DetectorName, OodEvaluation>;
}

/** Metrics with intervals (and their bootstrap draws) of every test split. */
function testSplitMetrics(
  data: PreparedData,
  outputs: EvaluationOutputs,
  options: { resamples: number; seed: number; grades: number; decision: GradeDecision },
): Pick<ModelEvaluation, 'splits' | 'draws'> {
  const id = computeSplitMetricsWithDraws(data.idTest, outputs.id_test, options);
  const near = computeSplitMetricsWithDraws(data.oodTest, outputs.ood_test, options);
  const far =
    outputs.far_test === undefined || data.farTest === undefined
      ? undefined
      : computeSplitMetricsWithDraws(data.farTest, outputs.far_test, options);
  return {
    splits: {
      id_test: id.metrics,
      ood_test: near.metrics,
      ...(far === undefined ? {} : { far_test: far.metrics }),
    },
    draws: {
      id_test: id.draws,
      ood_test: near.draws,
      ...(far === undefined ? {} : { far_test: far.draws }),
    },
  };
}

/** Metrics per slice (department or cluster) of ID test and near-OOD test, largest first. */
function evaluationSlices(
  data: PreparedData,
  evaluation: Pick<ModelEvaluation, 'predicted' | 'scores' | 'thresholds'>,
): SliceMetrics[] {
  const { predicted, scores, thresholds } = evaluation;
  const common = { domainOf: data.splits.domainOfQuery, threshold: thresholds.mahalanobis };
  return [
    ...sliceMetrics({
      ...common,
      split: data.idTest,
      predicted: predicted.id_test,
      side: 'id',
      mahalanobis: scores.id_test.mahalanobis,
    }),
    ...sliceMetrics({
      ...common,
      split: data.oodTest,
      predicted: predicted.ood_test,
      side: 'ood',
      mahalanobis: scores.ood_test.mahalanobis,
    }),
  ].sort((a, b) => b.n - a.n);
}

async function evaluateWith(
  params: ScorerParams,
  data: PreparedData,
  options: EvaluateModelOptions,
): Promise<ModelEvaluation> {
  const { gemm, resamples, seed } = options;
  const kernels: DetectorKernels = { gemm, knn: options.knnGemm ?? gemm };
  const outputs = await inferEvaluationSplits(params, data, gemm);
  const { train, validation } = outputs;
  const detectors = await fitDetectors(
    { features: train.features, logits: train.logits, labels: data.idTrain.labels },
    kernels,
  );
  const contentDetectors = await fitContentDetectors(data.idTrain, { gemm, seed });
  const both = { relevance: detectors, content: contentDetectors };
  const scores = await scoreEvaluationSplits(both, outputs, { data, kernels });
  const thresholds = Object.fromEntries(
    DETECTOR_NAMES.map((n) => [n, thresholdAtTpr(scores.id_validation[n], 0.95)]),
  ) as Record<DetectorName, number>;
  const grades = params.config.grades;
  const { decision, fit: decisionFit } = fitDecision(
    { labels: data.idValidation.labels, outputs: validation, grades },
    options.decision ?? DEFAULT_DECISION_RULE,
    options.decisionConstraint,
  );
  const decide = (o: SplitOutputs) => decideGrades(o.probs, decision, { expected: o.expected });
  const farTest = outputs.far_test;
  const predicted = {
    id_test: decide(outputs.id_test),
    ood_test: decide(outputs.ood_test),
    ...(farTest === undefined ? {} : { far_test: decide(farTest) }),
  };
  const { splits, draws } = testSplitMetrics(data, outputs, { resamples, seed, grades, decision });
  const gap = Object.fromEntries(
    SPLIT_METRICS.map((m) => [m, splits.id_test[m].value - splits.ood_test[m].value]),
  ) as Record<SplitMetricName, number>;
  const farDetection =
    scores.far_test === undefined
      ? undefined
      : detectionAgainstIdTest(scores.id_test, scores.far_test);
  return {
    ...{ decision, decisionFit, splits, draws, predicted, gap, thresholds, scores },
    oodDetection: detectionAgainstIdTest(scores.id_test, scores.ood_test),
    ...(farDetection === undefined ? {} : { farDetection }),
    slices: evaluationSlices(data, { predicted, scores, thresholds }),
    outputs: {
      id_test: outputs.id_test,
      ood_test: outputs.ood_test,
      ...(farTest === undefined ? {} : { far_test: farTest }),
    },
    detectors,
    contentDetectors,
  };
}

/**
 * Point macro-F1 and accuracy of a model on a split (for stage tables and α selection), under `decision` (the
 * rule the final evaluation uses; see {@link validationDecision}) or, without one, the arg-max.
 */
export async function quickMetrics(
  params: ScorerParams,
  split: PreparedSplit,
  options: { gemm?: Gemm | undefined; decision?: GradeDecision } = {},
): Promise<{ macro_f1: number; accuracy: number; outputs: SplitOutputs; predicted: Int32Array }> {
  const { gemm, decision } = options;
  const outputs = await inferSplit(params, split.frozen, gemm === undefined ? {} : { gemm });
  const predicted =
    decision === undefined
      ? outputs.predicted
      : decideGrades(outputs.probs, decision, { expected: outputs.expected });
  const report = classificationReport(
    confusionMatrix(split.labels, predicted, params.config.grades),
  );
  return { macro_f1: report.macroF1, accuracy: report.accuracy, outputs, predicted };
}

/**
 * The final evaluation's decision rule for `params` ({@link DEFAULT_DECISION_RULE}), fitted on the ID validation
 * split.
 * @returns the rule and the model's ID validation macro-F1 under it (in-sample: the rule was fitted there)
 */
export async function validationDecision(
  params: ScorerParams,
  validation: PreparedSplit,
  gemm: Gemm | undefined,
): Promise<{ decision: GradeDecision; macro_f1: number }> {
  const outputs = await inferSplit(params, validation.frozen, gemm === undefined ? {} : { gemm });
  const { decision, fit } = fitDecision(
    { labels: validation.labels, outputs, grades: params.config.grades },
    DEFAULT_DECISION_RULE,
  );
  return { decision, macro_f1: fit?.macro_f1 ?? Number.NaN };
}
