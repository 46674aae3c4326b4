import { describe, expect, it } from 'vitest';

import { createJobRunner, JobLimitError } from './job-runner';

const settle = async (runner: ReturnType<typeof createJobRunner>, id: string) => {
  for (let i = 0; i < 200 && runner.get(id)?.status === 'running'; i++)
    await new Promise((done) => setTimeout(done, 5));
  return runner.get(id);
};

describe('createJobRunner', () => {
  it('runs a job in the background with progress, then keeps its result', async () => {
    const runner = createJobRunner({ maxConcurrent: 1 });
    let finish: () => void = () => undefined;
    const job = runner.submit('evaluate', async (context) => {
      context.progress({ stage: 'scoring', done: 1, total: 2 });
      await new Promise<void>((done) => {
        finish = done;
      });
      return { answer: 42 };
    });
    expect(job.status).toBe('running');
    await new Promise((done) => setTimeout(done, 5));
    expect(runner.get(job.id)?.progress).toEqual({ stage: 'scoring', done: 1, total: 2 });
    expect(() => runner.submit('select', () => Promise.resolve(1))).toThrow(JobLimitError);
    finish();
    expect(await settle(runner, job.id)).toMatchObject({
      status: 'succeeded',
      result: { answer: 42 },
    });
    expect(runner.running()).toBe(0);
  });

  it('cancels through the abort signal, and records failures', async () => {
    const runner = createJobRunner({ maxConcurrent: 2 });
    const job = runner.submit(
      'evaluate',
      (context) =>
        new Promise((_, reject) => {
          context.signal.addEventListener('abort', () => reject(context.signal.reason as Error));
        }),
    );
    const failing = runner.submit('select', () => Promise.reject(new Error('bad mapping')));
    expect(runner.cancel(job.id)).toBe(true);
    expect(await settle(runner, job.id)).toMatchObject({ status: 'cancelled' });
    expect(await settle(runner, failing.id)).toMatchObject({
      status: 'failed',
      error: 'bad mapping',
    });
    expect(runner.cancel(job.id)).toBe(false);
  });

  it('keeps only the newest finished jobs', async () => {
    const runner = createJobRunner({ maxConcurrent: 5, retention: 2 });
    const ids = [1, 2, 3].map((n) => runner.submit('select', () => Promise.resolve(n)).id);
    for (const id of ids) await settle(runner, id);
    expect(runner.list().map((j) => j.result)).toEqual([3, 2]);
    expect(runner.get(ids[0]!)).toBeUndefined();
  });

  it('aborts running jobs at shutdown', async () => {
    const runner = createJobRunner({ maxConcurrent: 1 });
    const job = runner.submit(
      'evaluate',
      (context) =>
        new Promise((_, reject) =>
          context.signal.addEventListener('abort', () => reject(new Error('stopped'))),
        ),
    );
    await runner.shutdown(1000);
    expect(runner.get(job.id)?.status).toBe('cancelled');
  });

  it('awaits afterWork before a job shows as done, whether it succeeded or failed', async () => {
    const order: string[] = [];
    const runner = createJobRunner({
      maxConcurrent: 2,
      afterWork: async () => {
        await new Promise((done) => setTimeout(done, 20));
        order.push(`copied while ${[...runner.list()].map((j) => j.status).join(',')}`);
      },
    });
    const ok = runner.submit('evaluate', () => Promise.resolve(1));
    expect(await settle(runner, ok.id)).toMatchObject({ status: 'succeeded' });
    const failed = runner.submit('evaluate', () => Promise.reject(new Error('boom')));
    expect(await settle(runner, failed.id)).toMatchObject({ status: 'failed', error: 'boom' });
    expect(order).toEqual(['copied while running', 'copied while running,succeeded']);
  });
});
