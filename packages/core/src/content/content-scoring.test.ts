/**
 * Content-space scores through the bundle scoring path: a detector whose source reads `content` receives the
 * graph's content rows, an in-graph surprisal score is read from its output, and a fused score is the mean of
 * its members' ID percentiles, flagged at its own calibrated threshold.
 */
import { afterAll, describe, expect, it } from 'vitest';

import { completeBundleManifest, createBundleManifest } from '../bundle/create-manifest';
import { exportScorerOnnx } from '../bundle/export-scorer-onnx';
import type { BundleOodScore } from '../bundle/manifest';
import { createBundleScorer } from '../bundle/score-pairs';
import { prepareOptionsFromSettings } from '../bundle/prepare-settings';
import { SMALL_BUNDLE_CONFIG, smallParams, smallVocabulary } from '../bundle/test-fixtures';
import { buildTermStatistics } from '../features/term-statistics';
import { DEFAULT_GRADE_SCALE } from '../grades/grade-scale';
import type { MatrixLike } from '../math/matrix';
import { createNodeBackend } from '../node/create-node-backend';
import { createPairFeaturizer } from '../scorer/featurize-pairs';
import { CONTENT_ONNX_OUTPUTS } from './content-graph';
import { computeContentFeatures } from './content-features';
import { buildSurprisalTable } from './surprisal-table';

const backend = createNodeBackend({ intraOpNumThreads: 1 });
const sessions: { dispose(): Promise<void> }[] = [];
afterAll(async () => {
  for (const s of sessions) await s.dispose();
});

const ITEMS = ['steel angle bracket', 'white rain shower head', 'zzqx frobnicator 9000', ''];

function calibrated(source: BundleOodScore['source'], sorted: number[]): BundleOodScore {
  return {
    source,
    space: source.kind === 'fused' ? 'fused' : 'content',
    settings: {},
    calibration: { kind: 'percentile-calibration', version: 1, sorted },
    threshold: { tpr: 0.95, value: sorted[sorted.length - 2] ?? 0 },
  };
}

describe('content scores in createBundleScorer', () => {
  it('feeds content rows to content detectors and fuses percentiles', async () => {
    const vocabulary = smallVocabulary();
    const params = smallParams(4, vocabulary);
    const statistics = buildTermStatistics([['steel', 'angle'], ['bracket', 'steel'], ['white']]);
    const surprisal = buildSurprisalTable({ vocabulary, statistics });
    const model = exportScorerOnnx({ params, content: { surprisal } });
    const seen: MatrixLike[] = [];
    // The first content column: enough to see which rows the detector was given.
    const firstColumn = {
      score: (input: { features: MatrixLike }) => {
        seen.push(input.features);
        const { rows, cols, data } = input.features;
        return Promise.resolve(Float64Array.from({ length: rows }, (_, i) => data[i * cols] ?? 0));
      },
    };
    const draft = createBundleManifest({
      config: SMALL_BUNDLE_CONFIG,
      scale: DEFAULT_GRADE_SCALE,
      vocabulary,
      ood: {
        surprisal: calibrated(
          { kind: 'graph', output: CONTENT_ONNX_OUTPUTS.surprisal },
          [0.2, 0.4, 0.6, 0.8, 1.0],
        ),
        first: calibrated(
          { kind: 'detector', reads: 'content', state: { kind: 'test', version: 1 } },
          [-0.5, -0.25, 0, 0.25, 0.5],
        ),
        fused: calibrated(
          { kind: 'fused', of: ['surprisal', 'first'], method: 'mean' },
          [0.1, 0.3, 0.5, 0.7, 0.9],
        ),
      },
      training: { dataSha256: 'a'.repeat(64), splitSeed: 0, sizes: { train: 3 } },
      metrics: {},
      gradeshiftVersion: '0.1.0',
      createdAt: '2025-01-31T12:00:00.000Z',
    });
    const manifest = completeBundleManifest(draft, { sha256: '0'.repeat(64), bytes: model.length });
    const session = await backend.createSession(model);
    sessions.push(session);
    const scorer = createBundleScorer({
      manifest,
      session,
      detectors: { first: firstColumn },
      oodScores: ['fused', 'surprisal'],
    });
    const result = await scorer.scorePairs('angle bracket', ITEMS);
    expect(Object.keys(result.ood).sort()).toEqual(['fused', 'surprisal']);

    const batch = createPairFeaturizer({
      vocabulary,
      config: SMALL_BUNDLE_CONFIG,
      prepare: prepareOptionsFromSettings(manifest.text.prepare),
    }).featurizeQuery('angle bracket', ITEMS);
    const ref = computeContentFeatures(batch, {
      config: SMALL_BUNDLE_CONFIG,
      embeddings: params.embeddings,
      surprisal,
    });
    expect(seen[0]?.cols).toBe(2 * SMALL_BUNDLE_CONFIG.embeddingDim);
    expect(Array.from(seen[0]?.data ?? [])).toBeDeepCloseTo(Array.from(ref.content.data), {
      abs: 1e-5,
    });
    expect(Array.from(result.ood['surprisal']?.score ?? [])).toBeDeepCloseTo(
      Array.from(ref.surprisal),
      { abs: 1e-5 },
    );
    // Percentile = share of the 5 calibration scores ≤ the score; fused = mean of the two percentiles.
    const pct = (sorted: number[], v: number) =>
      sorted.filter((s) => s <= v).length / sorted.length;
    ITEMS.forEach((_, i) => {
      const a = pct([0.2, 0.4, 0.6, 0.8, 1.0], ref.surprisal[i] ?? 0);
      const b = pct([-0.5, -0.25, 0, 0.25, 0.5], ref.content.data[i * ref.content.cols] ?? 0);
      expect(result.ood['fused']?.score[i]).toBeCloseTo((a + b) / 2, 5);
      expect(result.ood['fused']?.flag[i]).toBe((a + b) / 2 > 0.7 ? 1 : 0);
    });
  });
});
