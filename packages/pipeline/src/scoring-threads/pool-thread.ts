/**
 * @file One scoring thread as a pool sees it (the worker, its calls in flight and loads in progress), the choice
 * of the thread a call goes to, and the loading of a bundle across a pool's threads. Shared by the pipeline's
 * {@link startScoringThreads} and the API's scoring pool.
 */
import { join } from 'node:path';
import { MessageChannel, Worker, type Transferable } from 'node:worker_threads';

import type {
  BundleManifest,
  CrossEncoderBundleManifest,
  EncoderBundleManifest,
} from '@gradeshift/core';
import { createNativeGuard, terminateOutsideNative } from '@gradeshift/core/node';

import { BundleError } from '../bundle/bundle-error';
import {
  reviveThreadError,
  type ThreadCall,
  type ThreadLoadSettings,
  type ThreadResponse,
} from './thread-messages';

/** A scoring thread's successful answer. @internal */
export type ThreadAnswer = ThreadResponse & { ok: true };

/** A scoring thread of a pool. @internal */
export interface PoolThread {
  readonly worker: Worker;
  /** The thread's native guard (core/node's native-guard.ts): it is terminated only outside onnxruntime calls. */
  readonly guard: SharedArrayBuffer;
  /** Prefixed to the thread's errors (other than a BundleError), when given. */
  readonly name: string | undefined;
  /** Calls in flight. */
  busy: number;
  /** Loads in progress: a loading thread answers nothing else until the load ends. */
  loading: number;
  readonly pending: Map<
    number,
    {
      resolve: (r: ThreadAnswer) => void;
      reject: (e: Error) => void;
      /** Prefixed to the call's error (other than a BundleError). */
      context: string | undefined;
    }
  >;
  /** Set once the thread has exited or failed: later calls reject with it. */
  dead: Error | undefined;
  /** Settles when the worker has exited. */
  readonly exited: Promise<void>;
}

let nextId = 0;

/** How long a closing thread may take to release its sessions before it is terminated. */
const CLOSE_GRACE_MS = 2000;

/**
 * Starts a scoring thread; its answers settle the calls waiting for them, and its crash or exit rejects them all.
 * @param name - prefixed to the thread's errors (as `scoring thread 0: …`); none when undefined
 * @returns the thread, idle
 * @internal
 */
export function startPoolThread(name?: string): PoolThread {
  const guard = createNativeGuard();
  const worker = new Worker(new URL('./scoring-thread-boot.mjs', import.meta.url), {
    workerData: { nativeGuard: guard },
  });
  const thread: PoolThread = {
    worker,
    guard,
    name,
    busy: 0,
    loading: 0,
    pending: new Map(),
    dead: undefined,
    exited: new Promise((resolve) => worker.once('exit', () => resolve())),
  };
  const label = name ?? 'scoring thread';
  const fail = (error: Error): void => {
    thread.dead ??= error;
    for (const waiting of thread.pending.values()) waiting.reject(error);
    thread.pending.clear();
  };
  worker.on('message', (response: ThreadResponse) => {
    const waiting = thread.pending.get(response.id);
    if (waiting === undefined) return;
    thread.pending.delete(response.id);
    thread.busy -= 1;
    if (response.ok) waiting.resolve(response);
    else waiting.reject(reviveThreadError(response.error, waiting.context));
  });
  worker.on('error', (error) =>
    fail(new Error(`${label} failed: ${error.message}`, { cause: error })),
  );
  worker.on('messageerror', (error) =>
    fail(new Error(`${label} sent a message that could not be read`, { cause: error })),
  );
  worker.on('exit', (code) =>
    fail(new Error(`${label} exited (code ${code}) with work pending or before it was ready`)),
  );
  return thread;
}

/**
 * Sends a call to a thread.
 * @param thread - the thread
 * @param call - the message (its id is added here)
 * @param options - `transfer`: objects the message moves to the thread (message ports); `context`: prefixed to
 * the call's error (other than a BundleError), by default the thread's name
 * @returns the thread's answer; rejects with the thread's error, or at once when the thread is dead
 * @internal
 */
export function callThread(
  thread: PoolThread,
  call: ThreadCall,
  options: { transfer?: readonly Transferable[]; context?: string | undefined } = {},
): Promise<ThreadAnswer> {
  const { transfer = [], context = thread.name } = options;
  if (thread.dead !== undefined) return Promise.reject(thread.dead);
  return new Promise<ThreadAnswer>((resolve, reject) => {
    const id = nextId++;
    thread.busy += 1;
    thread.pending.set(id, { resolve, reject, context });
    thread.worker.postMessage({ ...call, id }, transfer);
  });
}

/**
 * Sends a load to a thread, marked as loading meanwhile so that calls go to the other threads.
 * @param thread - the thread
 * @param call - a `load` or `adopt` message
 * @returns the thread's answer; a named thread's error (other than a BundleError) says it could not load the
 * folder
 * @internal
 */
export async function loadInThread(
  thread: PoolThread,
  call: Extract<ThreadCall, { type: 'load' | 'adopt' | 'load-encoder' }>,
): Promise<ThreadAnswer> {
  thread.loading += 1;
  try {
    const transfer = call.type === 'load' ? call.handOff : call.type === 'adopt' ? [call.from] : [];
    const context = thread.name && `${thread.name} could not load ${call.dir}`;
    return await callThread(thread, call, { transfer, context });
  } finally {
    thread.loading -= 1;
  }
}

/**
 * Loads a bundle under `key` in every thread, one thread after the other. One thread reads and checks it (files,
 * manifest, checksum, model interface, as `loadBundleScorer` does): the `loader` when given (a thread that serves
 * no calls, so no scoring thread stalls on the reading and checking), else the first scoring thread. The others
 * adopt its checked manifest and model bytes, handed over thread to thread (moved, not copied, to the last), and
 * only create their session. While one thread loads, the others keep answering calls.
 * @param threads - the pool's threads (at least one)
 * @param load - the key, the bundle folder and how to run it; `loader`, the thread that reads and checks
 * @returns the checked folder and manifest; on failure the threads that loaded keep the key (unload it)
 * @internal
 */
export async function loadAcrossThreads(
  threads: readonly PoolThread[],
  load: { key: string; dir: string; settings: ThreadLoadSettings; loader?: PoolThread | undefined },
): Promise<{ dir: string; manifest: BundleManifest }> {
  const { loader, ...call } = load;
  if (threads[0] === undefined) throw new RangeError('a bundle loads in at least one thread');
  const adopting = loader === undefined ? threads.slice(1) : threads;
  const channels = adopting.map(() => new MessageChannel());
  const handOff = channels.map((channel) => channel.port1);
  const first =
    loader === undefined
      ? await loadInThread(threads[0], { type: 'load', ...call, handOff })
      : await callThread(loader, { type: 'check', dir: call.dir, handOff }, { transfer: handOff });
  const { manifest } = first;
  if (manifest === undefined) throw new Error('scoring thread loaded no manifest');
  const dir = first.dir ?? call.dir;
  for (const [i, thread] of adopting.entries()) {
    const from = channels[i]?.port2 ?? new MessageChannel().port2;
    await loadInThread(thread, { type: 'adopt', ...call, dir, from });
  }
  return { dir, manifest };
}

/**
 * Loads an encoder or cross-encoder bundle under `key` in every thread, one thread after the other, each opening
 * it with every check (such a bundle is several files: no hand-over of checked bytes). While one thread loads, the others
 * keep answering calls; the first thread's refusal ends the load.
 * @param threads - the pool's threads (at least one)
 * @param load - the key, the bundle folder and how to run it
 * @returns the checked folder, manifest, identity (manifest.json's sha256) and bytes; on failure the threads
 *   that loaded keep the key (unload it)
 * @internal
 */
export async function loadEncoderAcrossThreads(
  threads: readonly PoolThread[],
  load: { key: string; dir: string; settings: ThreadLoadSettings },
): Promise<{
  dir: string;
  manifest: EncoderBundleManifest | CrossEncoderBundleManifest;
  sha256: string;
  bytes: number;
}> {
  const [first, ...others] = threads;
  if (first === undefined) throw new RangeError('a bundle loads in at least one thread');
  const loadIn = async (thread: PoolThread, withManifest: boolean) => {
    const { dir, encoder } = await loadInThread(thread, {
      type: 'load-encoder',
      ...load,
      withManifest,
    });
    if (encoder === undefined) throw new Error('scoring thread loaded no encoder bundle');
    return { dir: dir ?? load.dir, ...encoder };
  };
  const answer = await loadIn(first, true);
  const { manifest } = answer;
  if (manifest === undefined) throw new Error('scoring thread sent no manifest');
  for (const thread of others) {
    // Each thread opens the folder itself: a bundle written over while they load would leave them serving two
    // bundles under one id, silently. The same manifest.json in every thread, or the load is refused.
    const { sha256 } = await loadIn(thread, false);
    if (sha256 !== answer.sha256)
      throw new BundleError(
        'CHECKSUM_MISMATCH',
        {
          path: join(answer.dir, 'manifest.json'),
          reason: `the bundle changed while it loaded (sha256 ${answer.sha256} in one scoring thread, ${sha256} in another)`,
        },
        { hint: 'load it again once it is written whole' },
      );
  }
  return { ...answer, manifest };
}

/**
 * Ends a thread: asks it to release its sessions and end, and terminates it after a grace period; later calls
 * reject.
 * @param thread - the thread
 * @internal
 */
export async function closePoolThread(thread: PoolThread): Promise<void> {
  thread.dead ??= new Error('the scoring threads were closed');
  thread.worker.postMessage('close');
  const timer = setTimeout(
    () => void terminateOutsideNative(thread.worker, thread.guard),
    CLOSE_GRACE_MS,
  );
  await thread.exited;
  clearTimeout(timer);
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
