/**
 * @file The messages between the HTTP thread's scoring pool (scoring-pool.ts) and its scoring threads
 * (scoring-thread.ts).
 */
import type { MessagePort } from 'node:worker_threads';

import type { BundleManifest, ScorePairsOptions } from '@gradeshift/core';

import type { ThreadError } from '@gradeshift/pipeline';

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

/** Settings every load carries (the first load of a thread also creates its onnxruntime backend with them). */
interface LoadSettings {
  key: string;
  batchSize: number;
  ortThreads: number;
}

/** What a loading thread hands to the others, thread to thread (the HTTP thread never copies it). @internal */
export interface BundleHandOff {
  manifest: BundleManifest;
  model: ArrayBuffer;
}

/** A message to a scoring thread, without its id. @internal */
export type PoolCall =
  /**
   * Read the bundle with every check, create its session and answer with the checked manifest; post the manifest
   * and the model bytes on each of `handOff` for another thread to adopt.
   */
  | (LoadSettings & { type: 'load'; dir: string; handOff: MessagePort[] })
  /**
   * Create a session of bundle bytes another thread has read and checked, as {@link BundleHandOff} waiting on
   * `from`: no file reading, hashing or parsing.
   */
  | (LoadSettings & { type: 'adopt'; dir: string; from: MessagePort })
  | { type: 'unload'; key: string }
  | {
      type: 'pairs';
      key: string;
      query: string;
      items: readonly string[];
      options?: ScorePairsOptions;
    }
  | {
      type: 'batch';
      key: string;
      pairs: readonly { query: string; item: string }[];
      options?: ScorePairsOptions;
    };

/** A message to a scoring thread. @internal */
export type PoolRequest = PoolCall & { id: number };

/** A scoring thread's answer. @internal */
export type PoolResponse =
  | {
      id: number;
      ok: true;
      dir?: string;
      /** The checked manifest (a `load`). */
      manifest?: BundleManifest;
      scores?: WireScores;
    }
  | { id: number; ok: false; error: ThreadError };
