/**
 * Shift sections with invented figures (an OOD set, the budget curve, the map), for the contract's tests and for
 * tests of the report's readers.
 * @internal
 */
import type { BudgetCurve, OodSetReport, ShiftMap } from './shift-schema';

/** Invented detection figures of one OOD score. */
export const sampleDetection = {
  auroc: 0.7,
  auprIn: 0.8,
  auprOut: 0.5,
  fprAtTpr: 0.6,
  tpr: 0.95,
  tprAchieved: 0.951,
  threshold: 12.5,
  detectionError: 0.3,
  nId: 100,
  nOod: 40,
};

const difference = (value: number) => ({ value, lo: value - 0.02, hi: value + 0.02, p: 0.01 });

/** An invented OOD set of `kind`. */
export function sampleOodSet(kind: 'near' | 'far'): OodSetReport {
  const far = kind === 'far';
  return {
    kind,
    split: far ? 'far_test' : 'ood_test',
    description: far ? 'another retailer (crowdflower)' : 'held-out departments: paint',
    source: { path: far ? '/data/far.csv' : '/data/pairs.csv', sha256: 'c'.repeat(64), rows: 50 },
    pairs: 40,
    queries: 20,
    grade_mix: far ? [0.1, 0.3, 0.6] : [0.2, 0.3, 0.5],
    id_grade_mix: [0.2, 0.3, 0.5],
    gap: {
      accuracy: difference(0.05),
      macro_f1: difference(far ? 0.06 : 0.01),
      'ndcg@10': difference(0.01),
      ece: difference(-0.02),
      rmse: difference(-0.05),
      over_recall: difference(0.1),
    },
    detection: {
      energy: { ...sampleDetection, auroc: 0.52, flagged: 0.06 },
      surprisal: { ...sampleDetection, auroc: far ? 0.95 : 0.76, flagged: far ? 0.74 : 0.2 },
    },
    verdict: {
      detected: true,
      hurts: far,
      best_detector: 'surprisal',
      summary: far
        ? 'Detected (surprisal AUROC 0.95, 74% flagged); macro-F1 0.06 lower than ID [0.04, 0.08], p 0.01.'
        : 'Detected (surprisal AUROC 0.76, 20% flagged); macro-F1 gap 0.01 [−0.01, 0.03] is within noise.',
      next_step: far
        ? 'Select pairs of this traffic for annotation (Selection) and fine-tune on them.'
        : 'Keep monitoring: the model holds up on this set.',
    },
  };
}

/** An invented budget curve: two strategies, two budgets, one seed. */
export function sampleBudgetCurve(): BudgetCurve {
  const figures = (f1: number) => ({ far_macro_f1: f1, far_ndcg_at_10: 0.8, id_macro_f1: 0.51 });
  const strategies = ['distribution-aware', 'random'];
  const budgets = [0.01, 0.05];
  const points = strategies.flatMap((strategy, i) =>
    budgets.map((budget_fraction, j) => ({
      strategy,
      budget_fraction,
      budget: Math.round(budget_fraction * 400),
      seed: 0,
      picked: { id: 1, near: 1, far: Math.round(budget_fraction * 400) - 2 },
      alpha: 0.5,
      stage2: figures(0.5 + 0.02 * (j + 1) * (2 - i)),
      stage3: figures(0.5 + 0.015 * (j + 1) * (2 - i)),
    })),
  );
  return {
    pool: { pairs: 400, by_origin: { id: 40, near: 200, far: 160 } },
    budgets,
    seeds: [0],
    strategies,
    replay: 1000,
    stage1: figures(0.5),
    id_macro_f1_interval: [0.49, 0.53],
    points,
    summary: strategies.flatMap((strategy, i) =>
      budgets.map((budget_fraction, j) => ({
        strategy,
        budget_fraction,
        budget: Math.round(budget_fraction * 400),
        seeds: 1,
        far_macro_f1_gain: { stage2: 0.02 * (j + 1) * (2 - i), stage3: 0.015 * (j + 1) * (2 - i) },
        far_ndcg_at_10_gain: { stage2: 0.01, stage3: 0.01 },
        far_share: i === 0 ? 0.9 : 0.4,
        id_macro_f1_change: difference(-0.003),
      })),
    ),
    tests: budgets.map((budget_fraction) => ({
      budget_fraction,
      stage: 'stage3' as const,
      metric: 'ndcg@10' as const,
      strategy: 'distribution-aware',
      versus: 'random',
      queries: 20,
      mean_difference: 0.01,
      t_test_p: 0.03,
      sign_flip_p: 0.04,
      bootstrap_ci: [0.001, 0.02] as [number, number],
    })),
    goal: {
      met: true,
      summary: 'distribution-aware beats random at budget 5% (p 0.03) without an ID loss',
    },
    seconds: 60,
  };
}

/** An invented map of six points. */
export function sampleShiftMap(): ShiftMap {
  return {
    format: 'gradeshift-map',
    version: 1,
    method: 'pca',
    explained_variance: [0.2, 0.1],
    groups: ['id_test', 'near', 'far', 'pool'],
    ids: ['1', '2', '3', '4', 'far:5', 'far:6'],
    group: [0, 0, 1, 1, 2, 3],
    x: [0, 0.1, 0.5, 0.6, 2, 2.1],
    y: [0, 0.1, -0.5, -0.4, 1, 1.2],
    fused_percentile: [0.4, 0.5, 0.8, 0.9, 0.99, 0.97],
    error: [0, 1, 0, 2, 1, null],
  };
}
