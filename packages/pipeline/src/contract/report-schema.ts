/**
 * report.json, the figures of a finished run, as one discriminated union over the run kinds: `pipeline` (the
 * whole loop, `runPipeline`) and `evaluation` (a bundle scored on a labelled file, `evaluateBundle`). Sections
 * that hold one entry per split, detector or strategy are records keyed by name, so a new split (a near- or
 * far-OOD test set) or detector adds an entry, not a field.
 *
 * Version history: 1 told the kinds apart by `format` alone (`gradeshift-report` for pipeline runs,
 * `gradeshift-evaluation` for evaluation runs), and evaluation runs kept their thresholds only inside
 * `ood_flag_rate` and had no run name. Version 2 adds `kind`, `ood_thresholds` in both kinds and `run.name` in
 * evaluation runs (`parseRunReport` upgrades a version-1 file).
 */
import { z } from 'zod';

import { OOD_SPACES, type ScorerConfig } from '@gradeshift/core';

import { debiasReportSchema } from './debias-schema';
import { storedShiftSchema } from './run-json-schema';
import {
  alphaPointSchema,
  comparisonSchema,
  decisionFitSchema,
  evaluationSummarySchema,
  selectionRunSchema,
  sliceSchema,
  splitReportSchema,
} from './pipeline-report-sections';
import { budgetCurveSchema, OOD_SET_KINDS, oodSetSchema } from './shift-schema';
import {
  gradeDecisionSchema,
  oodEvaluationSchema,
  splitMetricsSchema,
  stageMetricsSchema,
  SPLIT_METRICS,
} from './metrics-schema';

/** `format` of report.json by run kind (the same in every version). */
export const REPORT_FORMATS = Object.freeze({
  pipeline: 'gradeshift-report',
  evaluation: 'gradeshift-evaluation',
} as const);
/** The report.json version this build writes. */
export const REPORT_VERSION = 2;

/** The data file a run read (the loader's `DatasetSource`). */
export const datasetSourceSchema = z.object({
  path: z.string(),
  format: z.enum(['csv', 'jsonl']),
  sha256: z.string(),
  rows: z.number().int(),
  skipped: z.number().int(),
  truncated: z.number().int(),
});

/** OOD threshold of each score at 95% ID TPR, calibrated on ID validation. */
const thresholdsSchema = z.record(z.string(), z.number());

/**
 * The representation each OOD score reads (`relevance`: "is the model unsure?", `content`: "is this traffic
 * new?", `fused`: both by ID percentile); absent in reports written before the content space, where every
 * score read the relevance head.
 */
const spacesSchema = z.record(z.string(), z.enum(OOD_SPACES)).optional();

/** report.json of a pipeline run. */
export const pipelineReportSchema = z.object({
  format: z.literal(REPORT_FORMATS.pipeline),
  version: z.literal(REPORT_VERSION),
  kind: z.literal('pipeline'),
  run: z.object({
    id: z.string(),
    name: z.string(),
    created_at: z.string(),
    seconds: z.number(),
  }),
  data: z.object({
    source: datasetSourceSchema,
    rows: z.number().int(),
    issues: z.number().int(),
    /** How the shifted side was chosen (run.json's `shift`). */
    shift: storedShiftSchema,
    seed: z.number().int(),
    split_report: splitReportSchema,
  }),
  model: z.object({
    /** The scorer's sizes (core's `ScorerConfig`). */
    config: z.custom<ScorerConfig>(
      (v) =>
        typeof v === 'object' && v !== null && Object.values(v).every((x) => typeof x === 'number'),
      { message: 'must be the scorer configuration (numbers by name)' },
    ),
    vocabulary: z.number().int(),
    /** Rows of the embedding table by origin. */
    embeddings: z.object({
      pretrained: z.number().int(),
      subword: z.number().int(),
      zero: z.number().int(),
      fromCache: z.boolean(),
      rows: z.number().int(),
    }),
    loss: z.string(),
    bundle: z.object({
      path: z.string(),
      sha256: z.string(),
      bytes: z.number().int(),
      ood_scores: z.array(z.string()),
    }),
  }),
  /** Test splits by name: `id_test` and `ood_test` always, more shifted test sets when the run has them. */
  splits: z
    .object({ id_test: splitMetricsSchema, ood_test: splitMetricsSchema })
    .catchall(splitMetricsSchema),
  /** ID test minus OOD test, per metric. */
  gap: z.record(z.enum(SPLIT_METRICS), z.number()),
  /** Per OOD score: ID test against OOD test. */
  ood_detection: z.record(z.string(), oodEvaluationSchema),
  ood_thresholds: thresholdsSchema,
  ood_spaces: spacesSchema,
  decision: z.object({
    rule: gradeDecisionSchema,
    fit: decisionFitSchema.nullable(),
  }),
  stages: z.object({
    stage1: stageMetricsSchema,
    stage2: stageMetricsSchema.nullable(),
    stage3: stageMetricsSchema.nullable(),
    alpha: z.number().nullable(),
    alpha_sweep: z.array(alphaPointSchema).nullable(),
  }),
  /** Per strategy, one entry per selection seed. */
  selection: z.record(z.string(), z.array(selectionRunSchema)),
  selection_comparison: comparisonSchema,
  ablation: z
    .object({
      note: z.string(),
      graded: evaluationSummarySchema,
      cross_entropy: evaluationSummarySchema,
    })
    .nullable(),
  /** The de-biasing step (negatives, DPO, temperature) and its ablation; absent when the step did not run. */
  debias: debiasReportSchema.optional(),
  slices: z.array(sliceSchema),
  budget: z.object({
    fraction: z.number(),
    pool: z.number().int(),
    revealed_per_run: z.number().int().nullable(),
  }),
  /**
   * Each OOD set (`near`: held-out departments, `far`: the second dataset) with its gaps, detection and verdict;
   * absent in reports written before near and far OOD were told apart.
   */
  ood_sets: z.partialRecord(z.enum(OOD_SET_KINDS), oodSetSchema).optional(),
  /** The selection budget curve on the far set; null when the run has no far set or skipped the curve. */
  budget_curve: budgetCurveSchema.nullable().optional(),
  /** The 2-D map file beside report.json (`map.json`), when the run wrote one. */
  map: z.string().nullable().optional(),
});

/** One OOD score of an evaluation run: the share of pairs flagged at the bundle's threshold. */
export const oodFlagRateSchema = z.object({
  flag_rate: z.number(),
  threshold: z.number(),
  /** Mean ID percentile of the pairs (≈ 0.5 on in-distribution data). */
  mean_percentile: z.number(),
});

/** How an evaluation of external predictions used its reference file (report.json `external`). */
export const externalPredictionsSchema = z.object({
  /** What the files give per pair. */
  output: z.enum(['probs', 'logits']),
  /** Width of the embeddings, or null when the files have none (no Mahalanobis or KNN score). */
  embedding_width: z.number().int().nullable(),
  /** The in-distribution reference file (e.g. the team's validation set). */
  reference: datasetSourceSchema,
  /** The reference split by query: detectors fitted on `fit`, thresholds and percentiles from `calibration`. */
  reference_split: z.object({
    method: z.string(),
    seed: z.number().int(),
    fit: z.object({ pairs: z.number().int(), queries: z.number().int() }),
    calibration: z.object({ pairs: z.number().int(), queries: z.number().int() }),
  }),
  /** The decision rule, fitted on the whole reference file (`fit.split`: `reference`). */
  decision: z.object({
    rule: gradeDecisionSchema,
    fit: decisionFitSchema.extend({ split: z.string() }).nullable(),
  }),
  /** KNN's k (50, or the fitting half's size when smaller); null without embeddings. */
  knn_k: z.number().int().nullable(),
  /** Per OOD score: the reference's calibration half (ID) against the evaluated file. */
  ood_detection: z.record(z.string(), oodEvaluationSchema),
});

/** report.json of an evaluation run. */
export const evaluationReportSchema = z.object({
  format: z.literal(REPORT_FORMATS.evaluation),
  version: z.literal(REPORT_VERSION),
  kind: z.literal('evaluation'),
  run: z.object({ id: z.string().nullable(), name: z.string().nullable(), seconds: z.number() }),
  model: z.object({
    sha256: z.string(),
    created_at: z.string(),
    gradeshift_version: z.string(),
    training_data_sha256: z.string(),
  }),
  data: z.object({
    source: datasetSourceSchema,
    rows: z.number().int(),
    queries: z.number().int(),
    issues: z.number().int(),
    same_data_as_training: z.boolean(),
  }),
  /** The labelled file as one split, `external`. */
  splits: z.record(z.string(), splitMetricsSchema),
  ood_thresholds: thresholdsSchema,
  ood_spaces: spacesSchema,
  ood_flag_rate: z.record(z.string(), oodFlagRateSchema),
  /**
   * Evaluations of external predictions (`evaluate --predictions`): the reference file, how it was split and
   * used, the decision rule fitted on it and each OOD score's detection of the evaluated file against the
   * reference's calibration half. Absent for a bundle evaluation.
   */
  external: externalPredictionsSchema.optional(),
});

/** report.json of any run kind. */
export const runReportSchema = z.discriminatedUnion('kind', [
  pipelineReportSchema,
  evaluationReportSchema,
]);

/** report.json of a pipeline run. */
export type PipelineReport = z.infer<typeof pipelineReportSchema>;
/** report.json of an evaluation run. */
export type EvaluationReport = z.infer<typeof evaluationReportSchema>;
/** report.json of any run kind. */
export type RunReport = z.infer<typeof runReportSchema>;
/** The kinds of run that write a report. */
export type RunReportKind = RunReport['kind'];
