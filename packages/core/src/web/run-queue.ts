/**
 * A promise queue that runs async tasks one at a time, in call order. onnxruntime-web's WASM and WebGPU
 * sessions reject overlapping calls ("Session already started"), which a UI issuing a run per keystroke
 * triggers easily; queueing makes concurrent callers safe without each one coordinating.
 * @see https://onnxruntime.ai/docs/api/js/interfaces/InferenceSession-1.html
 */

/** Runs queued tasks strictly one after another. */
export interface RunQueue {
  /** Schedules `task` after every task queued before it; settles with its result. A failure does not stop the queue. */
  enqueue<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks queued or running. */
  readonly pending: number;
}

/**
 * Creates an empty {@link RunQueue}.
 * @example
 * const queue = createRunQueue();
 * const [a, b] = await Promise.all([queue.enqueue(() => session.run(f1)), queue.enqueue(() => session.run(f2))]);
 */
export function createRunQueue(): RunQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let pending = 0;
  return {
    enqueue<T>(task: () => Promise<T>): Promise<T> {
      pending++;
      const result = tail.then(task).finally(() => {
        pending--;
      });
      // The chain continues after a failure; the caller still sees the rejection through `result`.
      tail = result.catch(() => undefined);
      return result;
    },
    get pending() {
      return pending;
    },
  };
}
