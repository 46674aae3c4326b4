import { runPipeline } from '@gradeshift/pipeline';
const t0 = Date.now();
const r = await runPipeline({
  data: { preset: 'homedepot', path: '/tmp/smoke/hd.csv' },
  far: { source: { preset: 'crowdflower' } },
  outDir: '/tmp/smoke/runs/s1', repoRoot: '/work/main', cacheDir: '/work/main/runs/.cache',
  selectionSeeds: [0], resamples: 50, stage1: { epochs: 2 }, stage2: { epochs: 1 }, overwrite: true,
  curve: process.env.CURVE ? JSON.parse(process.env.CURVE) : null,
  progress: (e) => { if (e.done === undefined) console.error(`[${e.stage}] ${e.message}`); },
});
console.log(JSON.stringify({ seconds: (Date.now() - t0) / 1000, sets: r.report.ood_sets && Object.fromEntries(Object.entries(r.report.ood_sets).map(([k, v]) => [k, { pairs: v.pairs, mix: v.grade_mix, gap: v.gap.macro_f1, verdict: v.verdict.summary, surprisal: v.detection.surprisal }])), curve: r.report.budget_curve?.goal }, null, 1));
