/**
 * Reports of each kind with invented figures, for the contract's tests and for tests of the report's readers.
 * @internal
 */
import type { EvaluationReport, PipelineReport } from './report-schema';
import type { SplitMetrics, StageMetrics } from './metrics-schema';
import { sampleBudgetCurve, sampleDetection, sampleOodSet } from './shift-fixtures';

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
    ood_detection: { energy: sampleDetection },
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
