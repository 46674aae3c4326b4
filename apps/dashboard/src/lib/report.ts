/**
 * The parts of a run's report.json the views read, checked with zod section by section: a section that is
 * missing or malformed becomes `null` and its view says so, instead of one bad field failing every page.
 */
import { z } from 'zod';

const num = z.number();

/** A metric with its 95% query-bootstrap interval. */
export const intervalSchema = z.object({
  value: num,
  lo: num.nullable().optional(),
  hi: num.nullable().optional(),
});
export type Interval = z.infer<typeof intervalSchema>;

/** One bin of a reliability diagram. */
export const reliabilityBinSchema = z.object({
  lower: num,
  upper: num,
  count: num,
  meanConfidence: num,
  accuracy: num,
});
export type ReliabilityBin = z.infer<typeof reliabilityBinSchema>;

/** The ID splits; every other split of a report is an OOD split. */
export const ID_SPLITS: readonly string[] = ['id_test', 'id_val', 'id_validation'];

/** The OOD splits of a report (every split that is not an ID split), in report order. */
export const oodSplitNames = (report: { testSplits: Record<string, unknown> }): string[] =>
  Object.keys(report.testSplits).filter((name) => !ID_SPLITS.includes(name));

/** The metrics shown side by side, in display order. */
export const METRICS = ['accuracy', 'macro_f1', 'ndcg@10', 'ece', 'rmse', 'over_recall'] as const;
export type MetricName = (typeof METRICS)[number];

/** Labels and direction of each metric. */
export const METRIC_INFO: Readonly<Record<MetricName, { label: string; higherIsBetter: boolean }>> =
  {
    accuracy: { label: 'Accuracy', higherIsBetter: true },
    macro_f1: { label: 'Macro-F1', higherIsBetter: true },
    'ndcg@10': { label: 'NDCG@10', higherIsBetter: true },
    ece: { label: 'ECE', higherIsBetter: false },
    rmse: { label: 'RMSE', higherIsBetter: false },
    over_recall: { label: 'Over-recall', higherIsBetter: false },
  };

const splitSchema = z.object({
  accuracy: intervalSchema,
  macro_f1: intervalSchema,
  'ndcg@10': intervalSchema,
  ece: intervalSchema,
  rmse: intervalSchema,
  over_recall: intervalSchema,
  n: num,
  queries: num,
  confusion: z.array(z.array(num)).optional(),
  reliability: z.array(reliabilityBinSchema).optional(),
});
export type SplitMetrics = z.infer<typeof splitSchema>;

const detectionSchema = z.object({
  auroc: num,
  auprIn: num,
  auprOut: num,
  fprAtTpr: num,
  tpr: num,
  threshold: num,
  nId: num,
  nOod: num,
});
export type Detection = z.infer<typeof detectionSchema>;

const stageScoresSchema = z.object({
  id_validation_macro_f1: num,
  id_test_macro_f1: num,
  ood_test_macro_f1: num,
});
export type StageScores = z.infer<typeof stageScoresSchema>;

const stagesSchema = z.object({
  stage1: stageScoresSchema,
  stage2: stageScoresSchema,
  stage3: stageScoresSchema,
  alpha: num,
});

const selectionRunSchema = z.object({
  seed: num,
  budget: num,
  picked: num,
  alpha: num,
  stage2: stageScoresSchema,
  stage3: stageScoresSchema,
});
export type SelectionRun = z.infer<typeof selectionRunSchema>;

const comparisonSchema = z.object({
  gains: z.record(
    z.string(),
    z.object({
      stage2_ood_macro_f1_gain: num,
      stage3_ood_macro_f1_gain: num,
      per_seed_stage2: z.array(num),
      per_seed_stage3: z.array(num),
    }),
  ),
  distribution_aware_beats_random: z.boolean(),
  paired_distribution_aware_vs_random: z
    .object({
      unit: z.string(),
      queries: num,
      mean_difference: num,
      t_test_p: num,
      sign_flip_p: num,
      bootstrap_ci: z.tuple([num, num]),
    })
    .nullable()
    .optional(),
});
export type SelectionComparison = z.infer<typeof comparisonSchema>;

const sliceSchema = z
  .object({
    slice: z.string(),
    side: z.string(),
    n: num,
    accuracy: num.nullable(),
    macro_f1: num.nullable(),
    ood_rate: num.nullable(),
  })
  .catchall(z.unknown());
export type Slice = z.infer<typeof sliceSchema>;

/** How probabilities become the predicted grade (report.json `decision.rule`). */
const decisionSchema = z.object({
  rule: z.union([
    z.object({ kind: z.literal('argmax') }),
    z.object({ kind: z.literal('grade-offsets'), offsets: z.array(num) }),
    z.object({ kind: z.literal('ordinal-thresholds'), thresholds: z.array(num) }),
  ]),
  fit: z
    .object({ split: z.string(), macro_f1: num, argmax_macro_f1: num.optional() })
    .partial()
    .optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** The report as the views read it; each section is null when absent or malformed. */
export interface RunReport {
  readonly name: string | null;
  /** Grade names by index (0 = lowest). */
  readonly gradeNames: string[];
  readonly splits: { id: SplitMetrics; ood: SplitMetrics } | null;
  /** Every split of report.json `splits` that reads as metrics, by name (`id_test`, `ood_test`, and any others). */
  readonly testSplits: Record<string, SplitMetrics>;
  readonly gap: Partial<Record<MetricName, number>> | null;
  readonly detection: Record<string, Detection> | null;
  readonly thresholds: Record<string, number> | null;
  readonly stages: z.infer<typeof stagesSchema> | null;
  readonly selection: Record<string, SelectionRun[]> | null;
  readonly comparison: SelectionComparison | null;
  readonly slices: Slice[] | null;
  readonly budget: { fraction: number; pool: number; revealed_per_run: number } | null;
  readonly decision: Decision | null;
}

function section<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Reads the views' sections out of report.json (as `runs.get` returns it). */
export function parseReport(report: Record<string, unknown> | null): RunReport {
  const r = report ?? {};
  const splits = section(z.object({ id_test: splitSchema, ood_test: splitSchema }), r['splits']);
  return {
    name: section(z.object({ name: z.string() }), r['run'])?.name ?? null,
    gradeNames: section(
      z.object({ split_report: z.object({ gradeNames: z.array(z.string()) }) }),
      r['data'],
    )?.split_report.gradeNames ?? ['irrelevant', 'weak', 'strong'],
    splits: splits === null ? null : { id: splits.id_test, ood: splits.ood_test },
    testSplits: Object.fromEntries(
      Object.entries(section(z.record(z.string(), z.unknown()), r['splits']) ?? {}).flatMap(
        ([name, value]) => {
          const parsed = section(splitSchema, value);
          return parsed === null ? [] : [[name, parsed] as const];
        },
      ),
    ),
    gap: section(z.partialRecord(z.enum(METRICS), num), r['gap']),
    detection: section(z.record(z.string(), detectionSchema), r['ood_detection']),
    thresholds: section(z.record(z.string(), num), r['ood_thresholds']),
    stages: section(stagesSchema, r['stages']),
    selection: section(z.record(z.string(), z.array(selectionRunSchema)), r['selection']),
    comparison: section(comparisonSchema, r['selection_comparison']),
    slices: section(z.array(sliceSchema), r['slices']),
    budget: section(z.object({ fraction: num, pool: num, revealed_per_run: num }), r['budget']),
    decision: section(decisionSchema, r['decision']),
  };
}
