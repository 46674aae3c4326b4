'use client';
/**
 * The Detectors view's interactive part: pick a detector, move the threshold, and see the histograms with the
 * threshold marked, the flagged shares and the accuracy on what is kept. The choice is kept in the URL
 * (`?detector=&level=`) so the view can be shared.
 */
import { useState } from 'react';

import { fmt, pct } from '../lib/format';
import type { DetectorView } from '../lib/detector-stats';
import { ChartFrame } from './charts/chart-frame';
import { HistogramChart } from './charts/lazy';
import { Options, optionsOf } from './select-field';

/** The Samples query of a detector's pairs: sorted by its score, or its flagged pairs (the URL's run kept). */
function samplesSearch(run: string | undefined, detector: string, flagged = false): string {
  const search = new URLSearchParams();
  if (run !== undefined) search.set('run', run);
  if (flagged) {
    search.set('ood', detector);
    search.set('flagged', 'yes');
  }
  search.set('sort', `ood:${detector}`);
  search.set('order', 'desc');
  return search.toString();
}

function nearestIndex(view: DetectorView, threshold: number): number {
  let best = 0;
  view.thresholds.forEach((t, i) => {
    if (
      Math.abs(t.threshold - threshold) <
      Math.abs((view.thresholds[best]?.threshold ?? 0) - threshold)
    )
      best = i;
  });
  return best;
}

export function DetectorExplorer({
  views,
  calibrated,
  initialDetector,
  initialLevel,
  run,
}: {
  views: DetectorView[];
  calibrated: Record<string, number>;
  initialDetector: string;
  initialLevel: number | undefined;
  /** The run named in the URL, carried by the links to Samples. */
  run: string | undefined;
}) {
  const [name, setName] = useState(
    views.some((v) => v.name === initialDetector) ? initialDetector : (views[0]?.name ?? ''),
  );
  const view = views.find((v) => v.name === name) ?? views[0];
  const start = (v: DetectorView | undefined) =>
    v === undefined ? 0 : nearestIndex(v, calibrated[v.name] ?? v.thresholds[95]?.threshold ?? 0);
  const [index, setIndex] = useState(
    initialLevel === undefined ? start(view) : Math.round(initialLevel * 100),
  );
  if (view === undefined) return null;
  const point = view.thresholds[Math.min(index, view.thresholds.length - 1)];
  /** Moves to threshold `i` of `detector`, and keeps the choice in the URL. */
  const choose = (detector: string, i: number) => {
    setName(detector);
    setIndex(i);
    const search = new URLSearchParams(window.location.search);
    search.set('detector', detector);
    search.set('level', (i / 100).toFixed(2));
    window.history.replaceState(null, '', `?${search.toString()}`);
  };
  return (
    <section className="panel" aria-labelledby="explorer-h">
      <h2 id="explorer-h">Scores and threshold</h2>
      <div className="filters">
        <label className="field">
          Detector
          <select
            name="detector"
            value={view.name}
            onChange={(e) =>
              choose(e.target.value, start(views.find((v) => v.name === e.target.value)))
            }
          >
            <Options options={optionsOf(views.map((v) => v.name))} />
          </select>
        </label>
        <label className="field" style={{ flex: '1 1 260px' }}>
          Threshold: flag the top {pct(point?.flaggedAll ?? 0, 0)} of test scores (score &gt;{' '}
          {fmt(point?.threshold, 4)})
          <input
            type="range"
            min={0}
            max={view.thresholds.length - 1}
            step={1}
            value={index}
            aria-valuetext={`score above ${fmt(point?.threshold, 4)}`}
            onChange={(e) => choose(view.name, Number(e.target.value))}
          />
        </label>
        <button type="button" className="secondary" onClick={() => choose(view.name, start(view))}>
          Calibrated threshold
        </button>
      </div>
      <ThresholdKpis view={view} point={point} />
      <DetectorLinks run={run} detector={view.name} flaggedAll={point?.flaggedAll ?? 0} />
      <ChartFrame
        name="detector-histogram"
        points={view.histogram.length}
        caption={`${view.name} score distribution: share of each test set per bin (central 99% of scores)`}
      >
        <HistogramChart bins={view.histogram} threshold={point?.threshold ?? 0} />
      </ChartFrame>
    </section>
  );
}

/** What the scores mean, and the links to the detector's pairs in Samples: ranked by score, and flagged. */
function DetectorLinks({
  run,
  detector,
  flaggedAll,
}: {
  run: string | undefined;
  detector: string;
  /** The share of all test pairs above the chosen threshold. */
  flaggedAll: number;
}) {
  return (
    <p className="note">
      Scores: higher = more out of distribution; a pair is flagged above the threshold.{' '}
      <a href={`/samples?${samplesSearch(run, detector)}`} data-drill="detector">
        The pairs with the highest {detector} scores
      </a>{' '}
      (the first {pct(flaggedAll, 0)} of them are above this threshold) ·{' '}
      <a href={`/samples?${samplesSearch(run, detector, true)}`}>
        the pairs {detector} flags at its calibrated threshold
      </a>
    </p>
  );
}

/** The shares a threshold flags and the accuracy on the pairs it keeps. */
function ThresholdKpis({
  view,
  point,
}: {
  view: DetectorView;
  point: DetectorView['thresholds'][number] | undefined;
}) {
  return (
    <dl className="kpis" data-kpis="threshold">
      <div className="kpi">
        <dt>Flagged, ID test</dt>
        <dd data-kpi="flagged-id">{pct(point?.flaggedId)}</dd>
      </div>
      <div className="kpi">
        <dt>Flagged, OOD test</dt>
        <dd data-kpi="flagged-ood">{pct(point?.flaggedOod)}</dd>
      </div>
      <div className="kpi">
        <dt>Flagged, all test</dt>
        <dd data-kpi="flagged-all">{pct(point?.flaggedAll)}</dd>
      </div>
      <div className="kpi">
        <dt>Accuracy on kept</dt>
        <dd data-kpi="kept-accuracy">
          {pct(point?.keptAccuracy)} <small className="muted">vs {pct(view.accuracy)} on all</small>
        </dd>
      </div>
    </dl>
  );
}
