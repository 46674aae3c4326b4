import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '@gradeshift/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadBundleScorer } from '../bundle/load-bundle-scorer';
import { createSmallBundle } from '../bundle/test-fixtures';
import { writeTinyEncoderBundle } from '../testing';
import { writeBundle } from '../bundle/write-bundle';
import {
  callThread,
  closePoolThread,
  loadAcrossThreads,
  loadEncoderAcrossThreads,
  pickThread,
  startPoolThread,
  type PoolThread,
} from './pool-thread';
import type { ThreadLoadSettings } from './thread-messages';

describe('pickThread', () => {
  it('sends a call to the least busy thread, the first of equals', () => {
    const threads = [
      { name: 'a', busy: 2, loading: 0 },
      { name: 'b', busy: 1, loading: 0 },
      { name: 'c', busy: 1, loading: 0 },
    ];
    expect(pickThread(threads)?.name).toBe('b');
  });

  it('skips a thread that is loading a model, however busy the others are', () => {
    const threads = [
      { name: 'a', busy: 1, loading: 1 },
      { name: 'b', busy: 7, loading: 0 },
    ];
    expect(pickThread(threads)?.name).toBe('b');
    expect(pickThread([...threads].reverse())?.name).toBe('b');
  });

  it('falls back to the least busy loading thread when all are loading, and to nothing without threads', () => {
    const threads = [
      { name: 'a', busy: 3, loading: 1 },
      { name: 'b', busy: 2, loading: 1 },
    ];
    expect(pickThread(threads)?.name).toBe('b');
    expect(pickThread([])).toBeUndefined();
  });
});

const ITEMS = ['Simpson steel angle bracket', 'rain shower head 8 inch', 'white deck paint', ''];
const SETTINGS: ThreadLoadSettings = { batchSize: 3, ortThreads: 1, gemm: 'float64' };

// Boots two worker threads that load onnxruntime: seconds on a busy 2-core machine.
describe('loadAcrossThreads', { timeout: 30_000 }, () => {
  let root: string;
  let dirs: string[];
  let threads: PoolThread[];
  let loader: PoolThread;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gradeshift-pool-'));
    dirs = [2, 3].map((seed) => {
      const small = createSmallBundle(seed);
      const dir = join(root, `bundle-${seed}`);
      return writeBundle({ dir, model: small.model, manifest: small.draft }).dir;
    });
    threads = [startPoolThread(), startPoolThread()];
    loader = startPoolThread('scoring loader');
  });
  afterAll(async () => {
    await Promise.all([...threads, loader].map(closePoolThread));
    rmSync(root, { recursive: true, force: true });
  });

  it('loads in one thread after the other; the adopting thread scores as the calling thread does', async () => {
    const [first, second] = threads as [PoolThread, PoolThread];
    const loaded = await loadAcrossThreads(threads, {
      key: 'a',
      dir: dirs[0] ?? '',
      settings: SETTINGS,
    });
    const reference = await loadBundleScorer(dirs[0] ?? '', { batchSize: 3 });
    try {
      expect(loaded.manifest).toEqual(reference.bundle.manifest);
      const expected = await reference.scorer.scorePairs('angle bracket', ITEMS);
      for (const thread of threads) {
        const { scores } = await callThread(thread, {
          type: 'pairs',
          key: 'a',
          query: 'angle bracket',
          items: ITEMS,
        });
        expect(scores?.rank).toEqual(expected.rank);
        expect(scores?.predicted).toEqual(expected.predicted);
        const worst = Math.max(
          ...Array.from(expected.probs, (p, i) => Math.abs(p - (scores?.probs[i] ?? NaN))),
        );
        expect(worst).toBeLessThan(1e-6);
      }
      // A reload: the first thread loads while the second keeps answering with the model it replaces.
      const reload = loadAcrossThreads(threads, {
        key: 'b',
        dir: dirs[1] ?? '',
        settings: SETTINGS,
      });
      expect([first.loading, second.loading]).toEqual([1, 0]);
      expect(pickThread(threads)).toBe(second);
      const during = await callThread(second, {
        type: 'pairs',
        key: 'a',
        query: 'deck',
        items: ITEMS,
      });
      expect(during.scores?.count).toBe(ITEMS.length);
      const reloaded = await reload;
      expect(reloaded.manifest.model.sha256).not.toBe(loaded.manifest.model.sha256);
      expect([first.loading, second.loading]).toEqual([0, 0]);
      await callThread(second, { type: 'unload', key: 'a' });
      await expect(
        callThread(second, { type: 'pairs', key: 'a', query: 'deck', items: ITEMS }),
      ).rejects.toThrow('scoring thread: no model loaded under a');
    } finally {
      await reference.dispose();
    }
  });

  it('with a loader thread, every scoring thread only adopts and the loader keeps nothing', async () => {
    const loaded = await loadAcrossThreads(threads, {
      key: 'c',
      dir: dirs[1] ?? '',
      settings: SETTINGS,
      loader,
    });
    const reference = await loadBundleScorer(dirs[1] ?? '', { batchSize: 3 });
    try {
      expect(loaded.manifest).toEqual(reference.bundle.manifest);
      expect(loaded.dir).toBe(reference.bundle.dir);
      const expected = await reference.scorer.scorePairs('rain shower', ITEMS);
      for (const thread of threads) {
        const { scores } = await callThread(thread, {
          type: 'pairs',
          key: 'c',
          query: 'rain shower',
          items: ITEMS,
        });
        expect(scores?.rank).toEqual(expected.rank);
        const worst = Math.max(
          ...Array.from(expected.probs, (p, i) => Math.abs(p - (scores?.probs[i] ?? NaN))),
        );
        expect(worst).toBeLessThan(1e-6);
      }
      await expect(
        callThread(loader, { type: 'pairs', key: 'c', query: 'deck', items: ITEMS }),
      ).rejects.toThrow('no model loaded under c');
    } finally {
      await reference.dispose();
    }
  });

  it('with a loader thread, a bundle that fails its checks is refused before any scoring thread adopts', async () => {
    const broken = join(root, 'broken');
    const small = createSmallBundle(4);
    writeBundle({ dir: broken, model: small.model, manifest: small.draft });
    writeFileSync(join(broken, 'model.onnx'), Uint8Array.from([1, 2, 3]));
    await expect(
      loadAcrossThreads(threads, { key: 'd', dir: broken, settings: SETTINGS, loader }),
    ).rejects.toThrow(/sha256|checksum|bytes/);
    expect(threads.map((t) => t.loading)).toEqual([0, 0]);
    await expect(
      callThread(threads[0]!, { type: 'pairs', key: 'd', query: 'x', items: ITEMS }),
    ).rejects.toThrow('no model loaded under d');
  });
});

// Boots two worker threads that load onnxruntime and a tiny encoder bundle.
describe('loadEncoderAcrossThreads', { timeout: 60_000 }, () => {
  let root: string;
  let threads: PoolThread[];
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gradeshift-pool-encoder-'));
    threads = [startPoolThread(), startPoolThread()];
  });
  afterAll(async () => {
    await Promise.all(threads.map(closePoolThread));
    rmSync(root, { recursive: true, force: true });
  });

  it("loads in every thread; the HTTP thread gets the manifest's identity without the detectors' states", async () => {
    const { dir } = await writeTinyEncoderBundle(join(root, 'tiny'));
    const loaded = await loadEncoderAcrossThreads(threads, { key: 'e', dir, settings: SETTINGS });
    expect(loaded.sha256).toBe(sha256Hex(readFileSync(join(dir, 'manifest.json'))));
    const full = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      ood: Record<string, { source: { kind: string; state?: unknown } }>;
    };
    const detectors = Object.entries(full.ood).filter(([, o]) => o.source.kind === 'detector');
    expect(detectors.length).toBeGreaterThan(0);
    const served = loaded.manifest.ood as unknown as typeof full.ood;
    for (const [name] of detectors) expect(served[name]?.source.state).toEqual({ stripped: true });
    // Both threads score with the full bundle all the same.
    for (const thread of threads) {
      const { scores } = await callThread(thread, {
        type: 'pairs',
        key: 'e',
        query: 'cordless drill',
        items: ITEMS,
      });
      expect(scores?.count).toBe(ITEMS.length);
    }
  });
});
