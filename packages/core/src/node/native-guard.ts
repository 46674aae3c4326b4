/**
 * @file Terminating a worker thread while it is inside onnxruntime-node's native code aborts the whole process:
 * when the native run returns into an isolate that is being terminated, the addon's result conversion throws a C++
 * `Napi::Error` that cannot reach JavaScript ("terminate called after throwing an instance of 'Napi::Error'"),
 * taking the host (an API server, a CLI) down with the thread. The guard avoids that without giving up
 * termination: a thread that installs one counts its onnxruntime calls (session creation, runs, release) in memory
 * shared with its host; to end it, the host first forbids new calls, then waits until none is in progress, then
 * terminates it. JavaScript loops (a bootstrap, a training epoch) stay interruptible at any point.
 *
 * The order of the two shared counters makes the hand-over safe (sequentially consistent `Atomics`): a thread
 * counts itself in before it reads the stop flag, and the host raises the flag before it reads the count, so
 * either the thread sees the flag and does not enter, or the host sees the thread inside and waits.
 */
import { CoreError } from '../errors';

const IN_NATIVE = 0;
const STOP = 1;

/** This thread's guard: its calls in progress and the host's stop flag (undefined: no guard installed). */
let flags: Int32Array | undefined;

/** Shared memory for one thread's guard: give it to the thread (e.g. in `workerData`) and keep it to stop it. */
export function createNativeGuard(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Installs the guard in this thread, so every onnxruntime call of `createNodeBackend` sessions is counted.
 * @param buffer - from {@link createNativeGuard} in the host; undefined removes the guard
 */
export function installNativeGuard(buffer: SharedArrayBuffer | undefined): void {
  flags = buffer === undefined ? undefined : new Int32Array(buffer);
}

/**
 * Runs an onnxruntime call counted by this thread's guard (as is, without one).
 * @throws CoreError `MODEL_RUN_FAILED` when the host is stopping this thread (no new call starts)
 */
export async function guardNative<T>(task: () => Promise<T>): Promise<T> {
  const f = flags;
  if (f === undefined) return task();
  Atomics.add(f, IN_NATIVE, 1);
  if (Atomics.load(f, STOP) !== 0) {
    Atomics.sub(f, IN_NATIVE, 1);
    throw new CoreError(
      'MODEL_RUN_FAILED',
      'this thread is being stopped: no new onnxruntime call starts',
    );
  }
  try {
    return await task();
  } finally {
    Atomics.sub(f, IN_NATIVE, 1);
  }
}

/** The part of a `Worker` {@link terminateOutsideNative} uses. */
export interface GuardedWorker {
  terminate(): Promise<number>;
  once(event: 'exit', listener: (code: number) => void): unknown;
  readonly threadId: number;
}

/**
 * Ends a worker thread outside onnxruntime's native code: forbids its new onnxruntime calls (which then throw, so
 * its work fails and the thread can end by itself), waits (polling every few ms) until no call is in progress, gives
 * the thread `graceMs` to exit on its own, and terminates it if it has not. A call still in progress after
 * `maxWaitMs` (a model that never returns) is waited for no longer.
 * @param worker - the thread
 * @param buffer - its guard's memory (undefined: terminated at once)
 * @param options - `graceMs` @default 1000; `maxWaitMs` @default 30000
 * @returns the thread's exit code
 */
export async function terminateOutsideNative(
  worker: GuardedWorker,
  buffer: SharedArrayBuffer | undefined,
  options: { graceMs?: number; maxWaitMs?: number } = {},
): Promise<number> {
  if (worker.threadId < 0) return worker.terminate();
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  if (buffer !== undefined) {
    const f = new Int32Array(buffer);
    Atomics.store(f, STOP, 1);
    const deadline = Date.now() + (options.maxWaitMs ?? 30_000);
    while (Atomics.load(f, IN_NATIVE) > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 2));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), options.graceMs ?? 1000);
    });
    const code = await Promise.race([exited, grace]);
    clearTimeout(timer);
    if (code !== undefined) return code;
  }
  return worker.terminate();
}
