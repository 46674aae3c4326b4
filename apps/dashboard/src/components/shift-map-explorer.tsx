'use client';
/**
 * The Map view's interactive part: the run's 2-D map as an SVG scatter coloured by group, fused OOD percentile
 * or error (a selector), with a legend; a rectangle chosen by dragging on the plot or typed into four number
 * fields (the keyboard way) counts the points inside and opens those pairs in Samples (`?region=`), by a plain
 * link (a document navigation, see `lib/views.ts`).
 */
import { useEffect, useMemo, useState, type PointerEvent } from 'react';

import { count } from '../lib/format';
import { pointsIn, type MapPoints } from '../lib/map-points';
import { formatRegion, parseRegion, samplesHref, type MapRegion } from '../lib/samples-query';
import { GROUP_LABELS, type ColorBy } from './map-colors';
import {
  H,
  Legend,
  MapFigure,
  useScale,
  W,
  type DragHandlers,
  type PlotBox,
  type Scale,
} from './map-plot';
import { draftOf, regionOf, RegionFields, type Draft } from './map-region-fields';

/** A drag in progress, from (x0, y0) to (x1, y1) in plot units. */
interface Drag {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Dragging a rectangle on the plot: the drag in progress, and its handlers; a finished drag sets the region. */
function useRegionDrag(scale: Scale, setDraft: (d: Draft) => void) {
  const [drag, setDrag] = useState<Drag | null>(null);
  const toPlot = (e: PointerEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) / box.width) * W,
      y: ((e.clientY - box.top) / box.height) * H,
    };
  };
  const handlers: DragHandlers = {
    onPointerDown: (e) => {
      const p = toPlot(e);
      e.currentTarget.setPointerCapture(e.pointerId);
      setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
    },
    onPointerMove: (e) => {
      if (drag === null) return;
      const p = toPlot(e);
      setDrag({ ...drag, x1: p.x, y1: p.y });
    },
    onPointerUp: () => {
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
    },
    onPointerCancel: () => setDrag(null),
  };
  return { drag, handlers };
}

/** Keeps the region (`shared`, as `?region=` writes it) in the address without navigating, once hydrated. */
function useRegionInUrl(ready: boolean, shared: string | undefined) {
  useEffect(() => {
    if (!ready) return;
    const url = new URL(window.location.href);
    if (shared === undefined) url.searchParams.delete('region');
    else url.searchParams.set('region', shared);
    if (url.href !== window.location.href)
      window.history.replaceState(window.history.state, '', url);
  }, [ready, shared]);
}

/** The rectangle to draw: the drag in progress, else the chosen region, else none. */
function regionBox(drag: Drag | null, region: MapRegion | undefined, scale: Scale): PlotBox | null {
  if (drag !== null)
    return {
      x: Math.min(drag.x0, drag.x1),
      y: Math.min(drag.y0, drag.y1),
      w: Math.abs(drag.x1 - drag.x0),
      h: Math.abs(drag.y1 - drag.y0),
    };
  if (region === undefined) return null;
  return {
    x: scale.px(region.x[0]),
    y: scale.py(region.y[1]),
    w: scale.px(region.x[1]) - scale.px(region.x[0]),
    h: scale.py(region.y[0]) - scale.py(region.y[1]),
  };
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
  const scale = useScale(points);
  const { drag, handlers } = useRegionDrag(scale, setDraft);
  // Set once hydrated: dragging works from then on (the browser test waits for it).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const region = regionOf(draft);
  const shared = region === undefined ? undefined : formatRegion(region);
  // The region goes into the address (no navigation), so a shared link reopens it.
  useRegionInUrl(ready, shared);
  const inside = useMemo(
    () =>
      shared === undefined
        ? []
        : pointsIn(points, parseRegion(shared) ?? { x: [0, -1], y: [0, -1] }),
    [points, shared],
  );
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
      <MapFigure
        points={points}
        by={by}
        scale={scale}
        box={regionBox(drag, region, scale)}
        ready={ready}
        drag={handlers}
      />
      <Legend points={points} by={by} />
      <RegionFields draft={draft} onChange={setDraft} />
      <RegionStatus
        points={points}
        inside={region === undefined ? null : inside}
        href={samplesHref({ run, region: shared })}
      />
    </>
  );
}

/** How many points the region holds, by group, and the link to them in Samples; or that there is none. */
function RegionStatus({
  points,
  inside,
  href,
}: {
  points: MapPoints;
  /** The indices of the points in the region; null when no region is chosen. */
  inside: readonly number[] | null;
  href: string;
}) {
  const byGroup = points.groups.map((g, k) => ({
    g,
    n: inside === null ? 0 : inside.filter((i) => points.group[i] === k).length,
  }));
  return (
    <p role="status" aria-live="polite" data-region-count={inside === null ? '' : inside.length}>
      {inside === null ? (
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
            <a href={href} data-open-region>
              Open these pairs in Samples
            </a>
          )}
        </>
      )}
    </p>
  );
}
