import { describe, expect, it } from 'vitest';

import type { BundleManifest, BundleScorer } from '@gradeshift/core';

import { createModelRegistry, UnknownModelError, type LoadedScorer } from './model-registry';

/** A fake bundle per folder name; `broken` fails to load. */
function fakeLoader() {
  const disposed: string[] = [];
  let loads = 0;
  const load = (dir: string): Promise<LoadedScorer> => {
    loads += 1;
    if (dir === 'broken') return Promise.reject(new Error('broken bundle'));
    const tag = `${dir}#${loads}`;
    return Promise.resolve({
      bundle: { dir, manifest: { model: { sha256: tag } } as unknown as BundleManifest },
      scorer: {} as BundleScorer,
      dispose: () => {
        disposed.push(tag);
        return Promise.resolve();
      },
    });
  };
  return { load, disposed };
}

describe('createModelRegistry', () => {
  it('keeps a leased model until its request ends, then disposes it', async () => {
    const { load, disposed } = fakeLoader();
    const registry = createModelRegistry(load);
    await registry.add('m', 'a');
    const lease = registry.acquire('m');
    const next = await registry.reload('m', 'b');
    expect(next.version).toBe(2);
    expect(lease.model.dir).toBe('a');
    expect(registry.acquire('m').model.dir).toBe('b');
    expect(disposed).toEqual([]);
    lease.release();
    lease.release();
    expect(disposed).toEqual(['a#1']);
  });

  it('refuses a broken bundle and keeps the old model', async () => {
    const { load } = fakeLoader();
    const registry = createModelRegistry(load);
    await registry.add('m', 'a');
    await expect(registry.reload('m', 'broken')).rejects.toThrow('broken bundle');
    expect(registry.get('m')).toMatchObject({ dir: 'a', version: 1 });
    // The queue is not poisoned by the failure.
    expect((await registry.reload('m')).version).toBe(2);
  });

  it('runs reloads of one id one at a time, in order', async () => {
    const { load } = fakeLoader();
    const registry = createModelRegistry(load);
    await registry.add('m', 'a');
    const results = await Promise.all([registry.reload('m', 'b'), registry.reload('m', 'c')]);
    expect(results.map((m) => [m.dir, m.version])).toEqual([
      ['b', 2],
      ['c', 3],
    ]);
  });

  it('names the served models for an unknown id, and defaults to the first', async () => {
    const { load, disposed } = fakeLoader();
    const registry = createModelRegistry(load);
    await registry.add('first', 'a');
    await registry.add('second', 'b');
    const lease = registry.acquire();
    expect(lease.model.id).toBe('first');
    lease.release();
    expect(() => registry.acquire('x')).toThrow(UnknownModelError);
    expect(() => registry.acquire('x')).toThrow('first, second');
    await expect(registry.add('first', 'c')).rejects.toThrow(RangeError);
    await registry.close();
    expect(disposed.sort()).toEqual(['a#1', 'b#2']);
  });
});
