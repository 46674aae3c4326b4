/**
 * @file Scoring threads: `GRADESHIFT_SCORING_THREADS` worker threads each hold every served model and score
 * requests, so the HTTP thread only parses, validates and answers.
 *
 * Why: onnxruntime-node runs a session synchronously on the calling thread, so a one-thread server uses one core
 * however many it has. With scoring threads, several requests score at once on other cores. The threads are the
 * pipeline's (`startPoolThread`, the same thread entry and messages as its batch scoring); this file fills the
 * registry's `LoadModel` port with them. Loading a bundle loads it in one thread after the other
 * (`loadAcrossThreads`), and calls go to threads that are not loading, so a reload leaves the other threads
 * scoring with the model it replaces. A loader thread that serves no calls reads and checks the bundle (files,
 * manifest, checksum, model interface, as `loadBundleScorer` does); the scoring threads adopt its checked manifest
 * and model bytes, handed over thread to thread, and only create their session, so a reload reads, hashes and
 * parses the bundle once and a scoring thread stops answering only while it creates its session. The scorer handed to the registry sends each call to the least busy such thread; disposal unloads it
 * everywhere. Reload semantics are the registry's, unchanged.
 *
 * An encoder bundle (`gradeshift encoder`: encoder, tokenizer, head, rule and detectors) or a cross-encoder
 * bundle (`gradeshift evaluate --cross-encoder … --bundle-out`: model, tokenizer, logit mapping, rule and
 * detectors) loads in the same threads, one after the other, each opening it with every check
 * (`loadEncoderAcrossThreads`: several files, so no hand-over of checked bytes), and its calls go the same way:
 * the model runs, the term-match features and the detectors all run off the HTTP thread.
 */
import type {
  BundleManifest,
  BundlePairScores,
  BundleScorer,
  CrossEncoderBundleManifest,
  EncoderBundleManifest,
} from '@gradeshift/core';
import { terminateOutsideNative } from '@gradeshift/core/node';
import {
  callThread,
  loadAcrossThreads,
  loadEncoderAcrossThreads,
  pickThread,
  startPoolThread,
  transformerBundleKind,
  type PoolThread,
  type ThreadCall,
  type ThreadLoadSettings,
  type WireScores,
} from '@gradeshift/pipeline';

import type { LoadModel } from '../models/model-registry';

/** Options of {@link createScoringPool}. */
export interface ScoringPoolOptions {
  threads: number;
  batchSize: number;
  /** onnxruntime threads per run in each scoring thread. */
  ortThreads: number;
}

/** The pool: a `LoadModel` for the registry, and `close`. */
export interface ScoringPool {
  readonly load: LoadModel;
  close(): Promise<void>;
}

/** The scorer of the model loaded under `key`: each call goes to the thread `pick` chooses. */
function poolScorer<
  TManifest extends BundleManifest | EncoderBundleManifest | CrossEncoderBundleManifest,
>(
  manifest: TManifest,
  key: string,
  pick: () => PoolThread,
): Omit<BundleScorer, 'manifest'> & { readonly manifest: TManifest } {
  const call = async (message: ThreadCall): Promise<WireScores> => {
    const { scores } = await callThread(pick(), message);
    if (scores === undefined) throw new Error('scoring thread answered without scores');
    return scores;
  };
  return {
    manifest,
    async scorePairs(query, items, options) {
      const scores = await call({ type: 'pairs', key, query, items, ...(options && { options }) });
      return scores as BundlePairScores;
    },
    scoreBatch: (pairs, options) =>
      call({
        type: 'batch',
        key,
        queries: pairs.map((p) => p.query),
        items: pairs.map((p) => p.item),
        ...(options && { options }),
      }),
  };
}

/**
 * Starts the scoring threads.
 * @param options - thread count, batch size, onnxruntime threads
 * @throws RangeError for fewer than one thread
 */
export function createScoringPool(options: ScoringPoolOptions): ScoringPool {
  if (!(options.threads >= 1))
    throw new RangeError(`a scoring pool needs at least one thread (got ${options.threads})`);
  const threads = Array.from({ length: options.threads }, () => startPoolThread());
  const loader = startPoolThread('scoring loader');
  const [head] = threads as [PoolThread, ...PoolThread[]];
  const pick = () => pickThread(threads) ?? head;
  const settings = {
    batchSize: options.batchSize,
    ortThreads: options.ortThreads,
    gemm: 'float64',
  } satisfies ThreadLoadSettings;
  let nextKey = 0;

  const load: LoadModel = async (dir) => {
    const key = `m${nextKey++}`;
    // Every thread unloads what it holds; a thread that died holds nothing, and its failure must neither stop the
    // others nor replace the error of a failed load (a 4xx BundleError) with its own.
    const unload = async () => {
      await Promise.allSettled(
        threads.map((thread) => callThread(thread, { type: 'unload', key })),
      );
    };
    try {
      if (transformerBundleKind(dir) !== null) {
        const bundle = await loadEncoderAcrossThreads(threads, { key, dir, settings });
        return { bundle, scorer: poolScorer(bundle.manifest, key, pick), dispose: unload };
      }
      const bundle = await loadAcrossThreads(threads, { key, dir, settings, loader });
      return { bundle, scorer: poolScorer(bundle.manifest, key, pick), dispose: unload };
    } catch (error) {
      await unload();
      throw error instanceof Error ? error : new Error(String(error));
    }
  };

  return {
    load,
    close: async () => {
      await Promise.all([...threads, loader].map((t) => terminateOutsideNative(t.worker, t.guard)));
    },
  };
}
