/**
 * @file A scoring thread: holds loaded bundles by key and scores on request, so ONNX runs (synchronous in
 * onnxruntime-node) and featurisation leave the HTTP thread free. Messages come from scoring-pool.ts.
 */
import { parentPort } from 'node:worker_threads';

import type { BundlePairScores, BundleScorer } from '@gradeshift/core';
import { createNodeBackend, createOrtGemm } from '@gradeshift/core/node';
import { loadBundleScorer, toThreadError, type LoadedBundleScorer } from '@gradeshift/pipeline';

import type { PoolRequest, PoolResponse, WireScores } from './scoring-pool';

const port = parentPort;
if (port === null) throw new Error('scoring-thread.ts runs only as a worker thread');

const loaded = new Map<string, LoadedBundleScorer>();
let runtime:
  | { backend: ReturnType<typeof createNodeBackend>; gemm: ReturnType<typeof createOrtGemm> }
  | undefined;

function wire(scores: Omit<BundlePairScores, 'rank'> & { rank?: Uint32Array }): {
  scores: WireScores;
  transfer: ArrayBuffer[];
} {
  const transfer: ArrayBuffer[] = [];
  const take = <TArray extends { buffer: ArrayBufferLike }>(array: TArray): TArray => {
    if (array.buffer instanceof ArrayBuffer && !transfer.includes(array.buffer))
      transfer.push(array.buffer);
    return array;
  };
  const ood: WireScores['ood'] = {};
  for (const [name, o] of Object.entries(scores.ood))
    ood[name] = {
      score: take(o.score),
      percentile: take(o.percentile),
      flag: take(o.flag),
      threshold: o.threshold,
    };
  return {
    scores: {
      count: scores.count,
      grades: [...scores.grades],
      probs: take(scores.probs),
      expected: take(scores.expected),
      predicted: take(scores.predicted),
      ...(scores.rank === undefined ? {} : { rank: take(scores.rank) }),
      ...(scores.features === undefined ? {} : { features: take(scores.features) }),
      ood,
    },
    transfer,
  };
}

function scorerOf(key: string): BundleScorer {
  const entry = loaded.get(key);
  if (entry === undefined) throw new Error(`scoring thread: no model loaded under ${key}`);
  return entry.scorer;
}

async function handle(request: PoolRequest): Promise<void> {
  const reply = (response: PoolResponse, transfer: ArrayBuffer[] = []) =>
    port?.postMessage(response, transfer);
  try {
    switch (request.type) {
      case 'load': {
        runtime ??= {
          backend: createNodeBackend({
            intraOpNumThreads: request.ortThreads,
            allowSpinning: false,
          }),
          gemm: createOrtGemm({
            dtype: 'float64',
            backendOptions: { intraOpNumThreads: request.ortThreads },
          }),
        };
        // The model loaded last (the one a reload replaces) lends its featuriser when the text settings are the
        // same, so a reload neither rebuilds the vocabulary's indexes nor prepares every recurring text again.
        const previous = [...loaded.values()].at(-1);
        const entry = await loadBundleScorer(request.dir, {
          backend: runtime.backend,
          batchSize: request.batchSize,
          computeOptions: { gemm: runtime.gemm },
          ...(previous === undefined ? {} : { reuse: previous }),
        });
        loaded.set(request.key, entry);
        reply(
          request.withManifest
            ? { id: request.id, ok: true, manifest: entry.bundle.manifest, dir: entry.bundle.dir }
            : { id: request.id, ok: true, dir: entry.bundle.dir },
        );
        return;
      }
      case 'unload': {
        await loaded.get(request.key)?.dispose();
        loaded.delete(request.key);
        reply({ id: request.id, ok: true });
        return;
      }
      case 'pairs': {
        const result = await scorerOf(request.key).scorePairs(
          request.query,
          request.items,
          request.options,
        );
        const { scores, transfer } = wire(result);
        reply({ id: request.id, ok: true, scores }, transfer);
        return;
      }
      case 'batch': {
        const result = await scorerOf(request.key).scoreBatch(request.pairs, request.options);
        const { scores, transfer } = wire(result);
        reply({ id: request.id, ok: true, scores }, transfer);
        return;
      }
    }
  } catch (error) {
    reply({ id: request.id, ok: false, error: toThreadError(error) });
  }
}

port.on('message', (request: PoolRequest) => {
  void handle(request);
});
