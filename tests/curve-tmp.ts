import { prepareSource, createPipelineGemm } from '../packages/pipeline/src/pipeline/prepare-source';
import { runBudgetCurve } from '../packages/pipeline/src/pipeline/budget-curve';
import { selectionInputsOf } from '../packages/pipeline/src/pipeline/selection-inputs';
import { trainStage1 } from './curve-stage1-tmp';
import { defaultShift } from '../packages/pipeline/src/pipeline/default-shift';
const data = await prepareSource({ preset: 'homedepot', path: '/work/shared/data/homedepot/train.csv' }, {
  repoRoot: '/work/main', shift: defaultShift({ preset: 'homedepot' }), seed: 0, cacheDir: '/tmp/run1/.cache',
  far: { source: { preset: 'crowdflower', path: '/work/shared/data/crowdflower/judged.csv' } },
});
const gemm = createPipelineGemm();
const s1 = await trainStage1(data, gemm);
const inputs = await selectionInputsOf(data, s1, gemm);
const t0 = Date.now();
const c = await runBudgetCurve({ data, stage1: s1, gemm, inputs, strategies: ['distribution-aware', 'random'], budgets: [0.05, 0.1], seeds: [0, 1, 2], loss: 'graded', progress: (e) => console.error(e.message) });
console.log('seconds', (Date.now() - t0) / 1000);
console.log(JSON.stringify({ stage1: c?.stage1, summary: c?.summary.map((s) => [s.strategy, s.budget_fraction, s.far_macro_f1_gain, s.far_ndcg_at_10_gain, s.far_share, s.id_macro_f1_change.value]), tests: c?.tests.map((t) => [t.budget_fraction, t.stage, t.metric, t.mean_difference, t.t_test_p]) }, null, 0));
await gemm.dispose();
