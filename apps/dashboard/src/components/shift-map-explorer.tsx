'use client';
/**
 * The Map view's interactive part: the run's 2-D map as an SVG scatter coloured by group, fused OOD percentile
 * or error (a selector), with a legend; a rectangle chosen by dragging on the plot or typed into four number
 * fields (the keyboard way) counts the points inside and opens those pairs in Samples (`?region=`), by a plain
 * link (a document navigation, see `lib/views.ts`).
 */
import { memo, useEffect, useMemo, useState, type PointerEvent } from 'react';

import { count, pct } from '../lib/format';
import { mapBounds, pointsIn, type MapPoints } from '../lib/map-points';
import { formatRegion, parseRegion, samplesHref, type MapRegion } from '../lib/samples-query';
import {
  ERROR_BINS,
  errorBin,
  GROUP_LABELS,
  groupStyle,
  markerPath,
  rampColor,
  type ColorBy,
} from './map-colors';

const W = 640;
const H = 440;
const PAD = 12;

/** Data ↔ plot coordinates for the map's bounds. */
function useScale(points: MapPoints) {
  return useMemo(() => {
    const b = mapBounds(points);
    const sx = (W - 2 * PAD) / (b.x[1] - b.x[0]);
    const sy = (H - 2 * PAD) / (b.y[1] - b.y[0]);
    return {
      bounds: b,
      px: (x: number) => PAD + (x - b.x[0]) * sx,
      py: (y: number) => PAD + (b.y[1] - y) * sy,
      dx: (px: number) => b.x[0] + (px - PAD) / sx,
      dy: (py: number) => b.y[1] - (py - PAD) / sy,
    };
  }, [points]);
}

type Scale = ReturnType<typeof useScale>;

function pointColor(points: MapPoints, i: number, by: ColorBy): string {
  if (by === 'fused') return rampColor(points.fused[i] ?? 0);
  if (by === 'error') return ERROR_BINS[errorBin(points.error[i] ?? null)]?.color ?? '#9aa0a6';
  return groupStyle(points.group[i] ?? 0).color;
}

/** The points layer; memoised, so dragging a rectangle does not redraw thousands of markers. */
const Points = memo(function Points({
  points,
  by,
  scale,
}: {
  points: MapPoints;
  by: ColorBy;
  scale: Scale;
}) {
  return (
    <g data-points={points.x.length}>
      {points.x.map((x, i) => {
        const shape = by === 'group' ? groupStyle(points.group[i] ?? 0).shape : 0;
        return (
          <path
            key={i}
            d={markerPath(shape, { x: scale.px(x), y: scale.py(points.y[i] ?? 0) }, 3)}
            fill={pointColor(points, i, by)}
            fillOpacity={0.75}
          />
        );
      })}
    </g>
  );
});

function Legend({ points, by }: { points: MapPoints; by: ColorBy }) {
  if (by === 'fused')
    return (
      <div className="legend" data-legend="fused">
        <span>ID percentile of the fused OOD score:</span>
        <span className="ramp" aria-hidden="true" />
        <span>0% (typical of ID) → 100% (less typical than every ID validation pair)</span>
      </div>
    );
  const items =
    by === 'error'
      ? ERROR_BINS.map((bin, b) => ({
          label: bin.label,
          path: markerPath(0, { x: 8, y: 8 }, 5),
          color: bin.color,
          n: points.error.filter((e) => errorBin(e) === b).length,
        }))
      : points.groups.map((g, k) => ({
          label: GROUP_LABELS[g] ?? g,
          path: markerPath(groupStyle(k).shape, { x: 8, y: 8 }, 5),
          color: groupStyle(k).color,
          n: points.group.filter((v) => v === k).length,
        }));
  return (
    <ul className="legend" data-legend={by}>
      {items.map((it) => (
        <li key={it.label}>
          <svg width="16" height="16" aria-hidden="true">
            <path d={it.path} fill={it.color} />
          </svg>
          {it.label} ({count(it.n)})
        </li>
      ))}
    </ul>
  );
}

/** A rectangle cut to the plot area. */
function clampBox(b: { x: number; y: number; w: number; h: number }) {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return {
    x,
    y,
    w: Math.max(0, Math.min(W, b.x + b.w) - x),
    h: Math.max(0, Math.min(H, b.y + b.h) - y),
  };
}

/** The four bound fields, as typed. */
type Draft = Record<'x0' | 'x1' | 'y0' | 'y1', string>;

const draftOf = (r: MapRegion | undefined): Draft =>
  r === undefined
    ? { x0: '', x1: '', y0: '', y1: '' }
    : {
        x0: String(r.x[0]),
        x1: String(r.x[1]),
        y0: String(r.y[0]),
        y1: String(r.y[1]),
      };

const regionOf = (d: Draft): MapRegion | undefined =>
  parseRegion([d.x0, d.x1, d.y0, d.y1].map((v) => (v.trim() === '' ? 'x' : v)).join(','));

function RegionFields({ draft, onChange }: { draft: Draft; onChange: (d: Draft) => void }) {
  const fields: [keyof Draft, string][] = [
    ['x0', 'x from'],
    ['x1', 'x to'],
    ['y0', 'y from'],
    ['y1', 'y to'],
  ];
  return (
    <fieldset className="filters region-fields">
      <legend>Region (drag on the map, or type the bounds)</legend>
      {fields.map(([key, label]) => (
        <label key={key} className="field">
          {label}
          <input
            type="number"
            step="any"
            name={key}
            value={draft[key]}
            onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
          />
        </label>
      ))}
    </fieldset>
  );
}

export function ShiftMapExplorer({
  points,
  run,
  initialRegion,
}: {
  points: MapPoints;
  /** The run named in the URL, carried by the Samples link. */
  run: string | undefined;
  /** `?region=` of the URL, if any. */
  initialRegion: string | undefined;
}) {
  const [by, setBy] = useState<ColorBy>('group');
  const [draft, setDraft] = useState<Draft>(draftOf(parseRegion(initialRegion)));
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const scale = useScale(points);
  // Set once hydrated: dragging works from then on (the browser test waits for it).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const region = regionOf(draft);
  const shared = region === undefined ? undefined : formatRegion(region);
  // The region goes into the address (no navigation), so a shared link reopens it.
  useEffect(() => {
    if (!ready) return;
    const url = new URL(window.location.href);
    if (shared === undefined) url.searchParams.delete('region');
    else url.searchParams.set('region', shared);
    if (url.href !== window.location.href)
      window.history.replaceState(window.history.state, '', url);
  }, [ready, shared]);
  const inside = useMemo(
    () =>
      shared === undefined
        ? []
        : pointsIn(points, parseRegion(shared) ?? { x: [0, -1], y: [0, -1] }),
    [points, shared],
  );

  const toPlot = (e: PointerEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) / box.width) * W,
      y: ((e.clientY - box.top) / box.height) * H,
    };
  };
  const onDown = (e: PointerEvent<SVGSVGElement>) => {
    const p = toPlot(e);
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
  };
  const onMove = (e: PointerEvent<SVGSVGElement>) => {
    if (drag === null) return;
    const p = toPlot(e);
    setDrag({ ...drag, x1: p.x, y1: p.y });
  };
  const onUp = () => {
    if (drag === null) return;
    setDrag(null);
    if (Math.abs(drag.x1 - drag.x0) < 3 && Math.abs(drag.y1 - drag.y0) < 3) return;
    const xs = [scale.dx(drag.x0), scale.dx(drag.x1)].sort((a, b) => a - b);
    const ys = [scale.dy(drag.y0), scale.dy(drag.y1)].sort((a, b) => a - b);
    setDraft(
      draftOf(
        parseRegion(formatRegion({ x: [xs[0] ?? 0, xs[1] ?? 0], y: [ys[0] ?? 0, ys[1] ?? 0] })),
      ),
    );
  };

  const box =
    drag !== null
      ? {
          x: Math.min(drag.x0, drag.x1),
          y: Math.min(drag.y0, drag.y1),
          w: Math.abs(drag.x1 - drag.x0),
          h: Math.abs(drag.y1 - drag.y0),
        }
      : region === undefined
        ? null
        : {
            x: scale.px(region.x[0]),
            y: scale.py(region.y[1]),
            w: scale.px(region.x[1]) - scale.px(region.x[0]),
            h: scale.py(region.y[0]) - scale.py(region.y[1]),
          };
  const shown = box === null ? null : clampBox(box);
  const byGroup = points.groups.map((g, k) => ({
    g,
    n: inside.filter((i) => points.group[i] === k).length,
  }));

  return (
    <>
      <div className="filters">
        <label className="field">
          Colour by
          <select name="color" value={by} onChange={(e) => setBy(e.target.value as ColorBy)}>
            <option value="group">group (ID test, near, far, pool)</option>
            <option value="fused">fused OOD percentile</option>
            <option value="error">error |decided − true grade|</option>
          </select>
        </label>
      </div>
      <figure className="chart map-figure" data-chart="shift-map" data-points={points.x.length}>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          width="100%"
          className="svg-chart map-svg"
          role="img"
          aria-label={`2-D map of ${count(points.x.length)} pairs (PCA of the content space: axis 1 explains ${pct(points.explained[0])} of the ID-train variance, axis 2 ${pct(points.explained[1])}), coloured by ${by}. Drag to select a region, or type its bounds below.`}
          onPointerDown={onDown}
          onPointerMove={onMove}
          onPointerUp={onUp}
          onPointerCancel={() => setDrag(null)}
          data-ready={ready ? 'yes' : undefined}
          data-bounds={[
            scale.bounds.x[0],
            scale.bounds.x[1],
            scale.bounds.y[0],
            scale.bounds.y[1],
          ].join(',')}
        >
          <rect x={0} y={0} width={W} height={H} fill="#fff" stroke="#d5d9e0" />
          <Points points={points} by={by} scale={scale} />
          {shown === null ? null : (
            <rect
              x={shown.x}
              y={shown.y}
              width={shown.w}
              height={shown.h}
              fill="rgba(47,111,219,0.12)"
              stroke="#2f6fdb"
              strokeDasharray="4 3"
              data-region-box
            />
          )}
        </svg>
        <figcaption className="note">
          Axis 1 (x) explains {pct(points.explained[0])} and axis 2 (y) {pct(points.explained[1])}{' '}
          of the ID-train content variance. Points near each other are about similar things.
        </figcaption>
      </figure>
      <Legend points={points} by={by} />
      <RegionFields draft={draft} onChange={setDraft} />
      <p
        role="status"
        aria-live="polite"
        data-region-count={region === undefined ? '' : inside.length}
      >
        {region === undefined ? (
          'No region selected.'
        ) : (
          <>
            <strong>{count(inside.length)}</strong> points in the region (
            {byGroup
              .filter((b) => b.n > 0)
              .map((b) => `${GROUP_LABELS[b.g] ?? b.g} ${count(b.n)}`)
              .join(', ') || 'none'}
            ).{' '}
            {inside.length === 0 ? null : (
              <a href={samplesHref({ run, region: shared })} data-open-region>
                Open these pairs in Samples
              </a>
            )}
          </>
        )}
      </p>
    </>
  );
}
