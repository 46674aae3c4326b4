import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InferenceSessionLike } from '../model/backend';
import { createNodeBackend } from '../node/create-node-backend';
import { createPairFeaturizer } from '../scorer/featurize-pairs';
import { forwardScorer } from '../scorer/forward';
import { exportScorerOnnx } from './export-scorer-onnx';
import type { BundleManifest } from './manifest';
import { prepareOptionsFromSettings } from './prepare-settings';
import { createBundleScorer, type ExternalOodDetector } from './score-pairs';
import { createSmallBundle, SMALL_BUNDLE_CONFIG } from './test-fixtures';

const ITEMS = [
  'Simpson steel angle bracket 12-gauge',
  'White rain shower head 8 inch',
  'BEHR DeckOver white deck paint',
  'galvanized brakcet',
  '',
  'angle bracket',
  'rain shower head with extra long arm and a valve kit and more words than fit',
];

const bundle = createSmallBundle();
const backend = createNodeBackend({ intraOpNumThreads: 1 });
let session: InferenceSessionLike;
beforeAll(async () => {
  session = await backend.createSession(bundle.model);
});
afterAll(async () => {
  await session.dispose();
});

function withKnn(manifest: BundleManifest): BundleManifest {
  const energy = manifest.ood['energy'];
  if (energy === undefined) throw new Error('fixture has no energy score');
  const knn = {
    ...energy,
    source: { kind: 'detector', reads: 'features', state: { kind: 'knn', version: 1 } },
  } as const;
  return { ...manifest, ood: { ...manifest.ood, knn } };
}

describe('createBundleScorer(...).scorePairs', () => {
  it('scores like forwardScorer on the same featurisation, ranks by expected grade and calibrates the OOD scores', async () => {
    const scorer = createBundleScorer({ manifest: bundle.manifest, session });
    const result = await scorer.scorePairs('angle bracket', ITEMS, { features: true });
    const featurizer = createPairFeaturizer({
      vocabulary: bundle.vocabulary,
      config: SMALL_BUNDLE_CONFIG,
      prepare: prepareOptionsFromSettings(bundle.manifest.text.prepare),
    });
    const ref = await forwardScorer(
      bundle.params,
      featurizer.featurizeQuery('angle bracket', ITEMS),
    );
    const n = ITEMS.length;
    expect(result.count).toBe(n);
    expect(result.grades).toEqual(['irrelevant', 'weak', 'strong']);
    expect(Array.from(result.features ?? [])).toBeDeepCloseTo(Array.from(ref.features.data), {
      abs: 1e-5,
      rel: 1e-5,
    });
    const probs = Array.from(result.probs);
    for (let i = 0; i < n; i++) {
      const row = probs.slice(i * 3, i * 3 + 3);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(result.expected[i]).toBeCloseTo((row[1] ?? 0) + 2 * (row[2] ?? 0), 6);
      expect(result.predicted[i]).toBe(row.indexOf(Math.max(...row)));
    }
    const order = Array.from(result.rank);
    expect([...order].sort((a, b) => a - b)).toEqual(ITEMS.map((_, i) => i));
    for (let r = 1; r < n; r++)
      expect(result.expected[order[r - 1] ?? 0]).toBeGreaterThanOrEqual(
        result.expected[order[r] ?? 0] ?? 0,
      );
    for (const name of ['mahalanobis', 'energy']) {
      const ood = result.ood[name];
      const calibration = bundle.manifest.ood[name];
      if (ood === undefined || calibration === undefined) throw new Error(`no ${name} score`);
      const sorted = calibration.calibration.sorted;
      ood.score.forEach((s, i) => {
        // The ECDF by its definition: the fraction of held-out ID scores ≤ s.
        expect(ood.percentile[i]).toBe(sorted.filter((v) => v <= s).length / sorted.length);
        expect(ood.flag[i]).toBe(s > calibration.threshold.value ? 1 : 0);
      });
      expect(ood.threshold).toBe(calibration.threshold.value);
      // The fixture's calibration puts these items on both sides of the threshold.
      expect(new Set(ood.flag)).toEqual(new Set([0, 1]));
    }
  });

  it("predicts with the manifest's decision rule: cut points on the expected grade", async () => {
    const argmax = await createBundleScorer({ manifest: bundle.manifest, session }).scorePairs(
      'angle bracket',
      ITEMS,
    );
    const sorted = Array.from(argmax.expected).sort((a, b) => a - b);
    // Cut points between observed expected grades, so every grade is predicted for some item.
    const thresholds = [sorted[2] ?? 0, sorted[5] ?? 0];
    const manifest: BundleManifest = {
      ...bundle.manifest,
      decision: { kind: 'ordinal-thresholds', thresholds },
    };
    const cut = await createBundleScorer({ manifest, session }).scorePairs('angle bracket', ITEMS);
    expect(cut.probs).toEqual(argmax.probs);
    expect(cut.rank).toEqual(argmax.rank);
    const want = Array.from(argmax.expected, (e) => thresholds.filter((t) => t <= e).length);
    expect(Array.from(cut.predicted)).toEqual(want);
    expect(new Set(want)).toEqual(new Set([0, 1, 2]));
    // With the lowest-grade override at the median P(irrelevant): those items become 0, the rest keep their cut.
    const p0 = Array.from({ length: ITEMS.length }, (_, i) => argmax.probs[i * 3] ?? 0);
    const lowestAt = [...p0].sort((a, b) => a - b)[Math.floor(p0.length / 2)] ?? 1;
    const floored = await createBundleScorer({
      manifest: { ...manifest, decision: { kind: 'ordinal-thresholds', thresholds, lowestAt } },
      session,
    }).scorePairs('angle bracket', ITEMS);
    expect(Array.from(floored.predicted)).toEqual(
      want.map((g, i) => ((p0[i] ?? 0) >= lowestAt ? 0 : g)),
    );
    expect(Array.from(floored.predicted)).not.toEqual(want);
    const explicit = await createBundleScorer({
      manifest: { ...bundle.manifest, decision: { kind: 'argmax' } },
      session,
    }).scorePairs('angle bracket', ITEMS);
    expect(explicit.predicted).toEqual(argmax.predicted);
  });

  it('gives the same scores whatever the batch size', async () => {
    const whole = await createBundleScorer({ manifest: bundle.manifest, session }).scorePairs(
      'deck paint',
      ITEMS,
    );
    const small = await createBundleScorer({
      manifest: bundle.manifest,
      session,
      batchSize: 2,
    }).scorePairs('deck paint', ITEMS);
    expect(small.probs).toEqual(whole.probs);
    expect(small.ood['mahalanobis']?.score).toEqual(whole.ood['mahalanobis']?.score);
    expect(small.rank).toEqual(whole.rank);
    expect(whole.features).toBeUndefined();
  });

  it('returns empty columns for no items without running the model', async () => {
    const failing: InferenceSessionLike = {
      ...session,
      run: () => Promise.reject(new Error('must not run')),
    };
    const result = await createBundleScorer({
      manifest: bundle.manifest,
      session: failing,
    }).scorePairs('deck', []);
    expect(result.count).toBe(0);
    expect(result.probs).toHaveLength(0);
    expect(result.ood['energy']?.flag).toHaveLength(0);
  });

  it('runs outside detectors on the feature rows and calibrates their scores', async () => {
    const seen: number[] = [];
    const knn: ExternalOodDetector = {
      score: ({ features }) => {
        seen.push(features.rows, features.cols);
        return Promise.resolve(
          Float64Array.from(
            { length: features.rows },
            (_, i) => (features.data[i * features.cols] ?? 0) - 2,
          ),
        );
      },
    };
    const manifest = withKnn(bundle.manifest);
    const result = await createBundleScorer({ manifest, session, detectors: { knn } }).scorePairs(
      'rain shower',
      ITEMS,
    );
    expect(seen).toEqual([ITEMS.length, SMALL_BUNDLE_CONFIG.hidden2]);
    expect(result.ood['knn']?.score).toHaveLength(ITEMS.length);
    expect(result.features).toBeUndefined();
    expect(() => createBundleScorer({ manifest, session })).toThrow(
      'OOD score "knn" is computed outside the graph: pass options.detectors.knn',
    );
    const only = await createBundleScorer({ manifest, session, oodScores: ['energy'] }).scorePairs(
      'rain',
      ITEMS,
    );
    expect(Object.keys(only.ood)).toEqual(['energy']);
  });

  it('refuses a session whose inputs or outputs are not the manifest’s, and bad arguments', async () => {
    const other = await backend.createSession(exportScorerOnnx({ params: bundle.params }));
    try {
      expect(() => createBundleScorer({ manifest: bundle.manifest, session: other })).toThrow(
        'the session has no output "ood_mahalanobis", "ood_energy" listed in the manifest',
      );
    } finally {
      await other.dispose();
    }
    const renamed = { ...session, inputNames: ['x', ...session.inputNames.slice(1)] };
    expect(() => createBundleScorer({ manifest: bundle.manifest, session: renamed })).toThrow(
      /^the session's inputs \[x, /,
    );
    expect(() =>
      createBundleScorer({ manifest: bundle.manifest, session, oodScores: ['knn'] }),
    ).toThrow(
      'options.oodScores names "knn", which the manifest does not have (it has mahalanobis, energy)',
    );
    expect(() => createBundleScorer({ manifest: bundle.manifest, session, batchSize: 0 })).toThrow(
      'options.batchSize must be a positive integer (got 0)',
    );
    const scorer = createBundleScorer({ manifest: bundle.manifest, session });
    await expect(scorer.scorePairs('q', ['ok', 3 as unknown as string])).rejects.toThrow(
      'items[1] must be a string (got number)',
    );
    await expect(scorer.scorePairs(undefined as unknown as string, [])).rejects.toThrow(
      'query must be a string (got undefined)',
    );
  });
});

describe('createBundleScorer(...).scoreBatch', () => {
  it('scores pairs of several queries in shared batches exactly as scorePairs does per query', async () => {
    const scorer = createBundleScorer({ manifest: bundle.manifest, session, batchSize: 3 });
    const queries = ['angle bracket', 'deck paint', 'shower head'];
    const pairs = ITEMS.flatMap((item, i) => [
      { query: queries[i % 3] ?? '', item },
      { query: queries[(i + 1) % 3] ?? '', item },
    ]);
    const batch = await scorer.scoreBatch(pairs, { features: true });
    expect(batch.count).toBe(pairs.length);
    expect('rank' in batch).toBe(false);
    for (const query of queries) {
      const index = pairs.flatMap((p, i) => (p.query === query ? [i] : []));
      const single = await scorer.scorePairs(
        query,
        index.map((i) => pairs[i]?.item ?? ''),
        { features: true },
      );
      index.forEach((row, j) => {
        for (let c = 0; c < 3; c++)
          expect(batch.probs[row * 3 + c]).toBeCloseTo(single.probs[j * 3 + c] ?? NaN, 6);
        expect(batch.predicted[row]).toBe(single.predicted[j]);
        for (const name of ['mahalanobis', 'energy']) {
          expect(batch.ood[name]?.score[row]).toBeCloseTo(single.ood[name]?.score[j] ?? NaN, 4);
          expect(batch.ood[name]?.flag[row]).toBe(single.ood[name]?.flag[j]);
        }
      });
    }
  });

  it('names a malformed pair', async () => {
    const scorer = createBundleScorer({ manifest: bundle.manifest, session });
    await expect(
      scorer.scoreBatch([
        { query: 'q', item: 'i' },
        { query: 'q' } as { query: string; item: string },
      ]),
    ).rejects.toThrow('pairs[1].item must be a string (got undefined)');
    await expect(scorer.scoreBatch('x' as unknown as [])).rejects.toThrow(
      'pairs must be an array of { query, item }',
    );
    expect((await scorer.scoreBatch([])).count).toBe(0);
  });
});
