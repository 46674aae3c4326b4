/**
 * The one message protocol of the scoring threads (scoring-thread.ts), used by the pipeline's
 * {@link startScoringThreads} and the API's scoring pool alike, and the conversions of scores and errors as they
 * cross (typed arrays transferred, not copied; a BundleError keeps its code, path and hint).
 */
import type { MessagePort } from 'node:worker_threads';

import type {
  BundleBatchScores,
  BundleManifest,
  CrossEncoderBundleManifest,
  EncoderBundleManifest,
  ScorePairsOptions,
} from '@gradeshift/core';

import { BundleError, isBundleError, type BundleErrorCode } from '../bundle/bundle-error';

/** Scores as they cross threads (typed arrays transferred, not copied). @internal */
export type WireScores = BundleBatchScores & { rank?: Uint32Array };

/**
 * How a thread runs a model, carried by every load (a thread creates one onnxruntime backend per distinct
 * setting, on the load that first asks for it).
 */
export interface ThreadLoadSettings {
  /** Pairs per model run. @default 128 (as `loadBundleScorer`) */
  readonly batchSize?: number;
  /** OOD scores to compute, by name. @default every score in the manifest */
  readonly oodScores?: readonly string[];
  /** Distinct texts whose preparation is memoised. @default 200000 (as `loadBundleScorer`) */
  readonly memoSize?: number;
  /** onnxruntime threads per run. */
  readonly ortThreads: number;
  /**
   * Float type of the outside detectors' products (KNN bank) in onnxruntime: the pipeline's batch scoring uses
   * float32, the API float64.
   */
  readonly gemm: 'float32' | 'float64';
}

/** What a loading thread hands to the others, thread to thread (the calling thread never copies it). @internal */
export interface BundleHandOff {
  readonly manifest: BundleManifest;
  readonly model: ArrayBuffer;
}

/** A message to a scoring thread, without its id. @internal */
export type ThreadCall =
  /**
   * Read the bundle with every check, create its session and answer with the checked manifest; post the manifest
   * and the model bytes on each of `handOff` for another thread to adopt.
   */
  | {
      type: 'load';
      key: string;
      dir: string;
      settings: ThreadLoadSettings;
      handOff: MessagePort[];
    }
  /**
   * Read the bundle with every check (its session created to check the model's interface, then released) and
   * post the manifest and the model bytes on each of `handOff`, keeping nothing: the work of a loader thread that
   * serves no calls, so that the scoring threads only adopt.
   */
  | { type: 'check'; dir: string; handOff: MessagePort[] }
  /**
   * Create a session of bundle bytes another thread has read and checked, as {@link BundleHandOff} waiting on
   * `from`: no file reading, hashing or parsing.
   */
  | { type: 'adopt'; key: string; dir: string; settings: ThreadLoadSettings; from: MessagePort }
  /**
   * Open an encoder or cross-encoder bundle, told apart by its manifest's format, with every check
   * (`loadTransformerBundleScorer`) and answer with its manifest, identity and size; `pairs` and `batch` calls
   * with its key score with it.
   */
  | {
      type: 'load-encoder';
      key: string;
      dir: string;
      settings: ThreadLoadSettings;
      /** Answer with the manifest (the first thread); the others answer with its identity and size only. */
      withManifest: boolean;
    }
  | { type: 'unload'; key: string }
  | {
      type: 'pairs';
      key: string;
      query: string;
      items: readonly string[];
      options?: ScorePairsOptions;
    }
  /** Pairs as two columns (cheaper to clone than one object per pair). */
  | {
      type: 'batch';
      key: string;
      queries: readonly string[];
      items: readonly string[];
      options?: ScorePairsOptions;
    };

/**
 * A message to a scoring thread; the string `'close'` asks the thread to release its sessions and end. @internal
 */
export type ThreadRequest = (ThreadCall & { id: number }) | 'close';

/** An error as it crosses threads; a BundleError keeps its code, path, reason and hint. */
export interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly bundle?: { code: BundleErrorCode; path: string; reason: string; hint: string };
}

/** A scoring thread's answer. @internal */
export type ThreadResponse =
  | {
      id: number;
      ok: true;
      dir?: string;
      /** The checked manifest (a `load`). */
      manifest?: BundleManifest;
      /**
       * The checked encoder or cross-encoder bundle (a `load-encoder`): its manifest when asked for (without the
       * detectors' fitted states, which only the scoring threads read), manifest.json's sha256, its bytes.
       */
      encoder?: {
        manifest?: EncoderBundleManifest | CrossEncoderBundleManifest;
        sha256: string;
        bytes: number;
      };
      scores?: WireScores;
    }
  | { id: number; ok: false; error: ThreadError };

/** An error of any kind as a {@link ThreadError}, to post from a worker thread. */
export function toThreadError(error: unknown): ThreadError {
  if (isBundleError(error))
    return {
      name: error.name,
      message: error.message,
      bundle: { code: error.code, path: error.path, reason: error.reason, hint: error.hint },
    };
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}

/**
 * The error a thread reported, as an Error on this thread: a BundleError as itself, anything else as an Error
 * that keeps the original name, its message prefixed with where it happened when `context` is given.
 */
export function reviveThreadError(error: ThreadError, context?: string): Error {
  if (error.bundle !== undefined)
    return new BundleError(
      error.bundle.code,
      { path: error.bundle.path, reason: error.bundle.reason },
      { hint: error.bundle.hint },
    );
  const revived = new Error(context === undefined ? error.message : `${context}: ${error.message}`);
  revived.name = error.name;
  return revived;
}

/** The buffers of a result's typed arrays, each once, to transfer with it. @internal */
export function transferList(scores: WireScores): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const take = (array: { buffer: ArrayBufferLike } | undefined): void => {
    if (array?.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  };
  take(scores.probs);
  take(scores.expected);
  take(scores.predicted);
  take(scores.rank);
  take(scores.features);
  for (const o of Object.values(scores.ood)) {
    take(o.score);
    take(o.percentile);
    take(o.flag);
  }
  return [...buffers];
}
