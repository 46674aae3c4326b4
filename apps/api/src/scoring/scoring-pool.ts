/**
 * @file Scoring threads: `GRADESHIFT_SCORING_THREADS` worker threads each hold every served model and score
 * requests, so the HTTP thread only parses, validates and answers.
 *
 * Why: onnxruntime-node runs a session synchronously on the calling thread, so a one-thread server uses one core
 * however many it has. With scoring threads, several requests score at once on other cores. The pool fills the
 * registry's `LoadModel` port: loading a bundle loads it in every thread (each checks it fully, as
 * `loadBundleScorer` does), one thread after the other, and calls go to threads that are not loading, so a reload
 * leaves the other threads scoring with the model it replaces; the scorer handed to the registry sends each call to
 * the least busy such thread; disposal unloads it everywhere. Reload semantics are the registry's, unchanged.
 */
import { Worker } from 'node:worker_threads';

import type {
  BundleManifest,
  BundlePairScores,
  BundleScorer,
  ScorePairsOptions,
} from '@gradeshift/core';

import { reviveThreadError, type ThreadError } from '@gradeshift/pipeline';

import type { LoadedScorer, LoadModel } from '../models/model-registry';

/** Scores as they cross threads (typed arrays transferred, not copied). @internal */
export interface WireScores {
  count: number;
  grades: string[];
  probs: Float32Array;
  expected: Float32Array;
  predicted: Int32Array;
  rank?: Uint32Array;
  features?: Float32Array;
  ood: Record<
    string,
    { score: Float64Array; percentile: Float64Array; flag: Uint8Array; threshold: number }
  >;
}

/** A message to a scoring thread. @internal */
export type PoolRequest =
  | {
      type: 'load';
      id: number;
      key: string;
      dir: string;
      batchSize: number;
      ortThreads: number;
      /** Send the manifest back (the first thread only: one structured clone for the HTTP thread to read). */
      withManifest: boolean;
    }
  | { type: 'unload'; id: number; key: string }
  | {
      type: 'pairs';
      id: number;
      key: string;
      query: string;
      items: readonly string[];
      options?: ScorePairsOptions;
    }
  | {
      type: 'batch';
      id: number;
      key: string;
      pairs: readonly { query: string; item: string }[];
      options?: ScorePairsOptions;
    };

/** A scoring thread's answer. @internal */
export type PoolResponse =
  | { id: number; ok: true; manifest?: BundleManifest; dir?: string; scores?: WireScores }
  | { id: number; ok: false; error: ThreadError };

interface Thread {
  worker: Worker;
  busy: number;
  /** Loads in progress: a loading thread answers nothing else until the load ends. */
  loading: number;
  pending: Map<
    number,
    { resolve: (r: PoolResponse & { ok: true }) => void; reject: (e: Error) => void }
  >;
}

/**
 * The thread a call goes to: the one with the fewest calls in flight among those not loading a model, or among all
 * when every thread is loading (a loading thread answers nothing else until its load ends).
 * @param threads - the pool's threads, with their calls in flight and loads in progress
 * @returns the chosen thread (the first of equals), undefined for no threads
 * @internal
 */
export function pickThread<TThread extends { busy: number; loading: number }>(
  threads: readonly TThread[],
): TThread | undefined {
  let best: TThread | undefined;
  for (const t of threads) {
    const better =
      best === undefined ||
      (t.loading === 0 && best.loading > 0) ||
      ((t.loading === 0) === (best.loading === 0) && t.busy < best.busy);
    if (better) best = t;
  }
  return best;
}

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

/**
 * Starts the scoring threads.
 * @param options - thread count, batch size, onnxruntime threads
 */
export function createScoringPool(options: ScoringPoolOptions): ScoringPool {
  let nextId = 0;
  let nextKey = 0;
  const threads: Thread[] = Array.from({ length: options.threads }, () => {
    const thread: Thread = {
      worker: new Worker(new URL('./scoring-thread-boot.mjs', import.meta.url)),
      busy: 0,
      loading: 0,
      pending: new Map(),
    };
    thread.worker.on('message', (response: PoolResponse) => {
      const waiting = thread.pending.get(response.id);
      if (waiting === undefined) return;
      thread.pending.delete(response.id);
      thread.busy -= 1;
      if (response.ok) waiting.resolve(response);
      else waiting.reject(reviveThreadError(response.error));
    });
    thread.worker.on('error', (error) => {
      for (const waiting of thread.pending.values()) waiting.reject(error);
      thread.pending.clear();
    });
    return thread;
  });

  const send = (thread: Thread, request: PoolRequest) =>
    new Promise<PoolResponse & { ok: true }>((resolve, reject) => {
      thread.busy += 1;
      thread.pending.set(request.id, { resolve, reject });
      thread.worker.postMessage(request);
    });
  const leastBusy = (): Thread => {
    const best = pickThread(threads);
    if (best === undefined) throw new RangeError('a scoring pool needs at least one thread');
    return best;
  };

  const scoresOf = (response: PoolResponse & { ok: true }): WireScores => {
    if (response.scores === undefined) throw new Error('scoring thread answered without scores');
    return response.scores;
  };

  /** Loads the bundle in one thread; requests go to the other threads meanwhile. */
  const loadIn = async (thread: Thread, request: { key: string; dir: string; first: boolean }) => {
    thread.loading += 1;
    try {
      return await send(thread, {
        type: 'load',
        id: nextId++,
        key: request.key,
        dir: request.dir,
        batchSize: options.batchSize,
        ortThreads: options.ortThreads,
        withManifest: request.first,
      });
    } finally {
      thread.loading -= 1;
    }
  };

  // One thread at a time: while one loads (reads, checks, creates its session), the others keep scoring with the
  // model being replaced, so a reload never stalls every thread at once.
  const load: LoadModel = async (dir) => {
    const key = `m${nextKey++}`;
    const unload = () =>
      Promise.all(
        threads.map((thread) => send(thread, { type: 'unload', id: nextId++, key })),
      ).then(() => undefined);
    let first: (PoolResponse & { ok: true }) | undefined;
    try {
      for (const [i, thread] of threads.entries()) {
        const response = await loadIn(thread, { key, dir, first: i === 0 });
        first ??= response;
      }
    } catch (error) {
      await unload();
      throw error instanceof Error ? error : new Error(String(error));
    }
    if (first === undefined) throw new RangeError('a scoring pool needs at least one thread');
    const manifest = first.manifest;
    if (manifest === undefined) throw new Error('scoring thread loaded no manifest');
    const scorer: BundleScorer = {
      manifest,
      async scorePairs(query, items, scoreOptions) {
        const response = await send(leastBusy(), {
          type: 'pairs',
          id: nextId++,
          key,
          query,
          items,
          ...(scoreOptions === undefined ? {} : { options: scoreOptions }),
        });
        return scoresOf(response) as BundlePairScores;
      },
      async scoreBatch(pairs, scoreOptions) {
        const response = await send(leastBusy(), {
          type: 'batch',
          id: nextId++,
          key,
          pairs: pairs.map((p) => ({ query: p.query, item: p.item })),
          ...(scoreOptions === undefined ? {} : { options: scoreOptions }),
        });
        return scoresOf(response);
      },
    };
    const loadedScorer: LoadedScorer = {
      bundle: { dir: first.dir ?? dir, manifest },
      scorer,
      dispose: unload,
    };
    return loadedScorer;
  };

  return {
    load,
    close: async () => {
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
