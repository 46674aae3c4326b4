/**
 * The metric vocabulary of the run contract, declared once: the names of a split's graded metrics, a metric with
 * its query-bootstrap interval, a split's metrics, a stage's macro-F1 figures and an OOD detector's evaluation.
 * The pipeline computes them, report.json stores them, the API returns them and the dashboard shows them.
 */
import { z } from 'zod';

/** The graded metrics of a split, in display order. */
export const SPLIT_METRICS = [
  'accuracy',
  'macro_f1',
  'ndcg@10',
  'ece',
  'rmse',
  'over_recall',
] as const;
/** One of {@link SPLIT_METRICS}. */
export type SplitMetricName = (typeof SPLIT_METRICS)[number];

/** The metrics that depend on the decision rule (the rest read the probabilities only). */
export const DECISION_METRICS = ['accuracy', 'macro_f1', 'over_recall'] as const;
/** One of {@link DECISION_METRICS}. */
export type DecisionMetricName = (typeof DECISION_METRICS)[number];

/**
 * A metric with its 95% query-bootstrap interval; a bound is null when it could not be estimated (written as
 * NaN, which JSON stores as null).
 */
export const intervalSchema = z.object({
  value: z.number(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
});
/** A metric with its interval. */
export type IntervalEstimate = z.infer<typeof intervalSchema>;

/** One bin of a reliability diagram (core's `CalibrationBin`). */
export const reliabilityBinSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  count: z.number(),
  meanConfidence: z.number(),
  accuracy: z.number(),
});

/** How probabilities become a grade (core's `GradeDecision`). */
export const gradeDecisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('argmax') }),
  z.object({
    kind: z.literal('ordinal-thresholds'),
    thresholds: z.array(z.number()),
    /** Grade 0 when its probability is ≥ this (core's lowest-grade override). */
    lowestAt: z.number().optional(),
  }),
  z.object({ kind: z.literal('grade-offsets'), offsets: z.array(z.number()) }),
]);

const confusionSchema = z.array(z.array(z.number()));

/** Decision metrics under arg-max, kept beside those of another rule. */
export const argmaxMetricsSchema = z.object({
  accuracy: intervalSchema,
  macro_f1: intervalSchema,
  over_recall: intervalSchema,
  confusion: confusionSchema,
});

/** The metrics of one scored split. */
export const splitMetricsSchema = z.object({
  accuracy: intervalSchema,
  macro_f1: intervalSchema,
  'ndcg@10': intervalSchema,
  ece: intervalSchema,
  rmse: intervalSchema,
  over_recall: intervalSchema,
  n: z.number().int(),
  queries: z.number().int(),
  /** The rule behind accuracy, macro_f1, over_recall and confusion. */
  decision: z.enum(['argmax', 'ordinal-thresholds', 'grade-offsets']),
  /** Rows = true grade, columns = predicted. */
  confusion: confusionSchema,
  /** With a rule other than arg-max: the decision metrics under arg-max. */
  argmax: argmaxMetricsSchema.optional(),
  /** Reliability-diagram bins of the top probability. */
  reliability: z.array(reliabilityBinSchema),
});
/** The metrics of one scored split. */
export type SplitMetrics = z.infer<typeof splitMetricsSchema>;

/** A trained stage's macro-F1 on ID validation, ID test and OOD test. */
export const stageMetricsSchema = z.object({
  id_validation_macro_f1: z.number(),
  id_test_macro_f1: z.number(),
  ood_test_macro_f1: z.number(),
});
/** A trained stage's macro-F1 figures. */
export type StageMetrics = z.infer<typeof stageMetricsSchema>;

/** How well one OOD score separates ID from OOD test pairs (ood's `OodEvaluation`). */
export const oodEvaluationSchema = z.object({
  auroc: z.number(),
  auprIn: z.number(),
  auprOut: z.number(),
  fprAtTpr: z.number(),
  tpr: z.number(),
  tprAchieved: z.number(),
  threshold: z.number(),
  detectionError: z.number(),
  nId: z.number().int(),
  nOod: z.number().int(),
});
