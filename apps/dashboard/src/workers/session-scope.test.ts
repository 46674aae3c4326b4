import { encoderHeadOnnx } from '@gradeshift/core';
import { createWebBackend } from '@gradeshift/core/web';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import { describe, expect, it } from 'vitest';

import { withSessions } from './session-scope';

/** onnxruntime-web's WASM files where npm put them (the dashboard serves a copy at /ort/). */
const wasmPaths = `${dirname(createRequire(import.meta.url).resolve('onnxruntime-web'))}/`;

/** A one-input grade head as ONNX: real bytes onnxruntime-web (the worker's runtime, here on Node) loads. */
const model = encoderHeadOnnx(
  {
    inputs: 1,
    hidden: 1,
    grades: 2,
    mean: Float64Array.of(0),
    scale: Float64Array.of(1),
    w1: Float64Array.of(1),
    b1: Float64Array.of(0),
    w2: Float64Array.of(1, -1),
    b2: Float64Array.of(0, 0),
  },
  { dim: 1, blocks: ['q'], lexical: 0 },
);
const one = (x: number) => ({ type: 'float32', dims: [1, 1], data: Float32Array.of(x) }) as const;
const feeds = { query_embedding: one(2), item_embedding: one(1) };

describe('withSessions', () => {
  it('disposes every session created before the build throws, and rethrows its error', async () => {
    const backend = createWebBackend({ wasmPaths, numThreads: 1 });
    const created: Awaited<ReturnType<typeof backend.createSession>>[] = [];
    await expect(
      withSessions(backend, async (createSession) => {
        created.push(await createSession(model), await createSession(model));
        await expect(created[0]?.run(feeds)).resolves.toHaveProperty('probs');
        throw new Error('the head does not check');
      }),
    ).rejects.toThrow('the head does not check');
    expect(created).toHaveLength(2);
    for (const session of created) await expect(session.run(feeds)).rejects.toThrow(/disposed/);
  });

  it('leaves the sessions of a successful build to it', async () => {
    const session = await withSessions(
      createWebBackend({ wasmPaths, numThreads: 1 }),
      (createSession) => createSession(model),
    );
    const out = await session.run(feeds);
    expect(out['probs']?.dims).toEqual([1, 2]);
    await session.dispose();
  });
});
