/**
 * `distill.json`, the report of the distillation step (`gradeshift train --stage distill`): the teacher file, the α
 * sweep on ID validation, and the student before distillation (stage 1) and after, each on the ID test, near-OOD
 * and far-OOD splits, with its mean KL to the teacher and its throughput.
 */
import { z } from 'zod';

import { gradeDecisionSchema, intervalSchema } from './metrics-schema';

/** One split's figures under the model's decision rule (fitted on ID validation). */
const distillSplitSchema = z.object({
  n: z.number().int(),
  macro_f1: intervalSchema,
  rmse: intervalSchema,
  'ndcg@10': intervalSchema,
  accuracy: intervalSchema,
});

/** One model: the student before or after distillation. */
const distillModelSchema = z.object({
  /** `stage1`, or `distill` for the distilled student. */
  stage: z.enum(['stage1', 'distill']),
  /** sha256 of its parameters file. */
  sha256: z.string(),
  decision: gradeDecisionSchema,
  id_validation_macro_f1: z.number(),
  /** ID test, near-OOD test (`ood_test`) and, when the run has one, the far-OOD test (`far_test`). */
  splits: z.record(z.string(), distillSplitSchema),
  /** Mean KL(teacher ‖ student) at T = 1 over the training pairs, all of them and the pool's alone. */
  teacher_kl: z.object({ all: z.number(), pool: z.number() }),
  /** Scoring from raw text (featurise + forward pass, TypeScript, this process), median of the repeats. */
  throughput: z.object({
    pairs: z.number().int(),
    repeats: z.number().int(),
    seconds: z.number(),
    pairs_per_second: z.number(),
  }),
});

/** One point of the α sweep (each a student trained from the same seeded start). */
const alphaPointSchema = z.object({
  alpha: z.number(),
  id_validation_macro_f1: z.number(),
  best_epoch: z.number().int(),
  seconds: z.number(),
});

/** distill.json. */
export const distillReportSchema = z.object({
  teacher: z.object({
    file: z.string(),
    sha256: z.string(),
    lines: z.number().int(),
    output: z.enum(['probs', 'logits']),
  }),
  /** The training pairs: ID train (gold labels and the teacher) and the unlabeled pool (the teacher only). */
  pairs: z.object({ id_train: z.number().int(), pool: z.number().int() }),
  loss: z.string(),
  seed: z.number().int(),
  temperature: z.number(),
  /** The chosen weight of the gold loss (1: gold only, 0: teacher only), by ID-validation macro-F1. */
  alpha: z.number(),
  alpha_sweep: z.array(alphaPointSchema),
  before: distillModelSchema,
  after: distillModelSchema,
  seconds: z.number(),
});

/** distill.json. */
export type DistillReport = z.infer<typeof distillReportSchema>;
