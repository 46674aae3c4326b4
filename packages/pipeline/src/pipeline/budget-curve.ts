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
  comparePaired,
  confusionMatrix,
  decideGrades,
  meanNdcg,
  studentTTwoSided,
  type GradeDecision,
  type ScorerParams,
} from '@gradeshift/core';
import { createMatrix, createRng, shuffledIndices, type Gemm } from '@gradeshift/core/math';

import { DEFAULT_STRATEGY, type StrategyName } from '../contract/strategy-names';
import type {
  BudgetCurve,
  CurvePoint,
  CurveSummary,
  Difference,
  PairedComparison,
  PoolOrigin,
} from '../contract/shift-schema';
import type { LabeledPair } from '../data/dataset';
import { inferSplit } from '../stages/infer';
import type { LossName } from '../stages/losses';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { runSelection, type SelectionInputs } from '../stages/select-stage';
import type { StageHyperparameters } from '../stages/train-stage';
import { validationDecision } from './decision-rule';
import { fineTuneOnSelection } from './fine-tune-on-selection';
import { perQueryAccuracy } from './compare-strategies';
import { selectionBudget } from './selection-inputs';

/** Budgets of the curve unless told otherwise, as fractions of the pool. */
export const CURVE_BUDGETS: readonly number[] = [0.01, 0.02, 0.05, 0.1, 0.2];
/** Seeds of the curve unless told otherwise. */
export const CURVE_SEEDS: readonly number[] = [0, 1, 2, 3, 4];
/** ID-train pairs replayed in each curve run's stage 2 unless told otherwise. */
export const CURVE_REPLAY = 8000;
/** The α grid of each curve run's stage 3 (every 0.2; the main model sweeps every 0.1). */
export const CURVE_ALPHAS: readonly number[] = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** Options of {@link runBudgetCurve}. */
export interface BudgetCurveOptions {
  readonly data: PreparedData;
  readonly stage1: ScorerParams;
  readonly gemm: Gemm;
  /** The selection inputs of the stage-1 model (shared with the strategy comparison). */
  readonly inputs: SelectionInputs;
  readonly strategies: readonly StrategyName[];
  readonly budgets?: readonly number[] | undefined;
  readonly seeds?: readonly number[] | undefined;
  readonly replay?: number | undefined;
  readonly loss: LossName;
  readonly hyperparameters?: StageHyperparameters | undefined;
  /** Bootstrap resamples of stage 1's ID-test interval. @default 1000 */
  readonly resamples?: number | undefined;
  readonly progress?: ProgressSink | undefined;
}

/** One model's far and ID figures, with its per-query far values for the paired tests. */
interface Judged {
  readonly figures: CurvePoint['stage2'];
  readonly perQuery: { readonly ndcg: Float64Array; readonly accuracy: Float64Array };
  /** Its decided grades on ID test. */
  readonly idPredicted: Int32Array;
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

const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;

/** The two-sided 95% critical value of Student's t with `df` degrees of freedom (bisection). */
function tCritical(df: number): number {
  let lo = 0;
  let hi = 1000;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (studentTTwoSided(mid, df) > 0.05) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Mean of `xs` with its 95% t-interval and the one-sample t-test p-value of "mean 0". */
export function meanWithInterval(xs: readonly number[]): Difference {
  const m = mean(xs);
  if (xs.length < 2) return { value: m, lo: null, hi: null, p: null };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
  const se = sd / Math.sqrt(xs.length);
  const half = tCritical(xs.length - 1) * se;
  const p = se === 0 ? (m === 0 ? 1 : 0) : studentTTwoSided(m / se, xs.length - 1);
  return { value: m, lo: m - half, hi: m + half, p };
}

/** Per-query values averaged over seeds. */
function averaged(list: readonly Float64Array[]): Float64Array {
  const first = list[0];
  const out = new Float64Array(first?.length ?? 0);
  for (const v of list)
    for (let q = 0; q < out.length; q++) out[q] = (out[q] ?? 0) + (v[q] ?? 0) / list.length;
  return out;
}

type Runs = { point: CurvePoint; stage2: Judged; stage3: Judged }[];

/** The paired tests of distribution-aware selection against every other strategy at one budget. */
function pairedTests(runs: Runs, budgetFraction: number): PairedComparison[] {
  const at = runs.filter((r) => r.point.budget_fraction === budgetFraction);
  const of = (strategy: string) => at.filter((r) => r.point.strategy === strategy);
  const main = of(DEFAULT_STRATEGY);
  if (main.length === 0) return [];
  const others = [...new Set(at.map((r) => r.point.strategy))].filter(
    (s) => s !== DEFAULT_STRATEGY,
  );
  return others.flatMap((versus) =>
    (['stage2', 'stage3'] as const).flatMap((stage) =>
      (['ndcg@10', 'accuracy'] as const).flatMap((metric): PairedComparison[] => {
        const pick = (r: Runs[number]) =>
          metric === 'ndcg@10' ? r[stage].perQuery.ndcg : r[stage].perQuery.accuracy;
        const a = averaged(main.map(pick));
        const b = averaged(of(versus).map(pick));
        if (a.length < 2 || b.length !== a.length) return [];
        const c = comparePaired(a, b, { signFlip: { seed: 0 }, bootstrap: { seed: 0 } });
        return [
          {
            budget_fraction: budgetFraction,
            stage,
            metric,
            strategy: DEFAULT_STRATEGY,
            versus,
            queries: a.length,
            mean_difference: c.meanDifference,
            t_test_p: c.tTest.pValue,
            sign_flip_p: c.signFlip.pValue,
            bootstrap_ci: [c.bootstrap.lower, c.bootstrap.upper],
          },
        ];
      }),
    ),
  );
}

/** Mean gains of each strategy at each budget. */
function summaries(runs: Runs, stage1: CurvePoint['stage2']): CurveSummary[] {
  const keys = [...new Set(runs.map((r) => `${r.point.strategy}\u0000${r.point.budget_fraction}`))];
  return keys.map((key) => {
    const list = runs.filter((r) => `${r.point.strategy}\u0000${r.point.budget_fraction}` === key);
    const points = list.map((r) => r.point);
    const [first] = points;
    if (first === undefined) throw new Error(`no curve point for ${key}`);
    const gain = (stage: 'stage2' | 'stage3', m: 'far_macro_f1' | 'far_ndcg_at_10') =>
      mean(points.map((p) => p[stage][m] - stage1[m]));
    const total = (p: CurvePoint) => p.picked.id + p.picked.near + p.picked.far;
    return {
      strategy: first.strategy,
      budget_fraction: first.budget_fraction,
      budget: first.budget,
      seeds: points.length,
      far_macro_f1_gain: {
        stage2: gain('stage2', 'far_macro_f1'),
        stage3: gain('stage3', 'far_macro_f1'),
      },
      far_ndcg_at_10_gain: {
        stage2: gain('stage2', 'far_ndcg_at_10'),
        stage3: gain('stage3', 'far_ndcg_at_10'),
      },
      far_share: mean(points.map((p) => p.picked.far / Math.max(1, total(p)))),
      id_macro_f1_change: meanWithInterval(
        points.map((p) => p.stage3.id_macro_f1 - stage1.id_macro_f1),
      ),
    };
  });
}

/** Whether distribution-aware beat random at some budget (stage 3, p < 0.05) without an ID loss. */
function goalOf(inputs: {
  tests: readonly PairedComparison[];
  summary: readonly CurveSummary[];
  idInterval: readonly [number | null, number | null];
  stage1Id: number;
}): BudgetCurve['goal'] {
  const { tests, summary, idInterval, stage1Id } = inputs;
  const lower = idInterval[0] ?? -Infinity;
  const wins = tests.filter(
    (t) =>
      t.stage === 'stage3' && t.versus === 'random' && t.mean_difference > 0 && t.t_test_p < 0.05,
  );
  const safe = wins.filter((t) => {
    const s = summary.find(
      (x) => x.strategy === DEFAULT_STRATEGY && x.budget_fraction === t.budget_fraction,
    );
    return s !== undefined && stage1Id + s.id_macro_f1_change.value >= lower;
  });
  const best = safe.reduce<PairedComparison | undefined>(
    (a, t) => (a === undefined || t.t_test_p < a.t_test_p ? t : a),
    undefined,
  );
  if (best !== undefined)
    return {
      met: true,
      summary: `distribution-aware beats random on the far test set at a ${(100 * best.budget_fraction).toFixed(0)}% budget (stage 3, per-query ${best.metric} +${best.mean_difference.toFixed(4)}, paired t-test p ${best.t_test_p.toFixed(4)}) without an ID loss outside stage 1's interval`,
    };
  return {
    met: false,
    summary:
      wins.length > 0
        ? "distribution-aware beats random with p < 0.05 only where its ID test macro-F1 falls below stage 1's interval"
        : 'distribution-aware does not beat random with p < 0.05 at any budget (stage 3, paired per-query tests on the far test set); the whole curve is reported',
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
