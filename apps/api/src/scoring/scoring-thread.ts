/**
 * @file A scoring thread: holds loaded bundles by key and scores on request, so ONNX runs (synchronous in
 * onnxruntime-node) and featurisation leave the HTTP thread free. Messages come from scoring-pool.ts.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';

import type { BundlePairScores, BundleScorer, InferenceBackend } from '@gradeshift/core';
import { createNodeBackend, createOrtGemm } from '@gradeshift/core/node';
import {
  loadBundleScorer,
  scorerOfBundle,
  toThreadError,
  type LoadBundleScorerOptions,
  type LoadedBundleScorer,
} from '@gradeshift/pipeline';

import type {
  BundleHandOff,
  PoolCall,
  PoolRequest,
  PoolResponse,
  WireScores,
} from './pool-messages';

/** An answer before its id is added. */
type Answer = Omit<PoolResponse & { ok: true }, 'id'>;

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

/** The options of a load: this thread's runtime (created on the first load) and the model the load replaces. */
function loadOptions(request: { batchSize: number; ortThreads: number }) {
  runtime ??= {
    backend: createNodeBackend({ intraOpNumThreads: request.ortThreads, allowSpinning: false }),
    gemm: createOrtGemm({
      dtype: 'float64',
      backendOptions: { intraOpNumThreads: request.ortThreads },
    }),
  };
  // The model loaded last (the one a reload replaces) lends its featuriser when the text settings are the
  // same, so a reload neither rebuilds the vocabulary's indexes nor prepares every recurring text again.
  const previous = [...loaded.values()].at(-1);
  return {
    backend: runtime.backend,
    batchSize: request.batchSize,
    computeOptions: { gemm: runtime.gemm },
    ...(previous === undefined ? {} : { reuse: previous }),
  } satisfies LoadBundleScorerOptions;
}

/**
 * Loads a bundle with every check, then hands its checked manifest and model bytes to the threads waiting on
 * `handOff` (the backend sees the bytes when it creates the session).
 */
async function load(request: Extract<PoolCall, { type: 'load' }>): Promise<Answer> {
  const options = loadOptions(request);
  let bytes: Uint8Array | undefined;
  const backend: InferenceBackend = {
    ...options.backend,
    createSession: (model, sessionOptions) => {
      bytes = model;
      return options.backend.createSession(model, sessionOptions);
    },
  };
  const entry = await loadBundleScorer(request.dir, { ...options, backend });
  loaded.set(request.key, entry);
  const { dir, manifest } = entry.bundle;
  if (bytes !== undefined) {
    // The session holds its own copy of the model, so the bytes move to the first waiting thread (no copy) and
    // are copied for any other.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    const model =
      whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
    request.handOff.forEach((port, i) => {
      port.postMessage({ manifest, model } satisfies BundleHandOff, i === 0 ? [model] : []);
      port.close();
    });
  }
  return { ok: true, dir, manifest };
}

/** Creates a session of bytes another thread has read and checked, with the manifest it checked. */
async function adopt(request: Extract<PoolCall, { type: 'adopt' }>): Promise<Answer> {
  // The loading thread posted before it answered, and this request was sent after that answer.
  const handOff = receiveMessageOnPort(request.from)?.message as BundleHandOff | undefined;
  request.from.close();
  if (handOff === undefined) throw new Error('scoring thread: no bundle was handed over');
  const options = loadOptions(request);
  const session = await options.backend.createSession(new Uint8Array(handOff.model));
  const { dir } = request;
  const bundle = { dir, manifest: handOff.manifest, session };
  loaded.set(request.key, await scorerOfBundle(bundle, options));
  return { ok: true, dir };
}

async function answer(request: PoolRequest): Promise<[Answer, ArrayBuffer[]?]> {
  switch (request.type) {
    case 'load':
      return [await load(request)];
    case 'adopt':
      return [await adopt(request)];
    case 'unload':
      await loaded.get(request.key)?.dispose();
      loaded.delete(request.key);
      return [{ ok: true }];
    case 'pairs': {
      const result = await scorerOf(request.key).scorePairs(
        request.query,
        request.items,
        request.options,
      );
      const { scores, transfer } = wire(result);
      return [{ ok: true, scores }, transfer];
    }
    case 'batch': {
      const result = await scorerOf(request.key).scoreBatch(request.pairs, request.options);
      const { scores, transfer } = wire(result);
      return [{ ok: true, scores }, transfer];
    }
  }
}

port.on('message', (request: PoolRequest) => {
  answer(request).then(
    ([response, transfer = []]) => port.postMessage({ ...response, id: request.id }, transfer),
    (error: unknown) =>
      port.postMessage({ id: request.id, ok: false, error: toThreadError(error) }),
  );
});
