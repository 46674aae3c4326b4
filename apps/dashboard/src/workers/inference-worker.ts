/**
 * @file The Playground's in-browser scoring, in a Web Worker so the page stays responsive while the ~20 MB
 * bundle is fetched and parsed, the WASM runtime starts and the graph runs. The worker loads the served model's
 * bundle (manifest.json + model.onnx from /playground/bundle/) with onnxruntime-web through
 * `@gradeshift/core/web` on its first request, keeps it for the page's life, and answers each {@link
 * ScoreRequest} with a {@link ScoreResponse}. A failed load is retried on the next request.
 */
import type { BundleScorer } from '@gradeshift/core';

import type { ScoreRow } from '../lib/compare-scores';
import type { LoadedModel, ScoreRequest, ScoreResponse } from './inference-protocol';

/** Where `scripts/copy-ort.ts` puts onnxruntime-web's WASM files. */
const WASM_PATHS = '/ort/';
const BUNDLE_URL = '/playground/bundle';

// The dashboard's TypeScript program has the DOM library, not the worker one: the little of the worker scope
// used here is typed by hand.
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ScoreRequest>) => void) | null;
  postMessage(message: ScoreResponse): void;
};

let loading: Promise<{ scorer: BundleScorer; loaded: LoadedModel }> | undefined;

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** Loads the bundle once per worker; a failed load is retried on the next request. */
function loadScorer(): Promise<{ scorer: BundleScorer; loaded: LoadedModel }> {
  loading ??= (async () => {
    const t0 = performance.now();
    const [core, web, ood] = await Promise.all([
      import('@gradeshift/core'),
      import('@gradeshift/core/web'),
      import('@gradeshift/ood'),
    ]);
    const [manifestJson, modelBytes] = await Promise.all([
      fetchOk(`${BUNDLE_URL}/manifest.json`).then((r) => r.json() as Promise<unknown>),
      fetchOk(`${BUNDLE_URL}/model.onnx`).then(async (r) => new Uint8Array(await r.arrayBuffer())),
    ]);
    const manifest = core.parseManifest(manifestJson);
    const session = await web.createWebBackend({ wasmPaths: WASM_PATHS }).createSession(modelBytes);
    const detectors = ood.loadBundleDetectors(manifest.ood);
    return {
      scorer: core.createBundleScorer({ manifest, session, detectors }),
      loaded: {
        sha256: manifest.model.sha256,
        modelBytes: modelBytes.byteLength,
        loadMs: performance.now() - t0,
        detectorScores: Object.keys(detectors),
      },
    };
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function score(request: ScoreRequest): Promise<ScoreResponse> {
  const { scorer, loaded } = await loadScorer();
  const t0 = performance.now();
  const scores = await scorer.scorePairs(request.query, [...request.items]);
  const scoreMs = performance.now() - t0;
  const k = scores.grades.length;
  const rows: ScoreRow[] = Array.from({ length: scores.count }, (_, i) => ({
    probs: Array.from(scores.probs.subarray(i * k, (i + 1) * k)),
    expected: scores.expected[i] ?? Number.NaN,
    predicted: scores.predicted[i] ?? -1,
    ood: Object.fromEntries(
      Object.entries(scores.ood).map(([name, r]) => [name, r.score[i] ?? Number.NaN]),
    ),
  }));
  const flagged = rows.map((_, i) =>
    Object.entries(scores.ood)
      .filter(([, r]) => r.flag[i] === 1)
      .map(([name]) => name),
  );
  return { id: request.id, ok: true, loaded, rows, flagged, scoreMs };
}

scope.onmessage = (event) => {
  const request = event.data;
  score(request).then(
    (response) => scope.postMessage(response),
    (error: unknown) =>
      scope.postMessage({
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
};
