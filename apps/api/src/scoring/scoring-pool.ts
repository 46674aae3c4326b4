/**
 * @file Scoring threads: `GRADESHIFT_SCORING_THREADS` worker threads each hold every served model and score
 * requests, so the HTTP thread only parses, validates and answers.
 *
 * Why: onnxruntime-node runs a session synchronously on the calling thread, so a one-thread server uses one core
 * however many it has. With scoring threads, several requests score at once on other cores. The pool fills the
 * registry's `LoadModel` port: loading a bundle loads it in one thread after the other, and calls go to threads
 * that are not loading, so a reload leaves the other threads scoring with the model it replaces. Only the first
 * thread reads and checks the bundle (files, manifest, checksum, model interface, as `loadBundleScorer` does); the
 * others adopt its checked manifest and model bytes, handed over thread to thread (the bytes moved, not copied,
 * to the first), and only create their session, so a reload reads, hashes and parses the bundle once. The scorer handed to the registry sends each call to the least busy
 * such thread; disposal unloads it everywhere. Reload semantics are the registry's, unchanged.
 */
import { MessageChannel } from 'node:worker_threads';

import type { BundleManifest, BundlePairScores, BundleScorer } from '@gradeshift/core';

import type { LoadModel } from '../models/model-registry';
import type { PoolCall, PoolResponse, WireScores } from './pool-messages';
import {
  callThread,
  loadInThread,
  pickThread,
  startPoolThread,
  type PoolThread,
} from './pool-thread';

export { pickThread } from './pool-thread';
export type { PoolRequest, PoolResponse, WireScores } from './pool-messages';

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

function scoresOf(response: PoolResponse & { ok: true }): WireScores {
  if (response.scores === undefined) throw new Error('scoring thread answered without scores');
  return response.scores;
}

/** The scorer of the model loaded under `key`: each call goes to the thread `pick` chooses. */
function poolScorer(manifest: BundleManifest, key: string, pick: () => PoolThread): BundleScorer {
  const call = async (message: PoolCall) => scoresOf(await callThread(pick(), message));
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
        pairs: pairs.map((p) => ({ query: p.query, item: p.item })),
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
  const threads: PoolThread[] = Array.from({ length: options.threads }, startPoolThread);
  const [head, ...rest] = threads as [PoolThread, ...PoolThread[]];
  const pick = () => pickThread(threads) ?? head;
  const settings = { batchSize: options.batchSize, ortThreads: options.ortThreads };
  let nextKey = 0;

  // One thread at a time: while one loads (creates its session), the others keep scoring with the model being
  // replaced, so a reload never stalls every thread at once.
  const load: LoadModel = async (dir) => {
    const key = `m${nextKey++}`;
    const unload = async () => {
      await Promise.all(threads.map((thread) => callThread(thread, { type: 'unload', key })));
    };
    try {
      const channels = rest.map(() => new MessageChannel());
      const handOff = channels.map((channel) => channel.port1);
      const first = await loadInThread(head, { type: 'load', key, dir, handOff, ...settings });
      const { manifest } = first;
      if (manifest === undefined) throw new Error('scoring thread loaded no manifest');
      const checkedDir = first.dir ?? dir;
      for (const [i, thread] of rest.entries()) {
        const from = channels[i]?.port2 ?? new MessageChannel().port2;
        await loadInThread(thread, { type: 'adopt', key, dir: checkedDir, from, ...settings });
      }
      return {
        bundle: { dir: checkedDir, manifest },
        scorer: poolScorer(manifest, key, pick),
        dispose: unload,
      };
    } catch (error) {
      await unload();
      throw error instanceof Error ? error : new Error(String(error));
    }
  };

  return {
    load,
    close: async () => {
      await Promise.all(threads.map((t) => t.worker.terminate()));
    },
  };
}
