/**
 * The whole loop end to end on a slice of the Home Depot file (the first 6,000 rows, copied to a temp folder at
 * test time; the data never enters the repository): splits, stage 1, the three selection strategies through
 * stages 2–3, the ablation, evaluation, the ONNX bundle, report.json, predictions.jsonl and the run store.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  exportRunFolder,
  loadBundleScorer,
  openRunStore,
  readRunJson,
  readRunReport,
  readShiftMap,
  runPipeline,
  type PipelineResult,
} from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO_ROOT as repoRoot, writeHomeDepotSlice } from './home-depot-slice';

interface PredictionRow {
  split: string;
  query: string;
  item: string;
  probs: number[];
  predicted: number;
  ood: Record<string, number>;
}

describe('runPipeline on a Home Depot slice', () => {
  let dir: string;
  let result: PipelineResult;
  const events: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-pipeline-'));
    const csv = await writeHomeDepotSlice(dir, 6000);
    result = await runPipeline({
      data: { preset: 'homedepot', path: csv },
      outDir: join(dir, 'runs', 'slice'),
      repoRoot,
      cacheDir: join(repoRoot, 'runs', '.cache'),
      selectionSeeds: [0],
      // The far-OOD set is the preset's default (the crowdflower file); a short curve.
      curve: { budgets: [0.05, 0.2], seeds: [0, 1], replay: 2000 },
      resamples: 50,
      stage1: { epochs: 2 },
      stage2: { epochs: 1 },
      progress: (e) => events.push(e.stage),
    });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes report.json with the documented fields', () => {
    // The file reads back through the run contract as the pipeline returned it.
    expect(readRunReport(result.reportPath)).toEqual(result.report);
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8'));
    for (const split of ['id_test', 'ood_test']) {
      for (const m of ['accuracy', 'macro_f1', 'ndcg@10', 'ece', 'rmse', 'over_recall']) {
        const v = report.splits[split][m];
        expect(Number.isFinite(v.value)).toBe(true);
        expect(v.lo).toBeLessThanOrEqual(v.value + 1e-12);
        expect(v.hi).toBeGreaterThanOrEqual(v.value - 1e-12);
      }
    }
    expect(report.gap.macro_f1).toBeCloseTo(
      report.splits.id_test.macro_f1.value - report.splits.ood_test.macro_f1.value,
      12,
    );
    for (const d of ['mahalanobis', 'relative_mahalanobis', 'knn', 'energy', 'msp', 'max_logit']) {
      const e = report.ood_detection[d];
      for (const key of ['auroc', 'auprIn', 'auprOut', 'fprAtTpr'])
        expect(e[key]).toBeGreaterThanOrEqual(0);
    }
    expect(Object.keys(report.selection).sort()).toEqual([
      'distribution-aware',
      'random',
      'uncertainty',
    ]);
    expect(report.selection['distribution-aware'][0].picked).toBeGreaterThan(0);
    expect(report.stages.stage1.id_test_macro_f1).toBeGreaterThan(0);
    expect(report.ablation.cross_entropy.id_test.macro_f1.value).toBeGreaterThan(0);
    expect(report.slices.length).toBeGreaterThan(1);
    // The default rule: cut points and grade offsets both fitted on ID validation, the better one kept.
    const { rule, fit } = report.decision;
    expect(Object.keys(fit.candidates).sort()).toEqual(['grade-offsets', 'ordinal-thresholds']);
    const candidates: number[] = Object.values(fit.candidates);
    expect(fit.macro_f1).toBe(Math.max(...candidates));
    expect(fit.kind).toBe(rule.kind);
    expect(fit.macro_f1).toBeGreaterThanOrEqual(fit.argmax_macro_f1);
    if (rule.kind === 'ordinal-thresholds') expect(rule.thresholds).toHaveLength(2);
    else expect(rule.offsets).toHaveLength(3);
    expect(report.splits.id_test.decision).toBe(rule.kind);
    // The de-biasing step: negatives, DPO (β 2 at learning rate 1e-4, the validation-chosen defaults) and
    // temperature on stage 3, its ablation, the random- and shuffled-pair checks and the margin operating point.
    const { debias } = report;
    expect(debias.from).toBe('stage3');
    expect(debias.negatives.count).toBeGreaterThan(0);
    expect(debias.dpo.beta).toBe(2);
    expect(debias.dpo.steps).toBeGreaterThan(0);
    expect(debias.operating_point.margin.validation.over_recall_upper).toBeLessThanOrEqual(0.35);
    expect(debias.temperature.value).toBeGreaterThan(0);
    expect(debias.random_pairs.pairs).toBeGreaterThanOrEqual(1000);
    expect(debias.shuffled_validation_pairs.pairs).toBeGreaterThanOrEqual(1000);
    expect(debias.ablation.map((r: { variant: string }) => r.variant)).toEqual([
      'none',
      'negatives',
      'dpo',
      'both',
    ]);
    for (const row of debias.ablation) {
      for (const split of ['id_test', 'ood_test']) {
        const m = row.splits[split];
        for (const key of [
          'macro_f1',
          'over_recall',
          'ndcg@10',
          'ece',
          'capped_over_recall',
          'margin_macro_f1',
          'margin_over_recall',
        ])
          expect(Number.isFinite(m[key])).toBe(true);
      }
      const shares: number[] = row.random_pairs.shares;
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('reports near and far OOD apart, each with its gaps, detection, grade mix and verdict', () => {
    const { report } = result;
    const sets = report.ood_sets ?? {};
    expect(Object.keys(sets).sort()).toEqual(['far', 'near']);
    const far = sets.far;
    const near = sets.near;
    if (far === undefined || near === undefined) throw new Error('both sets are reported');
    expect(far.split).toBe('far_test');
    expect(near.split).toBe('ood_test');
    expect(report.splits['far_test']?.n).toBe(far.pairs);
    expect(far.source.path).toMatch(/crowdflower\/judged\.csv$/);
    for (const set of [near, far]) {
      expect(set.grade_mix.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(set.id_grade_mix).toEqual(near.id_grade_mix);
      const f1 = set.gap.macro_f1;
      const split = report.splits[set.split];
      expect(f1.value).toBeCloseTo(
        report.splits.id_test.macro_f1.value - (split?.macro_f1.value ?? 0),
        12,
      );
      expect(f1.lo).toBeLessThanOrEqual(f1.value);
      expect(f1.hi).toBeGreaterThanOrEqual(f1.value);
      expect(f1.p).toBeGreaterThan(0);
      for (const name of Object.keys(report.ood_thresholds)) {
        const d = set.detection[name];
        expect(d?.flagged).toBeGreaterThanOrEqual(0);
        expect(d?.flagged).toBeLessThanOrEqual(1);
      }
      expect(set.verdict.summary.length).toBeGreaterThan(20);
    }
    // Another retailer's words are unfamiliar: the content space sees the far set, the relevance space does not.
    expect(far.detection['surprisal']?.auroc).toBeGreaterThan(0.85);
    expect(far.verdict.detected).toBe(true);
  });

  it('writes the 2-D map of ID, near, far and pool traffic, its ids those of predictions.jsonl', () => {
    expect(result.report.map).toBe('map.json');
    const map = readShiftMap(join(result.outDir, 'map.json'));
    if (map === null) throw new Error('map.json is written');
    expect([...map.groups].sort()).toEqual(['far', 'id_test', 'near', 'pool']);
    const rows = readFileSync(result.predictionsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; split: string });
    const split = { id_test: 'id_test', near: 'ood_test', far: 'far_test', pool: 'pool' } as const;
    const known = new Set(rows.map((r) => `${r.split}:${r.id}`));
    map.ids.forEach((id, i) => {
      const group = map.groups[map.group[i] ?? 0] ?? 'pool';
      expect(known.has(`${split[group]}:${id}`)).toBe(true);
      expect(map.fused_percentile[i]).toBeGreaterThanOrEqual(0);
      expect(map.fused_percentile[i]).toBeLessThanOrEqual(1);
      expect(map.error[i] === null).toBe(group === 'pool');
    });
    expect(map.explained_variance[0]).toBeGreaterThanOrEqual(map.explained_variance[1]);
  });

  it('measures the selection budget curve on the far set', () => {
    const curve = result.report.budget_curve;
    if (curve === null || curve === undefined) throw new Error('the curve is reported');
    expect(curve.budgets).toEqual([0.05, 0.2]);
    expect(curve.points).toHaveLength(2 * 3 * 2);
    const { id, near, far } = curve.pool.by_origin;
    expect(id + near + far).toBe(curve.pool.pairs);
    expect(Math.min(id, near, far)).toBeGreaterThan(0);
    for (const p of curve.points) expect(p.picked.id + p.picked.near + p.picked.far).toBe(p.budget);
    // Distribution-aware picks in the content space favour the far traffic over random picks.
    const share = (s: string) =>
      curve.summary.filter((x) => x.strategy === s).map((x) => x.far_share);
    expect(Math.min(...share('distribution-aware'))).toBeGreaterThan(Math.max(...share('random')));
    expect(curve.tests.filter((t) => t.versus === 'random')).toHaveLength(2 * 2 * 2);
    expect(typeof curve.goal.met).toBe('boolean');
  });

  it('writes one prediction per scored pair, pool picks with their reasons', () => {
    const rows = readFileSync(result.predictionsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8'));
    expect(rows.filter((r) => r.split === 'id_test').length).toBe(report.splits.id_test.n);
    expect(rows.filter((r) => r.split === 'ood_test').length).toBe(report.splits.ood_test.n);
    expect(rows.filter((r) => r.split === 'far_test').length).toBe(report.splits.far_test.n);
    expect(new Set(rows.filter((r) => r.split === 'pool').map((r) => r.origin))).toEqual(
      new Set(['id', 'near', 'far']),
    );
    const picked = rows.filter((r) => r.selected === true);
    expect(picked.length).toBe(report.selection['distribution-aware'][0].picked);
    expect(
      picked.every(
        (r) => Number.isInteger(r.grade) && typeof r.selection.reason.passed === 'string',
      ),
    ).toBe(true);
    expect(
      rows.filter((r) => r.split === 'pool' && r.selected === false).every((r) => r.grade === null),
    ).toBe(true);
    const probs: number[] = rows[0].probs;
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // Each test row names its slice, and the rows of a slice are the report's count of it.
    for (const slice of report.slices as { slice: string; side: string; n: number }[])
      expect(
        rows.filter((r) => r.split === `${slice.side}_test` && r.slice === slice.slice).length,
      ).toBe(slice.n);
  });

  it('writes a bundle whose ONNX forward pass reproduces the predictions', async () => {
    const rows = readFileSync(result.predictionsPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as PredictionRow)
      .filter((r) => r.split === 'id_test' || r.split === 'ood_test')
      .slice(0, 300);
    const byQuery = new Map<string, PredictionRow[]>();
    for (const r of rows) byQuery.set(r.query, [...(byQuery.get(r.query) ?? []), r]);
    const loaded = await loadBundleScorer(result.bundleDir);
    try {
      const { manifest } = loaded.bundle;
      expect(Object.keys(manifest.ood).sort()).toEqual(
        [
          'energy',
          'knn',
          'mahalanobis',
          'max_logit',
          'msp',
          'relative_mahalanobis',
          'surprisal',
          'pair_surprisal',
          'content_mahalanobis',
          'content_knn',
          'fused',
        ].sort(),
      );
      expect(manifest.ood['surprisal']?.space).toBe('content');
      expect(manifest.ood['pair_surprisal']?.space).toBe('content');
      expect(manifest.ood['pair_surprisal']?.source).toEqual({
        kind: 'graph',
        output: 'ood_pair_surprisal',
      });
      expect(manifest.ood['fused']?.space).toBe('fused');
      const worstContent: Record<string, number> = {
        surprisal: 0,
        pair_surprisal: 0,
        content_mahalanobis: 0,
        content_knn: 0,
        fused: 0,
      };
      let worstProb = 0;
      let worstMahalanobis = 0;
      let worstEnergy = 0;
      let decisionsDiffer = 0;
      for (const [query, list] of byQuery) {
        const scores = await loaded.scorer.scorePairs(
          query,
          list.map((r) => r.item),
        );
        list.forEach((r, i) => {
          r.probs.forEach((p, c) => {
            worstProb = Math.max(worstProb, Math.abs((scores.probs[i * 3 + c] ?? NaN) - p));
          });
          if (scores.predicted[i] !== r.predicted) decisionsDiffer++;
          const m = r.ood['mahalanobis'] ?? NaN;
          const e = r.ood['energy'] ?? NaN;
          worstMahalanobis = Math.max(
            worstMahalanobis,
            Math.abs((scores.ood['mahalanobis']?.score[i] ?? NaN) - m) / Math.max(1, Math.abs(m)),
          );
          worstEnergy = Math.max(
            worstEnergy,
            Math.abs((scores.ood['energy']?.score[i] ?? NaN) - e) / Math.max(1, Math.abs(e)),
          );
          for (const name of Object.keys(worstContent)) {
            const want = r.ood[name] ?? NaN;
            const got = scores.ood[name]?.score[i] ?? NaN;
            worstContent[name] = Math.max(
              worstContent[name] ?? 0,
              Math.abs(got - want) / Math.max(1, Math.abs(want)),
            );
          }
        });
      }
      // The content space in the graph (float32) against the pipeline's TypeScript pass (float64); the fused
      // score averages ID percentiles, where a float32 score on a calibration value's edge moves one step.
      expect(worstContent['surprisal']).toBeLessThan(1e-4);
      expect(worstContent['pair_surprisal']).toBeLessThan(1e-4);
      expect(worstContent['content_mahalanobis']).toBeLessThan(1e-4);
      expect(worstContent['content_knn']).toBeLessThan(1e-4);
      expect(worstContent['fused']).toBeLessThan(0.01);
      expect(worstProb).toBeLessThan(1e-4);
      expect(worstMahalanobis).toBeLessThan(1e-4);
      expect(worstEnergy).toBeLessThan(1e-4);
      // The bundle predicts with the run's decision rule (float32 probabilities on a rule's edge may flip one).
      expect(manifest.decision).toEqual(
        JSON.parse(readFileSync(result.reportPath, 'utf8')).decision.rule,
      );
      expect(decisionsDiffer).toBeLessThanOrEqual(1);
      const report = JSON.parse(readFileSync(result.reportPath, 'utf8'));
      expect(report.model.bundle.sha256).toBe(manifest.model.sha256);
      expect(manifest.metrics['id_test.macro_f1']).toBeCloseTo(
        report.splits.id_test.macro_f1.value,
        12,
      );
    } finally {
      await loaded.dispose();
    }
  });

  it('leaves a run folder the single steps read: run.json, stage weights, selection; export works on it', async () => {
    const run = readRunJson(result.outDir);
    const report = JSON.parse(readFileSync(result.reportPath, 'utf8'));
    expect(Object.keys(run.stages)).toEqual(['stage1', 'stage2', 'stage3', 'debias']);
    expect(run.stages.debias?.from).toBe('stage3');
    expect(run.selection?.strategy).toBe('distribution-aware');
    expect(run.stages.stage3?.alpha).toBe(report.stages.alpha);
    expect(run.bundle?.path).toBe(result.bundleDir);
    const exported = await exportRunFolder(result.outDir, {
      outDir: join(dir, 'exported'),
      resamples: 50,
    });
    expect(exported.stage).toBe('debias');
    // The same weights, stored as float32: the same figures up to a pair or two.
    expect(
      Math.abs(
        exported.evaluation.splits.id_test.macro_f1.value - report.splits.id_test.macro_f1.value,
      ),
    ).toBeLessThan(0.01);
  });

  it('records the run in the SQLite run store', () => {
    const store = openRunStore(result.storePath, { readonly: true });
    const run = store.requireRun(result.runId);
    expect(run.status).toBe('succeeded');
    expect(
      store.getMetrics(run.id).some((m) => m.split === 'ood_test' && m.name === 'macro_f1'),
    ).toBe(true);
    store.close();
    expect(new Set(events)).toEqual(
      new Set([
        'load',
        'prepare',
        'stage1',
        'select',
        'stage2 distribution-aware seed 0',
        'stage2 random seed 0',
        'stage2 uncertainty seed 0',
        'curve',
        'evaluate',
        'ablation (cross-entropy)',
        'export',
        'debias',
        'negatives',
        'dpo',
      ]),
    );
  });
});
