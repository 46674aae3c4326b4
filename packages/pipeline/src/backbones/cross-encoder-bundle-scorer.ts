/**
 * A cross-encoder bundle behind the scorer interface the API serves with (`model-bundle-scorer.ts`): each call
 * scores its pairs with {@link scoreOpenCrossEncoderBundle}, the step behind `gradeshift score --model
 * <cross-encoder bundle>`.
 */
import { crossEncoderBundleFiles, type CrossEncoderBundleManifest } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { openCrossEncoderBundle } from './cross-encoder-bundle';
import {
  loadModelBundleScorer,
  type LoadedModelBundleScorer,
  type ModelBundleScorer,
} from './model-bundle-scorer';
import { scoreOpenCrossEncoderBundle } from './score-cross-encoder-bundle';

/** A cross-encoder bundle as a scorer, beside its manifest. */
export type CrossEncoderBundleScorer = ModelBundleScorer<CrossEncoderBundleManifest>;

/** A loaded cross-encoder bundle: its folder, manifest and identity, its scorer, and how to release it. */
export type LoadedCrossEncoderBundleScorer = LoadedModelBundleScorer<CrossEncoderBundleManifest>;

/**
 * Opens a cross-encoder bundle as a scorer, with every check of `openCrossEncoderBundle` (manifest, files'
 * sha256, decision rule, detector states, model outputs, tokenizer).
 * @param dir - the bundle folder
 * @param options - onnxruntime threads per run; the detectors' matrix products (e.g. onnxruntime's, as `gradeshift
 *   score`)
 * @throws BundleError (NOT_A_BUNDLE, INVALID_MANIFEST, CHECKSUM_MISMATCH, MISSING_FILE, MODEL_MISMATCH,
 *   MODEL_LOAD_FAILED) naming the file and what to do
 */
export function loadCrossEncoderBundleScorer(
  dir: string,
  options: { readonly threads?: number; readonly gemm?: Gemm } = {},
): Promise<LoadedCrossEncoderBundleScorer> {
  return loadModelBundleScorer(dir, {
    what: 'a cross-encoder bundle',
    again:
      'fix or export the bundle again (gradeshift evaluate --cross-encoder <dir> … --bundle-out <dir>)',
    open: (root) => openCrossEncoderBundle(root, options),
    files: crossEncoderBundleFiles,
    score: (bundle, pairs) => scoreOpenCrossEncoderBundle(bundle, pairs),
  });
}
