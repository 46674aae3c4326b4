/**
 * @file One scoring thread as the pool sees it: the worker, its calls in flight and loads in progress, and the
 * choice of the thread a call goes to.
 */
import { Worker, type Transferable } from 'node:worker_threads';

import { reviveThreadError } from '@gradeshift/pipeline';

import type { PoolCall, PoolResponse } from './pool-messages';

type Answer = PoolResponse & { ok: true };

/** A scoring thread of the pool. @internal */
export interface PoolThread {
  readonly worker: Worker;
  /** Calls in flight. */
  busy: number;
  /** Loads in progress: a loading thread answers nothing else until the load ends. */
  loading: number;
  readonly pending: Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>;
}

let nextId = 0;

/**
 * Starts a scoring thread; its answers settle the calls waiting for them, and its crash rejects them all.
 * @returns the thread, idle
 * @internal
 */
export function startPoolThread(): PoolThread {
  const thread: PoolThread = {
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
}

/**
 * Sends a call to a thread.
 * @param thread - the thread
 * @param call - the message (its id is added here)
 * @param transfer - objects the message moves to the thread (message ports)
 * @returns the thread's answer; rejects with the thread's error
 * @internal
 */
export function callThread(
  thread: PoolThread,
  call: PoolCall,
  transfer: readonly Transferable[] = [],
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const id = nextId++;
    thread.busy += 1;
    thread.pending.set(id, { resolve, reject });
    thread.worker.postMessage({ ...call, id }, transfer);
  });
}

/**
 * Sends a load to a thread, marked as loading meanwhile so that calls go to the other threads.
 * @param thread - the thread
 * @param call - a `load` or `adopt` message
 * @returns the thread's answer
 * @internal
 */
export async function loadInThread(
  thread: PoolThread,
  call: Extract<PoolCall, { type: 'load' | 'adopt' }>,
): Promise<Answer> {
  thread.loading += 1;
  try {
    return await callThread(thread, call, call.type === 'load' ? call.handOff : [call.from]);
  } finally {
    thread.loading -= 1;
  }
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
