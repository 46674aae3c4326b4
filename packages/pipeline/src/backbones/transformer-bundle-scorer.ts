/**
 * The bundles that carry their own transformer (an encoder bundle, `gradeshift encoder`; a cross-encoder bundle,
 * `gradeshift evaluate --cross-encoder … --bundle-out`), told apart by their manifest's `format` and loaded behind
 * the scorer interface by one call: what the API's scoring threads and HTTP thread load beside word-vector scorer
 * bundles.
 */
import {
  CROSS_ENCODER_BUNDLE_FORMAT,
  ENCODER_BUNDLE_FORMAT,
  type CrossEncoderBundleManifest,
  type EncoderBundleManifest,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import { loadCrossEncoderBundleScorer } from './cross-encoder-bundle-scorer';
import { loadEncoderBundleScorer } from './encoder-bundle-scorer';
import { manifestFormat } from './manifest-format';
import type { LoadedModelBundleScorer } from './model-bundle-scorer';

/** The kind of a transformer bundle. */
export type TransformerBundleKind = 'encoder' | 'cross-encoder';

/** The manifest of either kind (`format` tells them apart). */
export type TransformerBundleManifest = EncoderBundleManifest | CrossEncoderBundleManifest;

/** A loaded transformer bundle of either kind. */
export type LoadedTransformerBundleScorer = LoadedModelBundleScorer<TransformerBundleManifest>;

/**
 * The kind of transformer bundle a folder holds, by its manifest's format.
 * @param dir - the folder
 * @returns the kind, or null for any other folder (a word-vector scorer bundle, no manifest)
 */
export function transformerBundleKind(dir: string): TransformerBundleKind | null {
  const format = manifestFormat(dir);
  if (format === ENCODER_BUNDLE_FORMAT) return 'encoder';
  return format === CROSS_ENCODER_BUNDLE_FORMAT ? 'cross-encoder' : null;
}

/**
 * Loads a transformer bundle as a scorer, by its manifest's format (`loadEncoderBundleScorer` or
 * `loadCrossEncoderBundleScorer`, with every check of its kind).
 * @param dir - the bundle folder
 * @param options - onnxruntime threads per run; the detectors' matrix products
 * @throws BundleError naming the file and what to do
 */
export function loadTransformerBundleScorer(
  dir: string,
  options: { readonly threads?: number; readonly gemm?: Gemm } = {},
): Promise<LoadedTransformerBundleScorer> {
  return transformerBundleKind(dir) === 'cross-encoder'
    ? loadCrossEncoderBundleScorer(dir, options)
    : loadEncoderBundleScorer(dir, options);
}
