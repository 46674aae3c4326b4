import { describe, expect, it } from 'vitest';

import { createWebBackend } from './create-web-backend';
import { createRunQueue } from './run-queue';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('createRunQueue', () => {
  it('runs tasks one at a time in call order', async () => {
    const queue = createRunQueue();
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const task = (i: number) => async (): Promise<number> => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await tick();
      order.push(i);
      running--;
      return i * 10;
    };
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => queue.enqueue(task(i))));
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(maxRunning).toBe(1);
    expect(queue.pending).toBe(0);
  });

  it('reports a failure to its caller and keeps serving later tasks', async () => {
    const queue = createRunQueue();
    const failed = queue.enqueue(() => Promise.reject(new Error('Session already started')));
    const next = queue.enqueue(() => Promise.resolve('ok'));
    expect(queue.pending).toBe(2);
    await expect(failed).rejects.toThrow('Session already started');
    await expect(next).resolves.toBe('ok');
  });
});

describe('createWebBackend options', () => {
  it('validates device and threads without loading the runtime', () => {
    expect(() => createWebBackend({ wasmPaths: '/ort/', device: 'webgl' as 'wasm' })).toThrow(
      "onnxruntime-web: unknown device 'webgl'; available devices: 'wasm', 'webgpu'",
    );
    expect(() => createWebBackend({ wasmPaths: '/ort/', numThreads: -1 })).toThrow(
      'numThreads must be a non-negative integer (got -1)',
    );
    expect(createWebBackend({ wasmPaths: '/ort/' }).name).toBe('onnxruntime-web/wasm');
    expect(createWebBackend({ wasmPaths: '/ort/', device: 'webgpu' }).name).toBe(
      'onnxruntime-web/webgpu',
    );
  });
});
