/**
 * report.json's `debias` section (optional: runs made before it, or with the step turned off, have none): the
 * negatives, the DPO stage, the temperature, the random-pair check and the none / negatives / DPO / both
 * ablation. Every figure on a test split comes from choices made on ID validation.
 */
import { z } from 'zod';

import { gradeDecisionSchema } from './metrics-schema';

/** Decided-grade shares of random (query, other-department item) pairs. */
export const gradeSharesSchema = z.object({
  pairs: z.number().int(),
  /** Per grade, lowest first, under the model's decision rule. */
  shares: z.array(z.number()),
  /** The same under arg-max (the most probable grade). */
  argmax_shares: z.array(z.number()),
  /** The pairs decided the top grade (at most 20), to audit the check's generator. */
  top_pairs: z.array(z.object({ query: z.string(), item: z.string() })).optional(),
});

/** One split's figures in the ablation. */
const variantSplitSchema = z.object({
  macro_f1: z.number(),
  over_recall: z.number(),
  'ndcg@10': z.number(),
  ece: z.number(),
  /** ECE before the variant's temperature scaling. */
  ece_raw: z.number(),
  /** Macro-F1 and over-recall under the rule capped at `operating_point.max_over_recall` on ID validation. */
  capped_macro_f1: z.number(),
  capped_over_recall: z.number(),
  /** The same under the margin operating point (see `operating_point.margin`). */
  margin_macro_f1: z.number().optional(),
  margin_over_recall: z.number().optional(),
});

/** One variant of the ablation. */
export const debiasVariantSchema = z.object({
  variant: z.enum(['none', 'negatives', 'dpo', 'both']),
  temperature: z.number(),
  decision: gradeDecisionSchema,
  capped_decision: gradeDecisionSchema,
  /** The margin operating point's rule and its ID validation figures. */
  margin_decision: gradeDecisionSchema.optional(),
  margin_validation: z
    .object({ macro_f1: z.number(), over_recall: z.number(), over_recall_upper: z.number() })
    .optional(),
  /** Seconds of the variant's own training (0 for none; both reuses the negatives model). */
  train_seconds: z.number(),
  splits: z.record(z.string(), variantSplitSchema),
  random_pairs: gradeSharesSchema,
});

/** The `debias` section. */
export const debiasReportSchema = z.object({
  /** The stage the step started from. */
  from: z.string(),
  negatives: z.object({
    ratio: z.number(),
    hard_share: z.number(),
    count: z.number().int(),
    by_kind: z.record(z.string(), z.number().int()),
  }),
  /** The step's DPO stage; null when the settings leave it out (the ablation still runs it). */
  dpo: z
    .object({
      beta: z.number(),
      epochs: z.number().int(),
      pairs: z.number().int(),
      steps: z.number().int(),
    })
    .nullable(),
  temperature: z.object({ value: z.number(), ece_before: z.number(), ece_after: z.number() }),
  /**
   * The over-recall cap of the capped operating point (fitted on ID validation), and the margin operating point:
   * the rule of highest validation macro-F1 whose query-bootstrap upper bound (`level`) of validation
   * over-recall stays under the cap, fitted under `cap`, with its figures on each test split.
   */
  operating_point: z.object({
    max_over_recall: z.number(),
    margin: z
      .object({
        decision: gradeDecisionSchema,
        cap: z.number(),
        level: z.number(),
        validation: z.object({
          macro_f1: z.number(),
          over_recall: z.number(),
          over_recall_upper: z.number(),
        }),
        splits: z.record(z.string(), z.object({ macro_f1: z.number(), over_recall: z.number() })),
      })
      .optional(),
  }),
  /** The de-biased model's decisions on random (ID-test query, other-department item) pairs. */
  random_pairs: gradeSharesSchema,
  /**
   * The same on shuffled ID-validation pairs (a validation query with another validation item of another
   * department, sharing no content word): the validation-side check, from ID validation text alone.
   */
  shuffled_validation_pairs: gradeSharesSchema.optional(),
  seconds: z.number(),
  ablation: z.array(debiasVariantSchema).nullable(),
});

/** The `debias` section of report.json. */
export type DebiasReport = z.infer<typeof debiasReportSchema>;
