/**
 * A small exported scorer and its manifest draft for the bundle tests: 13 tokens + 32 buckets, D = 8, F = 26,
 * random parameters, an in-graph energy score with a calibration.
 * @internal
 */
import {
  createBundleManifest,
  DEFAULT_GRADE_SCALE,
  exportScorerOnnx,
  initParams,
  SCORER_ONNX_OOD_OUTPUTS,
  type BundleManifestDraft,
  type BundleOodScore,
  type ScorerParams,
  type Vocabulary,
} from '@gradeshift/core';
import { createRng } from '@gradeshift/core/math';
import { graphOodScore, SMALL_BUNDLE_CONFIG, smallVocabulary } from '@gradeshift/core/testing';

/** Sizes of the small scorer (F = the term-match feature count): core's small bundle sizes. @internal */
export const SMALL_CONFIG = SMALL_BUNDLE_CONFIG;

/** An in-graph OOD score with a calibration of held-out scores. @internal */
export function graphScore(
  output: string,
  sorted: readonly number[],
  threshold: number,
): BundleOodScore {
  return graphOodScore(output, { sorted, threshold });
}

/** The small scorer's parts. @internal */
export interface SmallBundle {
  readonly vocabulary: Vocabulary;
  readonly params: ScorerParams;
  readonly model: Uint8Array;
  readonly draft: BundleManifestDraft;
}

/** A small scorer exported with an energy output (T = 1), and its manifest draft. @internal */
export function createSmallBundle(seed = 1): SmallBundle {
  const vocabulary = smallVocabulary();
  const rng = createRng(seed);
  const rows = vocabulary.embeddingRows;
  const d = SMALL_CONFIG.embeddingDim;
  const params = initParams(
    SMALL_CONFIG,
    { dims: [rows, d], data: Float32Array.from({ length: rows * d }, () => 0.5 * rng.normal()) },
    rng,
  );
  const model = exportScorerOnnx({ params, energy: { temperature: 1 } });
  const draft = createBundleManifest({
    config: SMALL_CONFIG,
    scale: DEFAULT_GRADE_SCALE,
    vocabulary,
    ood: { energy: graphScore(SCORER_ONNX_OOD_OUTPUTS.energy, [-3, -2, -1.5, -1], -1.2) },
    training: {
      dataSha256: 'b'.repeat(64),
      splitSeed: seed,
      sizes: { train: 100, validation: 10 },
    },
    metrics: { 'id_test.ndcg@10': 0.71, 'ood_test.ndcg@10': null },
    gradeshiftVersion: '0.1.0',
  });
  return { vocabulary, params, model, draft };
}
