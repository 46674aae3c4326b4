'use client';
/**
 * The Playground's in-browser half: the served model's bundle (from /playground/bundle/: a word-vector bundle's
 * manifest.json + model.onnx, ~20 MB, an encoder bundle's manifest, encoder, tokenizer and head, ~90 MB for
 * MiniLM, or a cross-encoder bundle's manifest, model and tokenizer) scored with onnxruntime-web through
 * `@gradeshift/core/web`, next to the API's scores for the same input,
 * with the largest absolute difference when the API scored with the same model. Loading and scoring run in a Web
 * Worker (`workers/inference-worker.ts`), so the page stays responsive meanwhile, and the files' progress is
 * shown as they arrive. The model loads on the first click and stays loaded for the page's life (the input form
 * navigates on the client), so later inputs are scored at once.
 */
import { useCallback, useEffect, useState } from 'react';

import { compareScores, type ScoreComparison, type ScoreRow } from '../lib/compare-scores';
import { fmt } from '../lib/format';
import type {
  LoadedModel,
  LoadProgress,
  ScoreResponse,
  WorkerMessage,
} from '../workers/inference-protocol';
import { ScoresTable } from './scores-table';

type Scored = Extract<ScoreResponse, { ok: true }>;

let worker: Worker | undefined;
let lastId = 0;
const pending = new Map<
  number,
  {
    resolve: (r: Scored) => void;
    reject: (e: Error) => void;
    progress: (p: LoadProgress) => void;
  }
>();

/** The page's scoring worker, started on first use; one that fails to start is dropped, so a click retries. */
function getWorker(): Worker {
  if (worker !== undefined) return worker;
  const started = new Worker(new URL('../workers/inference-worker.ts', import.meta.url), {
    type: 'module',
    name: 'gradeshift-inference',
  });
  started.onmessage = (event: MessageEvent<WorkerMessage>) => {
    const answer = event.data;
    const waiting = pending.get(answer.id);
    if ('progress' in answer) {
      waiting?.progress(answer.progress);
      return;
    }
    pending.delete(answer.id);
    if (answer.ok) waiting?.resolve(answer);
    else waiting?.reject(new Error(answer.message));
  };
  started.onerror = (event) => {
    const error = new Error(event.message || 'the scoring worker failed');
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
    started.terminate();
    if (worker === started) worker = undefined;
  };
  worker = started;
  return started;
}

/** Scores pairs in the worker; `progress` hears how far the bundle's files have loaded. */
function scoreInWorker(
  query: string,
  items: readonly string[],
  progress: (p: LoadProgress) => void,
): Promise<Scored> {
  lastId += 1;
  const id = lastId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, progress });
    getWorker().postMessage({ id, query, items: [...items] });
  });
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading'; readonly progress: LoadProgress | null }
  | { readonly kind: 'error'; readonly message: string }
  | {
      readonly kind: 'done';
      readonly loaded: LoadedModel;
      readonly rows: readonly ScoreRow[];
      /** Per row, the OOD scores above their calibrated threshold. */
      readonly flagged: readonly (readonly string[])[];
      /** Null when the API scored with another model: there is nothing to compare. */
      readonly comparison: ScoreComparison | null;
      readonly scoreMs: number;
      readonly key: string;
    };

export interface BrowserScoresProps {
  readonly query: string;
  readonly items: readonly string[];
  readonly grades: readonly string[];
  /** The API's scores of the same items, in order. */
  readonly api: readonly ScoreRow[];
  /** The hash of the model the API scored with. */
  readonly apiSha256: string;
}

export function BrowserScores({ query, items, grades, api, apiSha256 }: BrowserScoresProps) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  // Set once hydrated: the button is enabled from then on, so a click cannot land while React hydrates the page
  // (it made React give up hydrating and render the page again, error #418); the browser tests wait for it.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const key = JSON.stringify([query, items, apiSha256]);

  const score = useCallback(async () => {
    setState({ kind: 'loading', progress: null });
    try {
      const { loaded, rows, flagged, scoreMs } = await scoreInWorker(query, items, (progress) =>
        setState({ kind: 'loading', progress }),
      );
      setState({
        kind: 'done',
        loaded,
        rows,
        flagged,
        comparison: loaded.sha256 === apiSha256 ? compareScores(api, rows) : null,
        scoreMs,
        key,
      });
    } catch (error) {
      setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, [api, apiSha256, items, key, query]);

  // Once the model is loaded, a new input is scored in the browser as soon as the API's scores arrive.
  const stale = state.kind === 'done' && state.key !== key;
  useEffect(() => {
    if (stale) void score();
  }, [stale, score]);

  return (
    <section
      className="panel"
      aria-labelledby="browser-h"
      data-browser-state={state.kind}
      data-ready={ready ? 'yes' : undefined}
    >
      <h2 id="browser-h">Scores in this browser (onnxruntime-web)</h2>
      {state.kind === 'idle' || state.kind === 'error' ? (
        <p>
          <button
            type="button"
            onClick={() => void score()}
            data-action="score-in-browser"
            disabled={!ready}
          >
            Score in this browser
          </button>{' '}
          <span className="muted">
            loads the served model&apos;s bundle once (about 20 MB for a word-vector model, about 90
            MB for a MiniLM encoder; kept in this browser&apos;s cache for the next visit) and runs
            it here with onnxruntime-web (WASM)
          </span>
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <div className="callout callout-error" role="alert">
          The browser could not score these pairs: {state.message}
        </div>
      ) : null}
      {state.kind === 'loading' ? <Loading progress={state.progress} /> : null}
      {state.kind === 'done' ? (
        <Comparison state={state} grades={grades} items={items} api={api} apiSha256={apiSha256} />
      ) : null}
    </section>
  );
}

/** The bundle's load: the file arriving and its bytes, as a progress bar. */
function Loading({ progress }: { progress: LoadProgress | null }) {
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  return (
    <div role="status" aria-live="polite" data-loading-file={progress?.file}>
      <p>
        {progress === null
          ? 'Loading the model and scoring in the browser…'
          : `Loading ${progress.file}: ${mb(progress.loaded)}${progress.total === null ? '' : ` of ${mb(progress.total)}`} MB…`}
      </p>
      {progress === null ? null : (
        <progress
          max={progress.total ?? undefined}
          value={progress.loaded}
          aria-label={`${progress.file} loaded`}
        />
      )}
    </div>
  );
}

/** How the browser's scores compare with the API's, or why they cannot be compared. */
/** How the verdict names the loaded bundle of each kind, and its aside after the model's hash. */
const KIND_NAMES: Readonly<Record<LoadedModel['kind'], { name: string; aside: string }>> = {
  'word-vector': { name: 'model', aside: '' },
  encoder: { name: 'encoder bundle', aside: ', an encoder bundle' },
  'cross-encoder': { name: 'cross-encoder bundle', aside: ', a cross-encoder bundle' },
};

function Verdict({
  loaded,
  comparison,
  pairs,
  apiSha256,
  scoreMs,
}: {
  loaded: LoadedModel;
  comparison: ScoreComparison | null;
  pairs: number;
  apiSha256: string;
  scoreMs: number;
}) {
  const timing = `The ${KIND_NAMES[loaded.kind].name} (${(loaded.modelBytes / 1e6).toFixed(1)} MB${loaded.cachedFiles.length > 0 ? `, ${loaded.cachedFiles.join(', ')} from this browser's cache` : ''}) loaded in ${fmt(loaded.loadMs, 0)} ms and scored them in ${fmt(scoreMs, 1)} ms.`;
  if (comparison === null)
    return (
      <>
        <div className="callout callout-error" role="alert">
          The bundle the dashboard serves (model {loaded.sha256.slice(0, 12)}
          {KIND_NAMES[loaded.kind].aside}) is not the model the API scored with (
          {apiSha256.slice(0, 12)}), so the two are not compared: serve the same bundle from the API
          and set GRADESHIFT_BUNDLE_DIR to its folder.
        </div>
        <p role="status" data-compared="false">
          {timing}
        </p>
      </>
    );
  return (
    <p
      role="status"
      data-compared="true"
      data-max-abs-diff={comparison.maxAbsDiff}
      data-max-scaled-diff={comparison.maxScaledDiff}
    >
      {comparison.maxScaledDiff < 1e-4 && comparison.predictedMismatches === 0
        ? 'This browser grades these pairs exactly as the API does: '
        : 'This browser and the API disagree: '}
      the largest difference between their scores is{' '}
      <strong data-testid="max-scaled-diff">{comparison.maxScaledDiff.toExponential(2)}</strong>
      {comparison.maxScaledDiff < 1e-4
        ? ', far too small to change a grade'
        : ', large enough to matter'}
      ; predicted grades differ on {comparison.predictedMismatches} of {pairs} pairs. {timing}
    </p>
  );
}

function Comparison({
  state,
  grades,
  items,
  api,
  apiSha256,
}: {
  state: Extract<State, { kind: 'done' }>;
  grades: readonly string[];
  items: readonly string[];
  api: readonly ScoreRow[];
  apiSha256: string;
}) {
  const { loaded, rows, flagged, comparison, scoreMs } = state;
  const oodNames = Object.keys(rows[0]?.ood ?? {});
  return (
    <>
      <Verdict
        loaded={loaded}
        comparison={comparison}
        pairs={items.length}
        apiSha256={apiSha256}
        scoreMs={scoreMs}
      />
      <details className="glossary">
        <summary>Details for engineers</summary>
        <p>
          {comparison === null ? null : (
            <>
              Max absolute difference:{' '}
              <strong data-testid="max-abs-diff">{comparison.maxAbsDiff.toExponential(2)}</strong> (
              {Object.entries(comparison.byField)
                .map(([field, d]) => `${field} ${d.toExponential(1)}`)
                .join(', ')}
              ). The headline difference is scaled by max(1, |value|): raw OOD distances run into
              the hundreds, where float32 keeps about 7 digits.{' '}
            </>
          )}
          OOD scores computed in the browser too: {loaded.detectorScores.join(', ') || 'none'}.
        </p>
      </details>
      <ScoresTable
        name="playground-browser"
        items={items}
        grades={comparison === null ? loaded.grades : grades}
        oodNames={oodNames}
        rows={rows}
        flagged={(i, d) => flagged[i]?.includes(d) === true}
        {...(comparison === null ? { decision: loaded.decision } : {})}
        extra={{
          label: 'max scaled |Δ| vs API',
          cell: (i) => {
            const other = api[i];
            const row = rows[i];
            // Another model's scores are not compared.
            if (comparison === null) return '—';
            return (
              other === undefined || row === undefined
                ? Number.NaN
                : compareScores([other], [row]).maxScaledDiff
            ).toExponential(1);
          },
        }}
      />
    </>
  );
}
