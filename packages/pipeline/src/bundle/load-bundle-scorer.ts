/**
 * A bundle folder straight to a scorer: {@link readBundle} plus the detectors of the OOD scores computed outside
 * the graph (e.g. KNN), restored from the manifest's states with `@gradeshift/ood`.
 */
import {
  bundleFeaturizerKey,
  createBundleFeaturizer,
  createBundleScorer,
  type BundleScorer,
  type ExternalOodDetector,
  type PairFeaturizer,
} from '@gradeshift/core';
import { loadBundleDetectors, type DetectorComputeOptions } from '@gradeshift/ood';

import { BundleError } from './bundle-error';
import { readBundle, type LoadedBundle, type ReadBundleOptions } from './read-bundle';

/** Options for {@link loadBundleScorer}. */
export interface LoadBundleScorerOptions extends ReadBundleOptions {
  /** Pairs per model run. @default 128 */
  batchSize?: number;
  /** OOD scores to compute, by name. @default every score in the manifest */
  oodScores?: readonly string[];
  /** Distinct texts (and pairs) whose preparation is memoised: the scorer's memory grows up to about 6 KB each. @default 200000 */
  memoSize?: number;
  /**
   * Passed to every outside detector's `score` (e.g. `{ gemm: createOrtGemm() }`: the KNN score's bank product in
   * onnxruntime instead of JavaScript loops, much faster for a server). @default {}
   */
  computeOptions?: DetectorComputeOptions;
  /**
   * A bundle loaded before (e.g. the model a reload replaces): when its featuriser key is this bundle's, its
   * featuriser is shared, texts already prepared included, instead of being built again. @default undefined
   */
  reuse?: Pick<LoadedBundleScorer, 'featurizer' | 'featurizerKey'>;
}

/** A loaded bundle and its scorer. */
export interface LoadedBundleScorer {
  readonly bundle: LoadedBundle;
  readonly scorer: BundleScorer;
  /** The scorer's featuriser, and what it was built from (`bundleFeaturizerKey`). */
  readonly featurizer: PairFeaturizer;
  readonly featurizerKey: string;
  /** Releases the model session. */
  dispose(): Promise<void>;
}

/**
 * Reads a bundle and creates its scorer.
 * @param dir - the bundle folder
 * @param options - backend, batch size, OOD scores
 * @returns the bundle, its scorer and a dispose function
 * @throws BundleError from {@link readBundle}; BundleError `INVALID_MANIFEST` when a detector state does not load
 * @example const { scorer } = await loadBundleScorer('runs/default/bundle'); await scorer.scorePairs('deck paint', titles);
 * @see {@link readBundle}
 */
export async function loadBundleScorer(
  dir: string,
  options: LoadBundleScorerOptions = {},
): Promise<LoadedBundleScorer> {
  return scorerOfBundle(await readBundle(dir, options), options);
}

/**
 * The scorer of a bundle already read and checked (e.g. by {@link readBundle} in another thread, whose checked
 * manifest and model bytes are handed over): its outside detectors restored and its featuriser built or reused.
 * @param bundle - a checked bundle with its session; the session is disposed when this throws
 * @param options - batch size, OOD scores, compute options, featuriser to reuse
 * @returns the bundle, its scorer and a dispose function
 * @throws BundleError `INVALID_MANIFEST` when a detector state does not load
 */
export async function scorerOfBundle(
  bundle: LoadedBundle,
  options: Omit<LoadBundleScorerOptions, keyof ReadBundleOptions> = {},
): Promise<LoadedBundleScorer> {
  const { manifest, session } = bundle;
  try {
    let detectors: Record<string, ExternalOodDetector>;
    try {
      detectors = loadBundleDetectors(manifest.ood, {
        ...(options.oodScores === undefined ? {} : { names: options.oodScores }),
        ...(options.computeOptions === undefined ? {} : { computeOptions: options.computeOptions }),
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw new BundleError(
        'INVALID_MANIFEST',
        { path: bundle.dir, reason: `manifest.${detail}` },
        { cause: error },
      );
    }
    const featurizerKey = bundleFeaturizerKey(manifest);
    const featurizer =
      options.reuse?.featurizerKey === featurizerKey
        ? options.reuse.featurizer
        : createBundleFeaturizer(manifest, options.memoSize);
    const scorer = createBundleScorer({
      manifest,
      session,
      detectors,
      featurizer,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.oodScores === undefined ? {} : { oodScores: options.oodScores }),
    });
    return { bundle, scorer, featurizer, featurizerKey, dispose: () => session.dispose() };
  } catch (error) {
    await session.dispose();
    throw error;
  }
}
