/**
 * The shift sections of a pipeline run's report: one entry per OOD set (near: held-out departments of the
 * training data; far: a second dataset from another retailer), the selection budget curve measured on the far
 * set, and the 2-D map of ID / near / far traffic stored beside the report (`map.json`).
 */
import { z } from 'zod';

import { oodEvaluationSchema, SPLIT_METRICS } from './metrics-schema';

/** The kinds of OOD set, in display order. */
export const OOD_SET_KINDS = ['near', 'far'] as const;
/** One of {@link OOD_SET_KINDS}. */
export type OodSetKind = (typeof OOD_SET_KINDS)[number];

/** Where a pool pair came from. */
export const POOL_ORIGINS = ['id', 'near', 'far'] as const;
/** One of {@link POOL_ORIGINS}. */
export type PoolOrigin = (typeof POOL_ORIGINS)[number];

/** A difference of a metric between two splits with its 95% query-bootstrap interval and two-sided p-value. */
export const differenceSchema = z.object({
  value: z.number(),
  lo: z.number().nullable(),
  hi: z.number().nullable(),
  /** Two-sided bootstrap p-value of "no difference" (null when it could not be estimated). */
  p: z.number().nullable(),
});
/** A difference with its interval and p-value. */
export type Difference = z.infer<typeof differenceSchema>;

/** How one OOD score does on one OOD set, with the share of the set it flags at its calibrated threshold. */
export const setDetectionSchema = oodEvaluationSchema.extend({
  /** Share of the set's pairs above the score's 95%-ID-TPR threshold (calibrated on ID validation). */
  flagged: z.number(),
});

/** The verdict the Overview shows for one OOD set. */
export const oodVerdictSchema = z.object({
  /** The best content-space score separates the set from ID test (AUROC ≥ 0.75). */
  detected: z.boolean(),
  /** The relevance quality drops: the macro-F1 gap's interval lies above 0. */
  hurts: z.boolean(),
  /** The content score behind `detected`, its AUROC and flagged share. */
  best_detector: z.string(),
  /** One sentence for an analyst. */
  summary: z.string(),
  /** What to do next, in a sentence. */
  next_step: z.string(),
});

/** One OOD set of a run. */
export const oodSetSchema = z.object({
  kind: z.enum(OOD_SET_KINDS),
  /** The test split that holds it in `splits`. */
  split: z.string(),
  /** What it is, for a reader. */
  description: z.string(),
  /** The data file it came from (the training file for near OOD). */
  source: z.object({ path: z.string(), sha256: z.string(), rows: z.number().int() }),
  pairs: z.number().int(),
  queries: z.number().int(),
  /** Grade fractions of the set, in grade order; compare with `id_grade_mix` before reading any gap. */
  grade_mix: z.array(z.number()),
  /** Grade fractions of the ID test split. */
  id_grade_mix: z.array(z.number()),
  /** ID test minus this set, per metric. */
  gap: z.record(z.enum(SPLIT_METRICS), differenceSchema),
  /** Per OOD score: ID test against this set. */
  detection: z.record(z.string(), setDetectionSchema),
  verdict: oodVerdictSchema,
});
/** One OOD set of a run. */
export type OodSetReport = z.infer<typeof oodSetSchema>;

/** The far-set figures of one model in the curve. */
const curveFiguresSchema = z.object({
  far_macro_f1: z.number(),
  far_ndcg_at_10: z.number(),
  id_macro_f1: z.number(),
});

/** One strategy × budget × seed through stages 2 and 3. */
export const curvePointSchema = z.object({
  strategy: z.string(),
  budget_fraction: z.number(),
  budget: z.number().int(),
  seed: z.number().int(),
  /** Picks by pool origin. */
  picked: z.record(z.enum(POOL_ORIGINS), z.number().int()),
  alpha: z.number(),
  stage2: curveFiguresSchema,
  stage3: curveFiguresSchema,
});
/** One point of the curve. */
export type CurvePoint = z.infer<typeof curvePointSchema>;

/** Core's paired comparison over queries: t-test, sign-flip test and bootstrap interval of the mean difference. */
export const pairedTestSchema = z.object({
  /** Queries (the unit of the test). */
  queries: z.number().int(),
  mean_difference: z.number(),
  t_test_p: z.number(),
  sign_flip_p: z.number(),
  bootstrap_ci: z.tuple([z.number(), z.number()]),
});

/** A paired per-query comparison of two strategies at one budget, on the far test queries. */
export const pairedComparisonSchema = pairedTestSchema.extend({
  budget_fraction: z.number(),
  stage: z.enum(['stage2', 'stage3']),
  metric: z.enum(['ndcg@10', 'accuracy']),
  strategy: z.string(),
  versus: z.string(),
});
/** A paired comparison of two strategies. */
export type PairedComparison = z.infer<typeof pairedComparisonSchema>;

/** Mean figures of one strategy at one budget, over the seeds. */
export const curveSummarySchema = z.object({
  strategy: z.string(),
  budget_fraction: z.number(),
  budget: z.number().int(),
  seeds: z.number().int(),
  /** Mean far-test gain over stage 1, stage 2 and stage 3. */
  far_macro_f1_gain: z.object({ stage2: z.number(), stage3: z.number() }),
  far_ndcg_at_10_gain: z.object({ stage2: z.number(), stage3: z.number() }),
  /** Mean share of the picks that came from the far pool. */
  far_share: z.number(),
  /** Stage-3 ID test macro-F1 change over stage 1 (mean over seeds) with the interval of the seeds' mean. */
  id_macro_f1_change: differenceSchema,
});
/** Summary of one strategy at one budget. */
export type CurveSummary = z.infer<typeof curveSummarySchema>;

/** The selection budget curve, measured on the far-OOD test set. */
export const budgetCurveSchema = z.object({
  /** The pool the picks come from, by origin. */
  pool: z.object({
    pairs: z.number().int(),
    by_origin: z.record(z.enum(POOL_ORIGINS), z.number().int()),
  }),
  budgets: z.array(z.number()),
  seeds: z.array(z.number().int()),
  strategies: z.array(z.string()),
  /** ID-train pairs replayed in each curve run's stage 2 (a sample; the main model replays all of ID train). */
  replay: z.number().int(),
  /** Stage-1 figures every gain is measured from. */
  stage1: curveFiguresSchema,
  /** The ID test macro-F1 interval of stage 1 (a change inside it is no ID loss). */
  id_macro_f1_interval: z.tuple([z.number().nullable(), z.number().nullable()]),
  points: z.array(curvePointSchema),
  summary: z.array(curveSummarySchema),
  tests: z.array(pairedComparisonSchema),
  /** Whether distribution-aware selection beat random with p < 0.05 at some budget without an ID loss. */
  goal: z.object({ met: z.boolean(), summary: z.string() }),
  seconds: z.number(),
});
/** The budget curve. */
export type BudgetCurve = z.infer<typeof budgetCurveSchema>;

/** The splits a map point can belong to. */
export const MAP_GROUPS = ['id_test', 'near', 'far', 'pool'] as const;
/** One of {@link MAP_GROUPS}. */
export type MapGroup = (typeof MAP_GROUPS)[number];

/**
 * `map.json`: a 2-D projection of the content space computed once at pipeline time (PCA fitted on ID train),
 * stored column-wise. Point i is (`x[i]`, `y[i]`) of pair `ids[i]` in group `groups[group[i]]`.
 */
export const shiftMapSchema = z.object({
  format: z.literal('gradeshift-map'),
  version: z.literal(1),
  method: z.string(),
  /** Share of the ID-train variance each axis explains. */
  explained_variance: z.tuple([z.number(), z.number()]),
  groups: z.array(z.enum(MAP_GROUPS)),
  ids: z.array(z.string()),
  group: z.array(z.number().int()),
  x: z.array(z.number()),
  y: z.array(z.number()),
  /** Fused OOD score's ID percentile, per point. */
  fused_percentile: z.array(z.number()),
  /** |decided grade − true grade| (null for pool points, whose labels are hidden). */
  error: z.array(z.number().nullable()),
});
/** The map file. */
export type ShiftMap = z.infer<typeof shiftMapSchema>;
