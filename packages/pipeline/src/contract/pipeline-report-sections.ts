/** The sections of a pipeline run's report.json that only pipeline runs have (`report-schema.ts`). */
import { z } from 'zod';

import { oodEvaluationSchema, splitMetricsSchema, stageMetricsSchema } from './metrics-schema';
import { pairedTestSchema } from './shift-schema';

/** One split of the split report. */
const splitSummarySchema = z.object({
  name: z.string(),
  pairs: z.number().int(),
  queries: z.number().int(),
  grades: z.object({ counts: z.array(z.number()), fractions: z.array(z.number()) }),
  /** Pairs per domain of their query, largest first. */
  domains: z.record(z.string(), z.number()),
});

/** The split report of `prepare` (grade names, held-out domains, per-split summaries). */
export const splitReportSchema = z.object({
  strategy: z.string(),
  seed: z.number(),
  gradeNames: z.array(z.string()),
  heldOut: z.array(z.string()),
  totalPairs: z.number().int(),
  totalQueries: z.number().int(),
  oodPairFraction: z.number(),
  splits: z.array(splitSummarySchema),
});

/** One selection run (a strategy at a seed) through stages 2 and 3. */
export const selectionRunSchema = z.object({
  seed: z.number().int(),
  budget: z.number().int(),
  picked: z.number().int(),
  alpha: z.number(),
  stage2: stageMetricsSchema,
  stage3: stageMetricsSchema,
});

/** The strategy comparison: gains over stage 1 and the paired test of distribution-aware against random. */
export const comparisonSchema = z.object({
  /** Per strategy: mean and per-seed OOD macro-F1 gain over stage 1. */
  gains: z.record(
    z.string(),
    z.object({
      stage2_ood_macro_f1_gain: z.number(),
      stage3_ood_macro_f1_gain: z.number(),
      per_seed_stage2: z.array(z.number()),
      per_seed_stage3: z.array(z.number()),
    }),
  ),
  distribution_aware_beats_random: z.boolean().nullable(),
  paired_distribution_aware_vs_random: pairedTestSchema.extend({ unit: z.string() }).nullable(),
});

/** A model's headline evaluation (the ablation's entries). */
export const evaluationSummarySchema = z.object({
  id_test: splitMetricsSchema,
  ood_test: splitMetricsSchema,
  ood_detection: z.record(z.string(), oodEvaluationSchema),
});

/** Metrics of one slice (department or query cluster) of a test split; null where undefined (no pairs). */
export const sliceSchema = z.object({
  slice: z.string(),
  side: z.enum(['id', 'ood']),
  n: z.number().int(),
  accuracy: z.number().nullable(),
  macro_f1: z.number().nullable(),
  ood_rate: z.number().nullable(),
  mean_mahalanobis: z.number().nullable(),
});

/** One alpha of the stage-3 sweep with its validation figures. */
export const alphaPointSchema = z.object({
  alpha: z.number(),
  id_validation_macro_f1: z.number(),
  ood_validation_macro_f1: z.number(),
});

const fittedKind = z.enum(['ordinal-thresholds', 'grade-offsets']);

/** How the decision rule was fitted (`fitDecision`) on ID validation. */
export const decisionFitSchema = z.object({
  split: z.literal('id_validation'),
  n: z.number().int(),
  kind: fittedKind,
  macro_f1: z.number(),
  argmax_macro_f1: z.number(),
  candidates: z.partialRecord(fittedKind, z.number()),
});
