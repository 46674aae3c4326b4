/**
 * A bundle folder opened to score a number of pairs: in scoring threads when asked for and when each thread gets
 * at least two chunks, else on the calling thread. Starting a thread (tsx, onnxruntime, the bundle's checks)
 * takes about half a second: on 2 cores, 20,000 pairs scored faster on the calling thread, the 74,067 of the
 * Home Depot file faster in two threads.
 */
import type { BundleManifest, BundleScorer } from '@gradeshift/core';

import { createNodeBackend, createOrtGemm } from '@gradeshift/core/node';

import { loadBundleScorer } from '../bundle/load-bundle-scorer';
import {
  defaultScoringThreads,
  startScoringThreads,
  type ScoringThreads,
} from '../scoring-threads/start-scoring-threads';

/** Options of {@link openPairScorer}. */
export interface OpenPairScorerOptions {
  /** Pairs to be scored. */
  pairs: number;
  /** Pairs per chunk (the unit of work of a thread). */
  chunk: number;
  /** Scoring threads; 0 for the calling thread. @default defaultScoringThreads() */
  threads?: number;
  /** Pairs per model run. @default 128 */
  batchSize?: number;
  /** OOD scores to compute, by name. @default every score in the manifest */
  oodScores?: readonly string[];
  /** Distinct texts whose preparation is memoised (per thread). @default 200000 */
  memoSize?: number;
  /**
   * onnxruntime's intra-op threads per session, and whether idle ones may spin: set, the session on the calling
   * thread gets that many and never spins (as each scoring thread's does, which get 1 by default). A process that
   * shares the cores with others (a queue worker) needs 1: onnxruntime's default, one spinning thread per core,
   * keeps both cores busy for one session and leaves nothing to a second process.
   * @default onnxruntime's default on the calling thread; 1 in scoring threads
   */
  ortThreads?: number;
}

/** An opened bundle: the scorer or threads to pass to `scoreBundlePairs`, its manifest, and `close`. */
export interface OpenedPairScorer {
  readonly model: BundleScorer | ScoringThreads;
  readonly manifest: BundleManifest;
  /** Releases the session or ends the threads. */
  close(): Promise<void>;
}

/**
 * Opens a bundle folder to score pairs.
 * @param dir - the bundle folder
 * @param options - pairs and chunk size, threads, batch size, OOD scores
 * @throws BundleError when the bundle does not load; RangeError for a bad thread count
 */
export async function openPairScorer(
  dir: string,
  options: OpenPairScorerOptions,
): Promise<OpenedPairScorer> {
  const threads = options.threads ?? defaultScoringThreads();
  if (!Number.isSafeInteger(threads) || threads < 0)
    throw new RangeError(`threads must be an integer ≥ 0 (got ${threads})`);
  const chunks = Math.ceil(options.pairs / Math.max(1, options.chunk));
  const settings = {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.oodScores === undefined ? {} : { oodScores: options.oodScores }),
    ...(options.memoSize === undefined ? {} : { memoSize: options.memoSize }),
  };
  const { ortThreads } = options;
  if (threads >= 1 && chunks >= 2 * threads) {
    const pool = await startScoringThreads({
      dir,
      threads,
      ...settings,
      ...(ortThreads === undefined ? {} : { ortThreads }),
    });
    return { model: pool, manifest: pool.manifest, close: () => pool.close() };
  }
  const backendOptions =
    ortThreads === undefined ? undefined : { intraOpNumThreads: ortThreads, allowSpinning: false };
  // The outside detectors' products (KNN bank) run in onnxruntime, not JavaScript loops.
  const gemm = createOrtGemm({ dtype: 'float32', ...(backendOptions && { backendOptions }) });
  try {
    const loaded = await loadBundleScorer(dir, {
      computeOptions: { gemm },
      ...settings,
      ...(backendOptions && { backend: createNodeBackend(backendOptions) }),
    });
    return {
      model: loaded.scorer,
      manifest: loaded.scorer.manifest,
      close: async () => {
        await loaded.dispose();
        await gemm.dispose();
      },
    };
  } catch (error) {
    await gemm.dispose();
    throw error;
  }
}
