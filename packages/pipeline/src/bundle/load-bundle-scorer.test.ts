import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createPairFeaturizer, forwardScorer, type BundleManifestDraft } from '@gradeshift/core';
import { fitKnn, loadPercentileCalibration } from '@gradeshift/ood';

import { isBundleError } from './bundle-error';
import { calibrateOodScore } from './calibrate-ood-score';
import { loadBundleScorer, scorerOfBundle } from './load-bundle-scorer';
import { readBundle } from './read-bundle';
import { createSmallBundle, SMALL_CONFIG } from './test-fixtures';
import { writeBundle } from './write-bundle';

const TITLES = [
  'Simpson steel angle bracket',
  'rain shower head 8 inch',
  'white deck paint',
  'deck over',
  'galvanized brakcet',
  '',
];
const small = createSmallBundle(5);

/** The fixture's draft plus a KNN score fitted on the TypeScript features of the titles against two queries. */
async function draftWithKnn(): Promise<{
  draft: BundleManifestDraft;
  knn: Awaited<ReturnType<typeof fitKnn>>;
}> {
  const featurizer = createPairFeaturizer({ vocabulary: small.vocabulary, config: SMALL_CONFIG });
  const batch = featurizer.featurize(
    TITLES.flatMap((item) => [
      { query: 'angle bracket', item },
      { query: 'shower head', item },
    ]),
  );
  const { features } = await forwardScorer(small.params, batch);
  const knn = await fitKnn({ features }, { k: 2 });
  const held = await knn.score({ features });
  const score = calibrateOodScore({
    source: { kind: 'detector', reads: 'features', state: { ...knn.toJSON() } },
    heldOutIdScores: held,
    settings: { k: 2 },
  });
  return { draft: { ...small.draft, ood: { ...small.draft.ood, knn: score } }, knn };
}

describe('loadBundleScorer', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gradeshift-scorer-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('shares the featuriser of an earlier load with the same text settings, and only then', async () => {
    const dir = join(root, 'bundle');
    writeBundle({ dir, model: small.model, manifest: small.draft });
    const first = await loadBundleScorer(dir);
    const again = await loadBundleScorer(dir, { reuse: first });
    // Other text settings (fewer tokens kept per text): its own featuriser.
    const { text } = small.draft;
    const otherDir = join(root, 'other');
    writeBundle({
      dir: otherDir,
      model: small.model,
      manifest: { ...small.draft, text: { ...text, prepare: { ...text.prepare, maxTokens: 8 } } },
    });
    const changed = await loadBundleScorer(otherDir, { reuse: first });
    try {
      expect(again.featurizerKey).toBe(first.featurizerKey);
      expect(again.featurizer).toBe(first.featurizer);
      expect(changed.featurizerKey).not.toBe(first.featurizerKey);
      expect(changed.featurizer).not.toBe(first.featurizer);
      // The shared featuriser scores as a fresh one.
      const shared = await again.scorer.scorePairs('deck paint', TITLES);
      const alone = await loadBundleScorer(dir);
      const fresh = await alone.scorer.scorePairs('deck paint', TITLES);
      await alone.dispose();
      expect(shared.probs).toEqual(fresh.probs);
      expect(shared.ood['energy']?.score).toEqual(fresh.ood['energy']?.score);
    } finally {
      await Promise.all([first.dispose(), again.dispose(), changed.dispose()]);
    }
  });

  it('scores raw text with the bundle, running the KNN state of the manifest outside the graph', async () => {
    const { draft, knn } = await draftWithKnn();
    const dir = join(root, 'bundle');
    writeBundle({ dir, model: small.model, manifest: draft });
    const loaded = await loadBundleScorer(dir, { batchSize: 4 });
    try {
      const result = await loaded.scorer.scorePairs('deck paint', TITLES, { features: true });
      expect(result.count).toBe(TITLES.length);
      const features = {
        rows: TITLES.length,
        cols: SMALL_CONFIG.hidden2,
        data: Float64Array.from(result.features ?? []),
      };
      expect(result.ood['knn']?.score).toEqual(await knn.score({ features }));
      const energy = result.ood['energy'];
      const stored = draft.ood['energy'];
      if (energy === undefined || stored === undefined) throw new Error('no energy score');
      // The ood package's own ECDF on the stored calibration gives the same percentiles.
      expect(energy.percentile).toEqual(
        loadPercentileCalibration(stored.calibration).percentiles(energy.score),
      );
    } finally {
      await loaded.dispose();
    }
  });

  it('scores a bundle read elsewhere (scorerOfBundle) as loadBundleScorer does, outside detectors included', async () => {
    const { draft } = await draftWithKnn();
    const dir = join(root, 'bundle');
    writeBundle({ dir, model: small.model, manifest: draft });
    const loaded = await loadBundleScorer(dir);
    const read = await readBundle(dir);
    const adopted = await scorerOfBundle(
      { dir: read.dir, manifest: structuredClone(read.manifest), session: read.session },
      { reuse: loaded },
    );
    try {
      expect(adopted.featurizer).toBe(loaded.featurizer);
      const a = await loaded.scorer.scorePairs('deck paint', TITLES);
      const b = await adopted.scorer.scorePairs('deck paint', TITLES);
      expect(b.probs).toEqual(a.probs);
      expect(Object.keys(b.ood)).toEqual(Object.keys(a.ood));
      expect(b.ood['knn']?.score).toEqual(a.ood['knn']?.score);
    } finally {
      await Promise.all([loaded.dispose(), adopted.dispose()]);
    }
  });

  it('reports a detector state that does not load', async () => {
    const { draft } = await draftWithKnn();
    const knn = draft.ood['knn'];
    if (knn?.source.kind !== 'detector') throw new Error('no knn score');
    const broken = {
      ...draft,
      ood: {
        ...draft.ood,
        knn: { ...knn, source: { ...knn.source, state: { ...knn.source.state, k: 99 } } },
      },
    };
    const dir = join(root, 'bundle');
    writeBundle({ dir, model: small.model, manifest: broken });
    let error: unknown;
    try {
      await loadBundleScorer(dir);
    } catch (e) {
      error = e;
    }
    expect(isBundleError(error, 'INVALID_MANIFEST')).toBe(true);
    expect(String(error)).toMatch(
      /manifest\.ood\.knn\.source\.state does not load \(.*k \(99\) exceeds bankSize \(12\)\)/,
    );
    const loaded = await loadBundleScorer(dir, { oodScores: ['energy'] });
    expect(Object.keys((await loaded.scorer.scorePairs('deck', ['deck paint'])).ood)).toEqual([
      'energy',
    ]);
    await loaded.dispose();
  });
});
