/**
 * The selection budget curve: every strategy × budget × seed picks from the same pool (ID, near and far traffic)
 * with the same stage-1 model, goes through stages 2 and 3, and is judged on the far-OOD test set (macro-F1 and
 * NDCG@10 gains over stage 1) and on ID test (the change, against stage 1's interval). At each budget,
 * distribution-aware selection is compared with each other strategy by core's paired per-query tests on the far
 * test queries (per-query NDCG@10 and accuracy, averaged over seeds). No choice reads a test split: picks,
 * stage-2 training, α (ID validation + held-out picks) and decision rules (ID validation) are all as in the
 * main model; only stage 2 replays a seeded sample of ID train instead of all of it, to keep the curve's
 * dozens of runs affordable (the report says how many pairs).
 */
import {
  bootstrapByQuery,
  classificationReport,
  confusionMatrix,
  decideGrades,
  meanNdcg,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';
import { createMatrix, createRng, shuffledIndices, type Gemm } from '@gradeshift/core/math';

import type { StrategyName } from '../contract/strategy-names';
import type { BudgetCurve, CurvePoint, PoolOrigin } from '../contract/shift-schema';
import type { LabeledPair } from '../data/dataset';
import { inferSplit } from '../stages/infer';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import { runSelection, type SelectionInputs } from '../stages/select-stage';
import { validationDecision } from './decision-rule';
import { goalOf, pairedTests, summaries, type Judged, type Runs } from './curve-statistics';
import { fineTuneOnSelection } from './fine-tune-on-selection';
import { perQueryAccuracy } from './compare-strategies';
import { selectionBudget, type StrategyRunsOptions } from './selection-inputs';

/** Budgets of the curve unless told otherwise, as fractions of the pool. */
export const CURVE_BUDGETS: readonly number[] = [0.01, 0.02, 0.05, 0.1, 0.2];
/** Seeds of the curve unless told otherwise. */
export const CURVE_SEEDS: readonly number[] = [0, 1, 2, 3, 4];
/** ID-train pairs replayed in each curve run's stage 2 unless told otherwise. */
export const CURVE_REPLAY = 8000;
/** The α grid of each curve run's stage 3 (every 0.2; the main model sweeps every 0.1). */
export const CURVE_ALPHAS: readonly number[] = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** Options of {@link runBudgetCurve}. */
export interface BudgetCurveOptions extends StrategyRunsOptions {
  /** The selection inputs of the stage-1 model (shared with the strategy comparison). */
  readonly inputs: SelectionInputs;
  readonly budgets?: readonly number[] | undefined;
  readonly seeds?: readonly number[] | undefined;
  readonly replay?: number | undefined;
  /** Bootstrap resamples of stage 1's ID-test interval. @default 1000 */
  readonly resamples?: number | undefined;
}

/** Macro-F1 of labels against decided grades. */
function macroF1(labels: Int32Array, predicted: Int32Array, grades: number): number {
  return classificationReport(confusionMatrix(labels, predicted, grades)).macroF1;
}

/** Accuracy of each query of `queryIds` (the queries `meanNdcg` evaluated, in its order). */
function perQueryAccuracyOf(
  split: PreparedSplit,
  predicted: Int32Array,
  queryIds: readonly unknown[],
): Float64Array {
  const all = perQueryAccuracy(split.queries, split.labels, predicted);
  const at = new Map(all.queries.map((q, g) => [q, all.values[g] ?? 0]));
  return Float64Array.from(queryIds, (q) => at.get(String(q)) ?? 0);
}

/** Judges one model on the far test set and ID test under its own ID-validation decision rule. */
async function judge(params: ScorerParams, data: PreparedData, gemm: Gemm): Promise<Judged> {
  const far = data.farTest;
  if (far === undefined) throw new Error('the budget curve needs a far-OOD test set');
  const { decision } = await validationDecision(params, data.idValidation, gemm);
  const grades = params.config.grades;
  const decide = (o: Awaited<ReturnType<typeof inferSplit>>, d: GradeDecision) =>
    decideGrades(o.probs, d, { expected: o.expected });
  const farOut = await inferSplit(params, far.frozen, { gemm });
  const idOut = await inferSplit(params, data.idTest.frozen, { gemm });
  const farPredicted = decide(farOut, decision);
  const idPredicted = decide(idOut, decision);
  const ndcg = meanNdcg(
    { scores: farOut.expected, labels: far.labels, queryIds: far.queries },
    { k: 10 },
  );
  return {
    figures: {
      far_macro_f1: macroF1(far.labels, farPredicted, grades),
      far_ndcg_at_10: ndcg.mean,
      id_macro_f1: macroF1(data.idTest.labels, idPredicted, grades),
    },
    idPredicted,
    perQuery: {
      ndcg: ndcg.perQuery,
      accuracy: perQueryAccuracyOf(far, farPredicted, ndcg.queryIds),
    },
  };
}

/** A seeded sample of `n` ID-train pairs (all of them when n ≥ the split). */
function replaySample(pairs: readonly LabeledPair[], n: number, seed: number): LabeledPair[] {
  if (n >= pairs.length) return [...pairs];
  const order = shuffledIndices(pairs.length, createRng(seed));
  return Array.from(order.subarray(0, n))
    .sort((a, b) => a - b)
    .flatMap((i) => pairs[i] ?? []);
}

/** One curve run: pick, stages 2 and 3, judge both. */
async function curveRun(
  options: BudgetCurveOptions,
  run: { strategy: StrategyName; budgetFraction: number; budget: number; seed: number },
  replay: readonly LabeledPair[],
): Promise<{ point: CurvePoint; stage2: Judged; stage3: Judged }> {
  const { data, gemm } = options;
  const selection = await runSelection(options.inputs, {
    strategy: run.strategy,
    budget: run.budget,
    seed: run.seed,
  });
  const tuned = await fineTuneOnSelection({
    data,
    stage1: options.stage1,
    picked: selection.picked,
    loss: options.loss,
    seed: run.seed,
    gemm,
    replay,
    alphas: CURVE_ALPHAS,
    stage: `curve ${run.strategy} ${run.budgetFraction} seed ${run.seed}`,
    ...(options.hyperparameters === undefined ? {} : { hyperparameters: options.hyperparameters }),
  });
  const stage2 = await judge(tuned.stage2.params, data, gemm);
  const stage3 = await judge(tuned.stage3, data, gemm);
  const origins = data.splits.poolOrigin;
  const picked: Record<PoolOrigin, number> = { id: 0, near: 0, far: 0 };
  for (const p of selection.picked) {
    const origin = origins[p.poolIndex];
    if (origin !== undefined) picked[origin] += 1;
  }
  return {
    point: {
      strategy: run.strategy,
      budget_fraction: run.budgetFraction,
      budget: run.budget,
      seed: run.seed,
      picked,
      alpha: tuned.alpha,
      stage2: stage2.figures,
      stage3: stage3.figures,
    },
    stage2,
    stage3,
  };
}

/** The budgets in pairs and the ID-test interval of stage 1. */
async function stage1Baseline(
  options: BudgetCurveOptions,
): Promise<{ judged: Judged; interval: [number | null, number | null] }> {
  const { data, gemm, stage1 } = options;
  const judged = await judge(stage1, data, gemm);
  const predicted = judged.idPredicted;
  const labels = data.idTest.labels;
  const grades = stage1.config.grades;
  const cm = createMatrix(grades, grades);
  const r = bootstrapByQuery(
    data.idTest.queries,
    ({ indices }) => {
      cm.data.fill(0);
      for (const i of indices) {
        const at = (labels[i] ?? 0) * grades + (predicted[i] ?? 0);
        cm.data[at] = (cm.data[at] ?? 0) + 1;
      }
      return classificationReport(cm).macroF1;
    },
    { resamples: options.resamples ?? 1000, seed: 0 },
  );
  return { judged, interval: [r.lower, r.upper] };
}

/**
 * Runs the budget curve.
 * @returns the curve, or null when the run has no far-OOD test set
 * @throws RangeError for an empty pool, a budget outside (0, 1] or no seeds
 */
export async function runBudgetCurve(options: BudgetCurveOptions): Promise<BudgetCurve | null> {
  const { data, strategies, progress } = options;
  if (data.farTest === undefined) return null;
  const t0 = Date.now();
  const budgets = options.budgets ?? CURVE_BUDGETS;
  const seeds = options.seeds ?? CURVE_SEEDS;
  if (seeds.length === 0) throw new RangeError('the budget curve needs at least one seed');
  const poolSize = data.pool.pairs.length;
  const sizes = budgets.map((f) => selectionBudget(f, poolSize));
  const base = await stage1Baseline(options);
  const replay = replaySample(data.idTrain.pairs, options.replay ?? CURVE_REPLAY, 0);
  const runs: Runs = [];
  const total = budgets.length * strategies.length * seeds.length;
  for (const [b, budgetFraction] of budgets.entries())
    for (const strategy of strategies)
      for (const seed of seeds) {
        const elapsed = (Date.now() - t0) / 1000;
        const eta =
          runs.length === 0
            ? ''
            : `, eta ${Math.round((elapsed / runs.length) * (total - runs.length))} s`;
        progress?.({
          stage: 'curve',
          message: `${strategy}, budget ${(100 * budgetFraction).toFixed(0)}%, seed ${seed}${eta}`,
          done: runs.length,
          total,
        });
        const budget = sizes[b] ?? 1;
        runs.push(await curveRun(options, { strategy, budgetFraction, budget, seed }, replay));
      }
  const summary = summaries(runs, base.judged.figures);
  const tests = budgets.flatMap((f) => pairedTests(runs, f));
  const byOrigin: Record<PoolOrigin, number> = { id: 0, near: 0, far: 0 };
  for (const o of data.splits.poolOrigin) byOrigin[o] += 1;
  return {
    pool: { pairs: poolSize, by_origin: byOrigin },
    budgets: [...budgets],
    seeds: [...seeds],
    strategies: [...strategies],
    replay: replay.length,
    stage1: base.judged.figures,
    id_macro_f1_interval: base.interval,
    points: runs.map((r) => r.point),
    summary,
    tests,
    goal: goalOf({
      tests,
      summary,
      idInterval: base.interval,
      stage1Id: base.judged.figures.id_macro_f1,
    }),
    seconds: (Date.now() - t0) / 1000,
  };
}
