/**
 * An encoder bundle behind the scorer interface the API serves with (`model-bundle-scorer.ts`): each call scores
 * its pairs with {@link scoreOpenEncoderBundle}, the step behind `gradeshift score --model <encoder bundle>`. Each
 * distinct text of a call is embedded once.
 */
import { encoderBundleFiles, type EncoderBundleManifest } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { openEncoderBundle } from './encoder-bundle';
import {
  loadModelBundleScorer,
  type LoadedModelBundleScorer,
  type ModelBundleScorer,
} from './model-bundle-scorer';
import { scoreOpenEncoderBundle } from './score-encoder-bundle';

/** An encoder bundle as a scorer, beside its manifest. */
export type EncoderBundleScorer = ModelBundleScorer<EncoderBundleManifest>;

/** A loaded encoder bundle: its folder, manifest and identity, its scorer, and how to release it. */
export type LoadedEncoderBundleScorer = LoadedModelBundleScorer<EncoderBundleManifest>;

/**
 * Opens an encoder bundle as a scorer, with every check of `openEncoderBundle` (files' sha256, decision rule,
 * detector states, model output, tokenizer).
 * @param dir - the bundle folder
 * @param options - onnxruntime threads per run; the detectors' matrix products (e.g. onnxruntime's, as `gradeshift
 *   score`)
 * @throws BundleError (NOT_A_BUNDLE, CHECKSUM_MISMATCH, MISSING_FILE, MODEL_LOAD_FAILED) with `openEncoderBundle`'s
 *   reason, naming the file and what to do
 */
export function loadEncoderBundleScorer(
  dir: string,
  options: { readonly threads?: number; readonly gemm?: Gemm } = {},
): Promise<LoadedEncoderBundleScorer> {
  return loadModelBundleScorer(dir, {
    what: 'an encoder bundle',
    again: 'fix or export the encoder bundle again (gradeshift encoder)',
    open: (root) => openEncoderBundle(root, { cacheDir: null, ...options }),
    files: encoderBundleFiles,
    score: (bundle, pairs) => scoreOpenEncoderBundle(bundle, pairs),
  });
}
