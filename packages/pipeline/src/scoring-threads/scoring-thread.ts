/**
 * @file A scoring thread, the one thread entry of the pipeline's {@link startScoringThreads} and the API's scoring
 * pool: holds loaded bundles by key and scores on request, so ONNX runs (synchronous in onnxruntime-node) and
 * featurisation leave the calling thread free. onnxruntime runs without spinning (the threads are the
 * parallelism); calls are answered in arrival order. Messages: thread-messages.ts.
 */
import {
  parentPort,
  receiveMessageOnPort,
  workerData,
  type MessagePort,
} from 'node:worker_threads';

import type {
  BundleManifest,
  BundleOodScore,
  BundleScorer,
  InferenceBackend,
} from '@gradeshift/core';
import { createNodeBackend, createOrtGemm, installNativeGuard } from '@gradeshift/core/node';

import {
  loadBundleScorer,
  scorerOfBundle,
  type LoadBundleScorerOptions,
  type LoadedBundleScorer,
} from '../bundle/load-bundle-scorer';
import { readBundle } from '../bundle/read-bundle';
import {
  loadTransformerBundleScorer,
  type LoadedTransformerBundleScorer,
} from '../backbones/transformer-bundle-scorer';
import {
  toThreadError,
  transferList,
  type BundleHandOff,
  type ThreadCall,
  type ThreadLoadSettings,
  type ThreadRequest,
  type ThreadResponse,
  type WireScores,
} from './thread-messages';

/** An answer before its id is added. */
type Answer = Omit<ThreadResponse & { ok: true }, 'id'>;

const port = parentPort;
if (port === null) throw new Error('scoring-thread.ts runs only as a worker thread');
// The host terminates this thread only outside onnxruntime's native calls (core/node's native-guard.ts).
installNativeGuard((workerData as { nativeGuard?: SharedArrayBuffer } | null)?.nativeGuard);

const loaded = new Map<string, LoadedBundleScorer>();
/** Encoder and cross-encoder bundles, by key (apart: they lend no featuriser to a reload). */
const encoders = new Map<string, LoadedTransformerBundleScorer>();
/** onnxruntime backends and products of this thread, by their settings. */
const runtimes = new Map<
  string,
  { backend: ReturnType<typeof createNodeBackend>; gemm: ReturnType<typeof createOrtGemm> }
>();

function scorerOf(key: string): BundleScorer | LoadedTransformerBundleScorer['scorer'] {
  const entry = loaded.get(key) ?? encoders.get(key);
  if (entry === undefined) throw new Error(`scoring thread: no model loaded under ${key}`);
  return entry.scorer;
}

/** The options of a load: this thread's runtime for its settings and the model the load replaces. */
function loadOptions(settings: ThreadLoadSettings) {
  const runtimeKey = `${settings.ortThreads}/${settings.gemm}`;
  let runtime = runtimes.get(runtimeKey);
  if (runtime === undefined) {
    const backendOptions = { intraOpNumThreads: settings.ortThreads, allowSpinning: false };
    runtime = {
      backend: createNodeBackend(backendOptions),
      // The outside detectors' products (KNN bank) run in onnxruntime, as on the calling thread.
      gemm: createOrtGemm({ dtype: settings.gemm, backendOptions }),
    };
    runtimes.set(runtimeKey, runtime);
  }
  // The model loaded last (the one a reload replaces) lends its featuriser when the text settings are the
  // same, so a reload neither rebuilds the vocabulary's indexes nor prepares every recurring text again.
  const previous = [...loaded.values()].at(-1);
  return {
    backend: runtime.backend,
    computeOptions: { gemm: runtime.gemm },
    ...(settings.batchSize === undefined ? {} : { batchSize: settings.batchSize }),
    ...(settings.oodScores === undefined ? {} : { oodScores: settings.oodScores }),
    ...(settings.memoSize === undefined ? {} : { memoSize: settings.memoSize }),
    ...(previous === undefined ? {} : { reuse: previous }),
  } satisfies LoadBundleScorerOptions;
}

/**
 * Posts a checked manifest and the model bytes to the threads waiting on `handOff`. The session holds its own copy
 * of the model, so the bytes are copied for every waiting thread but the last, to which they move (no copy; a
 * moved buffer is detached, so it goes last).
 */
function handOver(
  handOff: readonly MessagePort[],
  manifest: BundleManifest,
  bytes: Uint8Array,
): void {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const model = whole && bytes.buffer instanceof ArrayBuffer ? bytes.buffer : bytes.slice().buffer;
  handOff.forEach((port, i) => {
    const last = i === handOff.length - 1;
    port.postMessage({ manifest, model } satisfies BundleHandOff, last ? [model] : []);
    port.close();
  });
}

/** A backend that records the model bytes it is given (the bytes `readBundle` checked). */
function recording(backend: InferenceBackend): {
  backend: InferenceBackend;
  bytes: () => Uint8Array;
} {
  let bytes: Uint8Array | undefined;
  return {
    backend: {
      ...backend,
      createSession: (model, sessionOptions) => {
        bytes = model;
        return backend.createSession(model, sessionOptions);
      },
    },
    bytes: () => bytes ?? new Uint8Array(),
  };
}

/**
 * Loads a bundle with every check, then hands its checked manifest and model bytes to the threads waiting on
 * `handOff` (the backend sees the bytes when it creates the session).
 */
async function load(request: Extract<ThreadCall, { type: 'load' }>): Promise<Answer> {
  const options = loadOptions(request.settings);
  const seen = recording(options.backend);
  const entry = await loadBundleScorer(request.dir, { ...options, backend: seen.backend });
  loaded.set(request.key, entry);
  const { dir, manifest } = entry.bundle;
  handOver(request.handOff, manifest, seen.bytes());
  return { ok: true, dir, manifest };
}

/** Reads and checks a bundle for other threads, keeping nothing (a loader thread's call). */
async function check(request: Extract<ThreadCall, { type: 'check' }>): Promise<Answer> {
  const seen = recording(createNodeBackend({ intraOpNumThreads: 1, allowSpinning: false }));
  const { dir, manifest, session } = await readBundle(request.dir, { backend: seen.backend });
  await session.dispose();
  handOver(request.handOff, manifest, seen.bytes());
  return { ok: true, dir, manifest };
}

/** Creates a session of bytes another thread has read and checked, with the manifest it checked. */
async function adopt(request: Extract<ThreadCall, { type: 'adopt' }>): Promise<Answer> {
  // The loading thread posted before it answered, and this request was sent after that answer.
  const handOff = receiveMessageOnPort(request.from)?.message as BundleHandOff | undefined;
  request.from.close();
  if (handOff === undefined) throw new Error('scoring thread: no bundle was handed over');
  const options = loadOptions(request.settings);
  const session = await options.backend.createSession(new Uint8Array(handOff.model));
  const { dir } = request;
  const bundle = { dir, manifest: handOff.manifest, session };
  loaded.set(request.key, await scorerOfBundle(bundle, options));
  return { ok: true, dir };
}

/**
 * Opens an encoder or cross-encoder bundle (told apart by its manifest's format) with every check, on this
 * thread's onnxruntime settings.
 */
async function loadEncoder(
  request: Extract<ThreadCall, { type: 'load-encoder' }>,
): Promise<Answer> {
  const { gemm } = loadOptions(request.settings).computeOptions;
  const entry = await loadTransformerBundleScorer(request.dir, {
    threads: request.settings.ortThreads,
    gemm,
  });
  await encoders.get(request.key)?.dispose();
  encoders.set(request.key, entry);
  const { dir, manifest, sha256, bytes } = entry.bundle;
  return {
    ok: true,
    dir,
    encoder: request.withManifest
      ? { manifest: withoutDetectorStates(manifest), sha256, bytes }
      : { sha256, bytes },
  };
}

/**
 * The manifest as the HTTP thread needs it (the OOD scores' names, spaces, calibration and thresholds, the rule),
 * without the detectors' fitted states: a MiniLM bundle's KNN bank alone is ~47 MB of JSON, which the HTTP thread
 * would spend ~0.3 s deserialising, answering nothing, for a state it never reads (the scoring threads score).
 */
function withoutDetectorStates<
  T extends { readonly ood?: Readonly<Record<string, BundleOodScore>> },
>(manifest: T): T {
  if (manifest.ood === undefined) return manifest;
  const ood = Object.fromEntries(
    Object.entries(manifest.ood).map(([name, score]) => [
      name,
      score.source.kind === 'detector'
        ? { ...score, source: { ...score.source, state: { stripped: true } } }
        : score,
    ]),
  );
  return { ...manifest, ood };
}

/** Scores, and the buffers to transfer with them. */
function scored(scores: WireScores): [Answer, ArrayBuffer[]] {
  return [{ ok: true, scores }, transferList(scores)];
}

async function answer(request: ThreadCall): Promise<[Answer, ArrayBuffer[]?]> {
  switch (request.type) {
    case 'load':
      return [await load(request)];
    case 'check':
      return [await check(request)];
    case 'adopt':
      return [await adopt(request)];
    case 'load-encoder':
      return [await loadEncoder(request)];
    case 'unload':
      await (loaded.get(request.key) ?? encoders.get(request.key))?.dispose();
      loaded.delete(request.key);
      encoders.delete(request.key);
      return [{ ok: true }];
    case 'pairs':
      return scored(
        await scorerOf(request.key).scorePairs(request.query, request.items, request.options),
      );
    case 'batch': {
      const pairs = request.queries.map((query, i) => ({ query, item: request.items[i] ?? '' }));
      return scored(await scorerOf(request.key).scoreBatch(pairs, request.options));
    }
  }
}

port.on('message', (request: ThreadRequest) => {
  if (request === 'close') {
    // Release the sessions, then let the thread end by itself.
    const all = [...loaded.values(), ...encoders.values()];
    void Promise.allSettled(all.map((entry) => entry.dispose())).finally(() => port.close());
    return;
  }
  answer(request).then(
    ([response, transfer = []]) => port.postMessage({ ...response, id: request.id }, transfer),
    (error: unknown) =>
      port.postMessage({ id: request.id, ok: false, error: toThreadError(error) }),
  );
});
