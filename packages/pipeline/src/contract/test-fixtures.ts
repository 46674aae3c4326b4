/**
 * Reports of each kind with invented figures, for the contract's tests and for tests of the report's readers.
 * @internal
 */
import type { EvaluationReport, PipelineReport } from './report-schema';
import type { SplitMetrics, StageMetrics } from './metrics-schema';
import type { BudgetCurve, OodSetReport, ShiftMap } from './shift-schema';

const interval = (value: number) => ({ value, lo: value - 0.05, hi: value + 0.05 });

/** Invented metrics of a split of `n` pairs. */
export function sampleSplitMetrics(n = 100): SplitMetrics {
  return {
    accuracy: interval(0.6),
    macro_f1: interval(0.5),
    'ndcg@10': interval(0.8),
    ece: interval(0.1),
    rmse: interval(0.5),
    over_recall: interval(0.3),
    n,
    queries: Math.ceil(n / 2),
    decision: 'grade-offsets',
    confusion: [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
    argmax: {
      accuracy: interval(0.55),
      macro_f1: interval(0.4),
      over_recall: interval(0.2),
      confusion: [
        [0, 3, 3],
        [0, 9, 6],
        [0, 8, 16],
      ],
    },
    reliability: [{ lower: 0, upper: 1, count: n, meanConfidence: 0.6, accuracy: 0.6 }],
  };
}

const stage = (f1: number): StageMetrics => ({
  id_validation_macro_f1: f1,
  id_test_macro_f1: f1,
  ood_test_macro_f1: f1 - 0.1,
});

const detection = {
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

const source = {
  path: '/data/pairs.csv',
  format: 'csv' as const,
  sha256: 'a'.repeat(64),
  rows: 140,
  skipped: 0,
  truncated: 0,
};

/** The `data` section of {@link samplePipelineReport}. */
function sampleData(): PipelineReport['data'] {
  return {
    source,
    rows: 140,
    issues: 0,
    shift: { kind: 'department', taxonomy: 'homedepot', heldOut: ['paint'] },
    seed: 0,
    split_report: {
      strategy: 'department',
      seed: 0,
      gradeNames: ['irrelevant', 'weak', 'strong'],
      heldOut: ['paint'],
      totalPairs: 140,
      totalQueries: 70,
      oodPairFraction: 0.3,
      splits: [
        {
          name: 'id_test',
          pairs: 100,
          queries: 50,
          grades: { counts: [20, 30, 50], fractions: [0.2, 0.3, 0.5] },
          domains: { tools: 100 },
        },
      ],
    },
  };
}

/** A version-2 pipeline report. */
export function samplePipelineReport(): PipelineReport {
  const selectionRun = {
    seed: 0,
    budget: 4,
    picked: 4,
    alpha: 0.5,
    stage2: stage(0.5),
    stage3: stage(0.52),
  };
  return {
    format: 'gradeshift-report',
    version: 2,
    kind: 'pipeline',
    run: { id: 'run-1', name: 'sample', created_at: '2026-01-01T00:00:00.000Z', seconds: 12 },
    data: sampleData(),
    model: {
      config: { embeddingDim: 4, grades: 3 } as unknown as PipelineReport['model']['config'],
      vocabulary: 10,
      embeddings: { pretrained: 5, subword: 3, zero: 2, fromCache: false, rows: 40 },
      loss: 'graded',
      bundle: {
        path: '/runs/sample/bundle',
        sha256: 'b'.repeat(64),
        bytes: 1000,
        ood_scores: ['energy'],
      },
    },
    splits: { id_test: sampleSplitMetrics(100), ood_test: sampleSplitMetrics(40) },
    gap: { accuracy: 0, macro_f1: 0, 'ndcg@10': 0, ece: 0, rmse: 0, over_recall: 0 },
    ood_detection: { energy: detection },
    ood_thresholds: { energy: 12.5 },
    decision: {
      rule: { kind: 'grade-offsets', offsets: [0, -1, -2] },
      fit: {
        split: 'id_validation',
        n: 50,
        kind: 'grade-offsets',
        macro_f1: 0.5,
        argmax_macro_f1: 0.4,
        candidates: { 'grade-offsets': 0.5, 'ordinal-thresholds': 0.45 },
      },
    },
    stages: {
      stage1: stage(0.5),
      stage2: stage(0.5),
      stage3: stage(0.52),
      alpha: 0.5,
      alpha_sweep: [{ alpha: 0.5, id_validation_macro_f1: 0.5, ood_validation_macro_f1: 0.4 }],
    },
    selection: { 'distribution-aware': [selectionRun], random: [selectionRun] },
    selection_comparison: {
      gains: {
        'distribution-aware': {
          stage2_ood_macro_f1_gain: 0,
          stage3_ood_macro_f1_gain: 0.02,
          per_seed_stage2: [0],
          per_seed_stage3: [0.02],
        },
      },
      distribution_aware_beats_random: null,
      paired_distribution_aware_vs_random: null,
    },
    ablation: null,
    slices: [
      {
        slice: 'paint',
        side: 'ood',
        n: 40,
        accuracy: 0.5,
        macro_f1: 0.4,
        ood_rate: 0.1,
        mean_mahalanobis: 30,
      },
    ],
    budget: { fraction: 0.02, pool: 200, revealed_per_run: 4 },
    ood_sets: { near: sampleOodSet('near'), far: sampleOodSet('far') },
    budget_curve: sampleBudgetCurve(),
    map: 'map.json',
  };
}

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
      energy: { ...detection, auroc: 0.52, flagged: 0.06 },
      surprisal: { ...detection, auroc: far ? 0.95 : 0.76, flagged: far ? 0.74 : 0.2 },
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

/** A version-2 evaluation report. */
export function sampleEvaluationReport(): EvaluationReport {
  return {
    format: 'gradeshift-evaluation',
    version: 2,
    kind: 'evaluation',
    run: { id: 'run-2', name: 'external', seconds: 3 },
    model: {
      sha256: 'b'.repeat(64),
      created_at: '2026-01-01T00:00:00.000Z',
      gradeshift_version: '0.1.0',
      training_data_sha256: 'a'.repeat(64),
    },
    data: { source, rows: 140, queries: 70, issues: 0, same_data_as_training: false },
    splits: { external: sampleSplitMetrics(140) },
    ood_thresholds: { energy: 12.5 },
    ood_flag_rate: { energy: { flag_rate: 0.1, threshold: 12.5, mean_percentile: 0.55 } },
  };
}
