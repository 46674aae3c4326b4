/**
 * Sessions created for one load, released if the load fails: a failed load must not keep a model's WASM memory
 * (an encoder's session holds ~90 MB), and the worker loads again on the next request.
 */
import type { InferenceBackend, InferenceSessionLike } from '@gradeshift/core';

/** Creates a session from ONNX bytes, tracked by {@link withSessions}. */
export type CreateSession = (model: Uint8Array) => Promise<InferenceSessionLike>;

/**
 * Runs `build` with a session factory on `backend`; if `build` throws, every session it created is disposed and
 * the error rethrown. On success the sessions belong to what `build` returned.
 * @param backend - the runtime the sessions are created on
 * @param build - builds the scorer, creating its sessions through the factory it is given
 * @throws whatever `build` throws, after the disposal
 */
export async function withSessions<T>(
  backend: InferenceBackend,
  build: (createSession: CreateSession) => Promise<T>,
): Promise<T> {
  const sessions: InferenceSessionLike[] = [];
  try {
    return await build(async (model) => {
      const session = await backend.createSession(model);
      sessions.push(session);
      return session;
    });
  } catch (error) {
    // A session that will not release must not hide the load's own error.
    await Promise.allSettled(sessions.map((session) => session.dispose()));
    throw error;
  }
}
