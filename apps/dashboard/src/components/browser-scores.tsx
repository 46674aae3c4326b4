'use client';
/**
 * The Playground's in-browser half: the served model's bundle (manifest.json + model.onnx, ~20 MB, from
 * /playground/bundle/) scored with onnxruntime-web through `@gradeshift/core/web`, next to the API's scores for
 * the same input, with the largest absolute difference. Loading and scoring run in a Web Worker
 * (`workers/inference-worker.ts`), so the page stays responsive meanwhile. The model loads on the first click
 * and stays loaded for the page's life (the input form navigates on the client), so later inputs are scored at
 * once.
 */
import { useCallback, useEffect, useState } from 'react';

import { compareScores, type ScoreComparison, type ScoreRow } from '../lib/compare-scores';
import { fmt } from '../lib/format';
import type { LoadedModel, ScoreResponse } from '../workers/inference-protocol';
import { ScoresTable } from './scores-table';

type Scored = Extract<ScoreResponse, { ok: true }>;

let worker: Worker | undefined;
let lastId = 0;
const pending = new Map<number, { resolve: (r: Scored) => void; reject: (e: Error) => void }>();

/** The page's scoring worker, started on first use; one that fails to start is dropped, so a click retries. */
function getWorker(): Worker {
  if (worker !== undefined) return worker;
  const started = new Worker(new URL('../workers/inference-worker.ts', import.meta.url), {
    type: 'module',
    name: 'gradeshift-inference',
  });
  started.onmessage = (event: MessageEvent<ScoreResponse>) => {
    const answer = event.data;
    const waiting = pending.get(answer.id);
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

/** Scores pairs in the worker. */
function scoreInWorker(query: string, items: readonly string[]): Promise<Scored> {
  lastId += 1;
  const id = lastId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage({ id, query, items: [...items] });
  });
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | {
      readonly kind: 'done';
      readonly loaded: LoadedModel;
      readonly rows: readonly ScoreRow[];
      /** Per row, the OOD scores above their calibrated threshold. */
      readonly flagged: readonly (readonly string[])[];
      readonly comparison: ScoreComparison;
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
  const key = JSON.stringify([query, items, apiSha256]);

  const score = useCallback(async () => {
    setState({ kind: 'loading' });
    try {
      const { loaded, rows, flagged, scoreMs } = await scoreInWorker(query, items);
      setState({
        kind: 'done',
        loaded,
        rows,
        flagged,
        comparison: compareScores(api, rows),
        scoreMs,
        key,
      });
    } catch (error) {
      setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  }, [api, items, key, query]);

  // Once the model is loaded, a new input is scored in the browser as soon as the API's scores arrive.
  const stale = state.kind === 'done' && state.key !== key;
  useEffect(() => {
    if (stale) void score();
  }, [stale, score]);

  return (
    <section className="panel" aria-labelledby="browser-h" data-browser-state={state.kind}>
      <h2 id="browser-h">Scores in this browser (onnxruntime-web)</h2>
      {state.kind === 'idle' || state.kind === 'error' ? (
        <p>
          <button type="button" onClick={() => void score()} data-action="score-in-browser">
            Score in this browser
          </button>{' '}
          <span className="muted">
            loads the served model&apos;s bundle once (about 20 MB) and runs it here with
            onnxruntime-web (WASM)
          </span>
        </p>
      ) : null}
      {state.kind === 'error' ? (
        <div className="callout callout-error" role="alert">
          The browser could not score these pairs: {state.message}
        </div>
      ) : null}
      {state.kind === 'loading' ? (
        <p role="status" aria-live="polite">
          Loading the model and scoring in the browser…
        </p>
      ) : null}
      {state.kind === 'done' ? (
        <Comparison state={state} grades={grades} items={items} api={api} apiSha256={apiSha256} />
      ) : null}
    </section>
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
  const sameModel = loaded.sha256 === apiSha256;
  return (
    <>
      {sameModel ? null : (
        <div className="callout callout-error" role="alert">
          The bundle the dashboard serves (model {loaded.sha256.slice(0, 12)}) is not the model the
          API scored with ({apiSha256.slice(0, 12)}): set GRADESHIFT_BUNDLE_DIR to the API&apos;s
          bundle folder.
        </div>
      )}
      <p
        role="status"
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
        ; predicted grades differ on {comparison.predictedMismatches} of {items.length} pairs. The
        model ({(loaded.modelBytes / 1e6).toFixed(1)} MB) loaded in {fmt(loaded.loadMs, 0)} ms and
        scored them in {fmt(scoreMs, 1)} ms.
      </p>
      <details className="glossary">
        <summary>Details for engineers</summary>
        <p>
          Max absolute difference:{' '}
          <strong data-testid="max-abs-diff">{comparison.maxAbsDiff.toExponential(2)}</strong> (
          {Object.entries(comparison.byField)
            .map(([field, d]) => `${field} ${d.toExponential(1)}`)
            .join(', ')}
          ). The headline difference is scaled by max(1, |value|): raw OOD distances run into the
          hundreds, where float32 keeps about 7 digits. OOD scores computed in the browser too:{' '}
          {loaded.detectorScores.join(', ') || 'none'}.
        </p>
      </details>
      <ScoresTable
        name="playground-browser"
        items={items}
        grades={grades}
        oodNames={oodNames}
        rows={rows}
        flagged={(i, d) => flagged[i]?.includes(d) === true}
        extra={{
          label: 'max scaled |Δ| vs API',
          cell: (i) => {
            const other = api[i];
            const row = rows[i];
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
