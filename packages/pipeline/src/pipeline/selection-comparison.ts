/**
 * Did distribution-aware selection help more than random selection at the same budget? Mean stage-2 OOD macro-F1
 * gain over seeds per strategy, and a paired comparison over OOD test queries (per-query accuracy, averaged over
 * seeds) with core's paired t-test, sign-flip test and bootstrap.
 */
import { comparePaired } from '@gradeshift/core';

import type { PipelineReport } from '../contract/report-schema';
import type { ReportInput } from '../contract/read-report';
import type { StrategyRun } from './compare-strategies';

interface StageMetricsLike {
  ood_test_macro_f1: number;
  id_test_macro_f1: number;
}

function meanOverSeeds(runs: readonly StrategyRun[]): Float64Array | undefined {
  const first = runs[0];
  if (first === undefined) return undefined;
  const out = new Float64Array(first.oodPerQuery.length);
  for (const r of runs)
    for (let q = 0; q < out.length; q++)
      out[q] = (out[q] ?? 0) + (r.oodPerQuery[q] ?? 0) / runs.length;
  return out;
}

/** The comparison block of report.json. */
export function comparisonOf(
  runs: Record<string, StrategyRun[]>,
  stage1: StageMetricsLike,
): ReportInput<PipelineReport>['selection_comparison'] {
  const gains = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => {
      const g2 = list.map((r) => r.metrics.stage2.ood_test_macro_f1 - stage1.ood_test_macro_f1);
      const g3 = list.map((r) => r.metrics.stage3.ood_test_macro_f1 - stage1.ood_test_macro_f1);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
      return [
        name,
        {
          stage2_ood_macro_f1_gain: mean(g2),
          stage3_ood_macro_f1_gain: mean(g3),
          per_seed_stage2: g2,
          per_seed_stage3: g3,
        },
      ];
    }),
  );
  const da = runs['distribution-aware'];
  const random = runs['random'];
  let paired: ReportInput<PipelineReport>['selection_comparison']['paired_distribution_aware_vs_random'] =
    null;
  const a = da === undefined ? undefined : meanOverSeeds(da);
  const b = random === undefined ? undefined : meanOverSeeds(random);
  if (a !== undefined && b !== undefined && a.length >= 2) {
    const c = comparePaired(a, b, { signFlip: { seed: 0 }, bootstrap: { seed: 0 } });
    paired = {
      unit: 'OOD test query; value = stage-2 accuracy on the query, averaged over seeds',
      queries: a.length,
      mean_difference: c.meanDifference,
      t_test_p: c.tTest.pValue,
      sign_flip_p: c.signFlip.pValue,
      bootstrap_ci: [c.bootstrap.lower, c.bootstrap.upper],
    };
  }
  const daGain = gains['distribution-aware']?.stage2_ood_macro_f1_gain;
  const randomGain = gains['random']?.stage2_ood_macro_f1_gain;
  return {
    gains,
    distribution_aware_beats_random:
      daGain === undefined || randomGain === undefined ? null : daGain > randomGain,
    paired_distribution_aware_vs_random: paired,
  };
}
