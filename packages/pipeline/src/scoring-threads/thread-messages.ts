/**
 * The messages between {@link startScoringThreads} and its scoring threads, and the conversions of scores and
 * errors as they cross (typed arrays transferred, not copied; a BundleError keeps its code, path and hint).
 */
import type { BundleBatchScores, BundleManifest } from '@gradeshift/core';

import { BundleError, isBundleError, type BundleErrorCode } from '../bundle/bundle-error';

/** What a scoring thread loads, as its `workerData`. @internal */
export interface ThreadSetup {
  readonly dir: string;
  readonly batchSize: number | undefined;
  readonly oodScores: readonly string[] | undefined;
  readonly ortThreads: number;
  /** Whether this thread sends the manifest back (one thread does). */
  readonly sendManifest: boolean;
}

/**
 * A chunk of pairs to score, as two columns (cheaper to clone than one object per pair); the string `'close'`
 * asks the thread to release its session and end. @internal
 */
export interface ThreadRequest {
  readonly id: number;
  readonly queries: readonly string[];
  readonly items: readonly string[];
}

/** An error as it crosses threads; a BundleError keeps its code, path, reason and hint. */
export interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly bundle?: { code: BundleErrorCode; path: string; reason: string; hint: string };
}

/** A scoring thread's message. @internal */
export type ThreadReply =
  | { readonly type: 'ready'; readonly sha256: string; readonly manifest?: BundleManifest }
  | { readonly type: 'load-failed'; readonly error: ThreadError }
  | { readonly type: 'scores'; readonly id: number; readonly scores: BundleBatchScores }
  | { readonly type: 'failed'; readonly id: number; readonly error: ThreadError };

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
export function transferList(scores: BundleBatchScores): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const take = (array: { buffer: ArrayBufferLike } | undefined): void => {
    if (array?.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  };
  take(scores.probs);
  take(scores.expected);
  take(scores.predicted);
  take(scores.features);
  for (const o of Object.values(scores.ood)) {
    take(o.score);
    take(o.percentile);
    take(o.flag);
  }
  return [...buffers];
}
