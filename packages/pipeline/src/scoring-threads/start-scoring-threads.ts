/**
 * @file Scoring threads: worker threads that each load a bundle and score chunks of pairs, so a file scores on
 * several cores. onnxruntime-node runs a session synchronously on the calling thread and featurisation is
 * JavaScript, so one thread uses one core however many the machine has (the API's scoring threads answer the
 * same problem for requests).
 *
 * The threads are the API's scoring threads (pool-thread.ts, scoring-thread.ts): the first loads the bundle with
 * every check (`loadBundleScorer`) and hands the checked manifest and model bytes to the others, which only create
 * their session. Each runs onnxruntime on one core without spinning (the threads are the parallelism) and keeps
 * its own featuriser memo. A thread that fails to load,
 * fails on a chunk, or exits rejects with an error naming the thread; {@link ScoringThreads.close} always ends
 * every thread.
 */
import { availableParallelism } from 'node:os';

import type { BundleBatchScores, BundleManifest } from '@gradeshift/core';

import { callThread, closePoolThread, loadAcrossThreads, startPoolThread } from './pool-thread';
import type { ThreadLoadSettings } from './thread-messages';

/** The key the threads hold their one bundle under. */
const KEY = 'bundle';

/** Options of {@link startScoringThreads}. */
export interface StartScoringThreadsOptions {
  /** The bundle folder each thread loads. */
  dir: string;
  /** Worker threads (≥ 1). */
  threads: number;
  /** Pairs per model run in each thread. @default 128 (as `loadBundleScorer`) */
  batchSize?: number;
  /** OOD scores to compute, by name. @default every score in the manifest */
  oodScores?: readonly string[];
  /** Distinct texts whose preparation each thread memoises. @default 200000 */
  memoSize?: number;
  /** onnxruntime threads per run in each thread. @default 1 */
  ortThreads?: number;
}

/** Started scoring threads holding one bundle. */
export interface ScoringThreads {
  /** The bundle folder. */
  readonly dir: string;
  readonly manifest: BundleManifest;
  /** How many threads there are. */
  readonly threads: number;
  /** Pairs per model run in each thread. */
  readonly batchSize: number;
  /**
   * Scores pairs in one thread (`scoreBatch` there; calls to one thread run one after another).
   * @param thread - 0 … threads − 1
   */
  scoreBatch(
    thread: number,
    pairs: readonly { readonly query: string; readonly item: string }[],
  ): Promise<BundleBatchScores>;
  /** Ends every thread (a pending call rejects); safe to call twice. */
  close(): Promise<void>;
}

/** Scoring threads to use by default: one per core, at most two (measured best on two cores). */
export function defaultScoringThreads(): number {
  return Math.min(2, availableParallelism());
}

/**
 * Starts scoring threads on a bundle and waits until every one has loaded it.
 * @param options - bundle folder, thread count, batch size, OOD scores
 * @returns the threads; close them when done
 * @throws BundleError when the bundle does not load (as `loadBundleScorer` throws it); Error naming the thread
 * when a thread fails otherwise; RangeError for a bad thread count
 * @example const pool = await startScoringThreads({ dir: 'runs/default/bundle', threads: 2 });
 */
export async function startScoringThreads(
  options: StartScoringThreadsOptions,
): Promise<ScoringThreads> {
  const { dir, threads: count, ortThreads = 1 } = options;
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`threads must be a positive integer (got ${count})`);
  const threads = Array.from({ length: count }, (_, index) =>
    startPoolThread(`scoring thread ${index}`),
  );
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all(threads.map(closePoolThread)).then(() => undefined);
    return closing;
  };
  const settings = {
    ortThreads,
    gemm: 'float32',
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.oodScores === undefined ? {} : { oodScores: options.oodScores }),
    ...(options.memoSize === undefined ? {} : { memoSize: options.memoSize }),
  } satisfies ThreadLoadSettings;
  let manifest: BundleManifest;
  try {
    ({ manifest } = await loadAcrossThreads(threads, { key: KEY, dir, settings }));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    dir,
    manifest,
    threads: count,
    batchSize: options.batchSize ?? 128,
    async scoreBatch(thread, pairs) {
      const target = threads[thread];
      if (target === undefined)
        throw new RangeError(`thread must be an integer in [0, ${count}) (got ${thread})`);
      const call = {
        type: 'batch',
        key: KEY,
        queries: pairs.map((p) => p.query),
        items: pairs.map((p) => p.item),
      } as const;
      const { scores } = await callThread(target, call);
      if (scores === undefined) throw new Error(`${target.name} answered without scores`);
      return scores;
    },
    close,
  };
}
