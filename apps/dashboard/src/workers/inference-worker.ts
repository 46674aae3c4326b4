/**
 * @file The Playground's in-browser scoring, in a Web Worker so the page stays responsive while the bundle is
 * fetched and parsed, the WASM runtime starts and the graphs run. On its first request the worker loads the
 * served bundle from /playground/bundle/ (`playground-scorer.ts`: a word-vector bundle's model.onnx, ~20 MB, or an
 * encoder bundle's encoder, tokenizer and head, ~90 MB for MiniLM), posting progress as the files arrive; it keeps
 * the model for the page's life and answers each {@link ScoreRequest} with a {@link ScoreResponse}. A failed load
 * is retried on the next request.
 */
import type { ScoreRequest, ScoreResponse, WorkerMessage } from './inference-protocol';
import type { PlaygroundScorer } from './playground-rows';

// The dashboard's TypeScript program has the DOM library, not the worker one: the little of the worker scope
// used here is typed by hand.
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ScoreRequest>) => void) | null;
  postMessage(message: WorkerMessage): void;
};

let loading: Promise<PlaygroundScorer> | undefined;

/** Loads the bundle once per worker, reporting progress to request `id`; a failed load is retried next time. */
function loadScorer(id: number): Promise<PlaygroundScorer> {
  loading ??= import('./playground-scorer')
    .then(({ loadPlaygroundScorer }) =>
      loadPlaygroundScorer((progress) => scope.postMessage({ id, progress })),
    )
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}

async function score(request: ScoreRequest): Promise<ScoreResponse> {
  const scorer = await loadScorer(request.id);
  const t0 = performance.now();
  const { rows, flagged } = await scorer.score(request.query, request.items);
  const scoreMs = performance.now() - t0;
  return { id: request.id, ok: true, loaded: scorer.loaded, rows, flagged, scoreMs };
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
