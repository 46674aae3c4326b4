/**
 * Evaluation of one model: graded metrics with intervals on the ID and OOD test splits, their gap, every OOD
 * detector's separation of the two (ID positive convention), and per-slice metrics (department / cluster).
 *
 * The predicted grade comes from a decision rule fitted on ID validation only to maximise validation macro-F1:
 * ordinal cut points on the expected grade (`fitOrdinalThresholds`) or per-grade offsets on the log-probabilities
 * (`fitGradeOffsets`), by default whichever does better there. Arg-max rarely predicts the minority
 * "irrelevant" grade, which costs macro-F1; the arg-max figures stay in each split's `argmax`.
 */
import { decideGrades, type GradeDecision, type ScorerParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';
import { evaluateOod, thresholdAtTpr, type OodEvaluation } from '@gradeshift/ood';

import { inferSplit, type SplitOutputs } from '../stages/infer';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import {
  computeSplitMetricsWithDraws,
  SPLIT_METRICS,
  type SplitMetricName,
  type SplitMetrics,
} from '../stages/split-metrics';
import { fitContentDetectors, type ContentDetectors } from './content-detectors';
import {
  DEFAULT_DECISION_RULE,
  fitDecision,
  type DecisionConstraint,
  type DecisionFit,
  type DecisionRuleName,
} from './decision-rule';
import {
  DETECTOR_NAMES,
  fitDetectors,
  scoreEverySpace,
  type DetectorKernels,
  type DetectorName,
  type DetectorScores,
  type FittedDetectors,
} from './model-detectors';
import { evaluationSlices, type SliceMetrics } from './slice-metrics';

// `debias.ts` reads the decision rule from here.
export { DEFAULT_DECISION_RULE, fitDecision, type DecisionConstraint };

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
