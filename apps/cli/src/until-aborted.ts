/**
 * Races a long operation against the SIGINT abort signal, so a command can stop cleanly even when the
 * operation itself cannot be cancelled.
 */
import { InterruptedError } from './cli-errors';

/**
 * Resolves with `work`, or rejects with {@link InterruptedError} as soon as `signal` aborts (after running
 * `onAbort`, e.g. to mark the run interrupted in the store). The abandoned `work` keeps running until the
 * process exits, so the caller must exit promptly.
 * @param work - the operation
 * @param signal - aborted on SIGINT
 * @param onAbort - clean-up before rejecting; its own error is reported in the rejection message
 */
export async function untilAborted<TResult>(
  work: Promise<TResult>,
  signal: AbortSignal,
  onAbort: () => string | undefined = () => undefined,
): Promise<TResult> {
  if (signal.aborted) throw new InterruptedError(abortMessage(onAbort));
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => {
      reject(new InterruptedError(abortMessage(onAbort)));
    };
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (listener !== undefined) signal.removeEventListener('abort', listener);
  }
}

function abortMessage(onAbort: () => string | undefined): string {
  try {
    const note = onAbort();
    return note === undefined ? 'interrupted (SIGINT)' : `interrupted (SIGINT); ${note}`;
  } catch (error) {
    return `interrupted (SIGINT), and could not record it: ${error instanceof Error ? error.message : String(error)}`;
  }
}
