/**
 * The budget curve's statistics over its runs: mean gains per strategy and budget, the paired per-query tests of
 * distribution-aware selection against every other strategy, and whether the curve met its goal.
 */
import { comparePaired, studentTTwoSided } from '@gradeshift/core';

import { DEFAULT_STRATEGY } from '../contract/strategy-names';
import type {
  BudgetCurve,
  CurvePoint,
  CurveSummary,
  Difference,
  PairedComparison,
} from '../contract/shift-schema';

/** One model's far and ID figures, with its per-query far values for the paired tests. */
export interface Judged {
  readonly figures: CurvePoint['stage2'];
  readonly perQuery: { readonly ndcg: Float64Array; readonly accuracy: Float64Array };
  /** Its decided grades on ID test. */
  readonly idPredicted: Int32Array;
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

/** The curve's runs: each point with its two judged models. */
export type Runs = { point: CurvePoint; stage2: Judged; stage3: Judged }[];

/** The paired tests of distribution-aware selection against every other strategy at one budget. */
export function pairedTests(runs: Runs, budgetFraction: number): PairedComparison[] {
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
export function summaries(runs: Runs, stage1: CurvePoint['stage2']): CurveSummary[] {
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
export function goalOf(inputs: {
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
