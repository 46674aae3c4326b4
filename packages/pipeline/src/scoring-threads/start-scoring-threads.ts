/**
 * @file Scoring threads: worker threads that each load a bundle and score chunks of pairs, so a file scores on
 * several cores. onnxruntime-node runs a session synchronously on the calling thread and featurisation is
 * JavaScript, so one thread uses one core however many the machine has (the API's scoring threads answer the
 * same problem for requests).
 *
 * Each thread loads the bundle with every check (`loadBundleScorer`), runs onnxruntime on one core without
 * spinning (the threads are the parallelism), and keeps its own featuriser memo. A thread that fails to load,
 * fails on a chunk, or exits rejects with an error naming the thread; {@link ScoringThreads.close} always ends
 * every thread.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import type { BundleBatchScores, BundleManifest } from '@gradeshift/core';

import { reviveThreadError, type ThreadReply, type ThreadSetup } from './thread-messages';

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

/** How long a closing thread may take to release its session before it is terminated. */
const CLOSE_GRACE_MS = 2000;

interface Pending {
  resolve: (scores: BundleBatchScores) => void;
  reject: (error: Error) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  readonly ready: Promise<Extract<ThreadReply, { type: 'ready' }>>;
  /** Set once the thread has exited or failed: later calls reject with it. */
  dead: Error | undefined;
  exited: Promise<void>;
}

function startThread(index: number, setup: ThreadSetup): Thread {
  const worker = new Worker(new URL('./scoring-thread-boot.mjs', import.meta.url), {
    workerData: setup,
  });
  const name = `scoring thread ${index}`;
  const pending = new Map<number, Pending>();
  let onReady: ((reply: Extract<ThreadReply, { type: 'ready' }>) => void) | undefined;
  let onLoadFailed: ((error: Error) => void) | undefined;
  const ready = new Promise<Extract<ThreadReply, { type: 'ready' }>>((resolve, reject) => {
    onReady = resolve;
    onLoadFailed = reject;
  });
  // A thread that dies before it is awaited must not become an unhandled rejection.
  ready.catch(() => undefined);
  const thread: Thread = {
    worker,
    pending,
    ready,
    dead: undefined,
    exited: new Promise((resolve) => worker.once('exit', () => resolve())),
  };
  const fail = (error: Error): void => {
    thread.dead ??= error;
    onLoadFailed?.(error);
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('message', (message: ThreadReply) => {
    switch (message.type) {
      case 'ready':
        onReady?.(message);
        return;
      case 'load-failed':
        fail(reviveThreadError(message.error, `${name} could not load ${setup.dir}`));
        return;
      case 'scores':
      case 'failed': {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        if (message.type === 'scores') waiting?.resolve(message.scores);
        else waiting?.reject(reviveThreadError(message.error, name));
        return;
      }
    }
  });
  worker.on('error', (error) =>
    fail(new Error(`${name} failed: ${error.message}`, { cause: error })),
  );
  worker.on('messageerror', (error) =>
    fail(new Error(`${name} sent a message that could not be read`, { cause: error })),
  );
  worker.on('exit', (code) =>
    fail(new Error(`${name} exited (code ${code}) with work pending or before it was ready`)),
  );
  return thread;
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
    startThread(index, {
      dir,
      batchSize: options.batchSize,
      oodScores: options.oodScores,
      ortThreads,
      sendManifest: index === 0,
    }),
  );
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= Promise.all(
      threads.map(async (thread) => {
        thread.dead ??= new Error('the scoring threads were closed');
        thread.worker.postMessage('close');
        const timer = setTimeout(() => void thread.worker.terminate(), CLOSE_GRACE_MS);
        await thread.exited;
        clearTimeout(timer);
      }),
    ).then(() => undefined);
    return closing;
  };
  let manifest: BundleManifest | undefined;
  try {
    const ready = await Promise.all(threads.map((t) => t.ready));
    manifest = ready[0]?.manifest;
    if (manifest === undefined) throw new Error('scoring thread 0 loaded no manifest');
  } catch (error) {
    await close();
    throw error;
  }
  let nextId = 0;
  return {
    dir,
    manifest,
    threads: count,
    batchSize: options.batchSize ?? 128,
    scoreBatch(thread, pairs) {
      const target = threads[thread];
      if (target === undefined)
        return Promise.reject(
          new RangeError(`thread must be an integer in [0, ${count}) (got ${thread})`),
        );
      if (target.dead !== undefined) return Promise.reject(target.dead);
      const id = nextId++;
      return new Promise<BundleBatchScores>((resolve, reject) => {
        target.pending.set(id, { resolve, reject });
        target.worker.postMessage({
          id,
          queries: pairs.map((p) => p.query),
          items: pairs.map((p) => p.item),
        });
      });
    },
    close,
  };
}
