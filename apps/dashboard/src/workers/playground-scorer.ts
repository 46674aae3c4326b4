/**
 * The Playground worker's scorer of the served bundle, whichever kind it is: the manifest is fetched first and its
 * format picks the loader — a word-vector scorer bundle (`word-vector-scorer.ts`: one model.onnx), an encoder
 * bundle (`encoder-scorer.ts`: the encoder, its tokenizer, the head and the term statistics) or a cross-encoder
 * bundle (`cross-encoder-scorer.ts`: the model and its tokenizer).
 */
import { isCrossEncoderBundleManifest, isEncoderBundleManifest } from '@gradeshift/core';

import { fetchBundleFile, sha256Hex } from './bundle-files';
import { loadCrossEncoderScorer } from './cross-encoder-scorer';
import { loadEncoderScorer } from './encoder-scorer';
import type { LoadProgress } from './inference-protocol';
import type { PlaygroundScorer } from './playground-rows';
import { loadWordVectorScorer } from './word-vector-scorer';

/**
 * Loads the served bundle: its manifest, then the loader of its kind.
 * @param onProgress - called as the files arrive
 * @throws Error naming the file that could not be fetched, parsed or checked
 */
export async function loadPlaygroundScorer(
  onProgress: (progress: LoadProgress) => void,
): Promise<PlaygroundScorer> {
  const startedAt = performance.now();
  const { bytes } = await fetchBundleFile('manifest.json', { onProgress });
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new Error(
      `manifest.json of the served bundle is not JSON (${error instanceof Error ? error.message : String(error)}): export the bundle again`,
    );
  }
  const manifestSha256 = await sha256Hex(bytes);
  const context = {
    manifest,
    manifestBytes: bytes.byteLength,
    manifestSha256,
    onProgress,
    startedAt,
  };
  if (isCrossEncoderBundleManifest(manifest)) return loadCrossEncoderScorer(context);
  return isEncoderBundleManifest(manifest)
    ? loadEncoderScorer(context)
    : loadWordVectorScorer(context);
}
