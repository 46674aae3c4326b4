'use client';
/**
 * The Playground's in-browser half: the served model's bundle (manifest.json + model.onnx, ~20 MB, from
 * /playground/bundle/) scored with onnxruntime-web through `@gradeshift/core/web`, next to the API's scores for
 * the same input, with the largest absolute difference. The model loads on the first click and stays loaded
 * for the page's life (the input form navigates on the client), so later inputs are scored at once.
 */
import { useCallback, useEffect, useState } from 'react';

import type { BundleScorer } from '@gradeshift/core';

import { compareScores, type ScoreComparison, type ScoreRow } from '../lib/compare-scores';
import { fmt } from '../lib/format';
import { ScoresTable } from './scores-table';

/** Where `scripts/copy-ort.ts` puts onnxruntime-web's WASM files. */
const WASM_PATHS = '/ort/';
const BUNDLE_URL = '/playground/bundle';

interface LoadedScorer {
  readonly scorer: BundleScorer;
  readonly sha256: string;
  readonly modelBytes: number;
  readonly loadMs: number;
  /** OOD scores computed outside the graph, by the detectors in the manifest. */
  readonly detectorScores: readonly string[];
}

let loading: Promise<LoadedScorer> | undefined;

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`${url}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  return response;
}

/** Loads the bundle once per page; a failed load is retried on the next click. */
function loadScorer(): Promise<LoadedScorer> {
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
    const detectors: Record<string, ReturnType<typeof ood.loadDetector>> = {};
    for (const [name, score] of Object.entries(manifest.ood))
      if (score.source.kind === 'detector') detectors[name] = ood.loadDetector(score.source.state);
    return {
      scorer: core.createBundleScorer({ manifest, session, detectors }),
      sha256: manifest.model.sha256,
      modelBytes: modelBytes.byteLength,
      loadMs: performance.now() - t0,
      detectorScores: Object.keys(detectors),
    };
  })().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'loading' }
  | { readonly kind: 'error'; readonly message: string }
  | {
      readonly kind: 'done';
      readonly loaded: LoadedScorer;
      readonly rows: readonly ScoreRow[];
      /** Per row, the OOD scores above their calibrated threshold. */
      readonly flagged: readonly ReadonlySet<string>[];
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
      const loaded = await loadScorer();
      const t0 = performance.now();
      const scores = await loaded.scorer.scorePairs(query, [...items]);
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
      const flagged = rows.map(
        (_, i) =>
          new Set(
            Object.entries(scores.ood)
              .filter(([, r]) => r.flag[i] === 1)
              .map(([name]) => name),
          ),
      );
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
        Max absolute difference from the API:{' '}
        <strong data-testid="max-abs-diff">{comparison.maxAbsDiff.toExponential(2)}</strong> (
        {Object.entries(comparison.byField)
          .map(([field, d]) => `${field} ${d.toExponential(1)}`)
          .join(', ')}
        ); scaled by max(1, |value|):{' '}
        <strong data-testid="max-scaled-diff">{comparison.maxScaledDiff.toExponential(2)}</strong>{' '}
        (raw OOD distances run into the hundreds, where float32 keeps about 7 digits). Predicted
        grades differing: {comparison.predictedMismatches}. Model{' '}
        {(loaded.modelBytes / 1e6).toFixed(1)} MB loaded in {fmt(loaded.loadMs, 0)} ms; scored in{' '}
        {fmt(scoreMs, 1)} ms. OOD scores from detectors run in the browser too (
        {loaded.detectorScores.join(', ') || 'none'}).
      </p>
      <ScoresTable
        name="playground-browser"
        items={items}
        grades={grades}
        oodNames={oodNames}
        rows={rows}
        flagged={(i, d) => flagged[i]?.has(d) === true}
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
