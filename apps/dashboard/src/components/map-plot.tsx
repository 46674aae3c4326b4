'use client';
/**
 * The Map view's plot: data ↔ plot coordinates, the points coloured by group, fused OOD percentile or error
 * (memoised, so dragging a rectangle does not redraw thousands of markers), the legend of the colouring, and
 * the figure that draws them with the chosen region's rectangle.
 */
import { memo, useMemo, type PointerEvent } from 'react';

import { count, pct } from '../lib/format';
import { mapBounds, type MapPoints } from '../lib/map-points';
import {
  ERROR_BINS,
  errorBin,
  GROUP_LABELS,
  groupStyle,
  markerPath,
  rampColor,
  type ColorBy,
} from './map-colors';

/** The plot's width and height in SVG units. */
export const W = 640;
export const H = 440;
const PAD = 12;

/** Data ↔ plot coordinates for the map's bounds. */
export function useScale(points: MapPoints) {
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

/** The coordinates of a map (`useScale`). */
export type Scale = ReturnType<typeof useScale>;

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

/** The legend of the colouring: the ramp, or each group's or error bin's marker with its count. */
export function Legend({ points, by }: { points: MapPoints; by: ColorBy }) {
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
function clampBox(b: PlotBox): PlotBox {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return {
    x,
    y,
    w: Math.max(0, Math.min(W, b.x + b.w) - x),
    h: Math.max(0, Math.min(H, b.y + b.h) - y),
  };
}

/** A rectangle in plot units. */
export interface PlotBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The pointer handlers that drag a region on the plot. */
export interface DragHandlers {
  onPointerDown: (e: PointerEvent<SVGSVGElement>) => void;
  onPointerMove: (e: PointerEvent<SVGSVGElement>) => void;
  onPointerUp: () => void;
  onPointerCancel: () => void;
}

/** The map as an SVG scatter with the region's rectangle (`box`, cut to the plot), and its caption. */
export function MapFigure({
  points,
  by,
  scale,
  box,
  ready,
  drag,
}: {
  points: MapPoints;
  by: ColorBy;
  scale: Scale;
  box: PlotBox | null;
  /** Whether the page is hydrated (dragging works from then on; the browser test waits for it). */
  ready: boolean;
  drag: DragHandlers;
}) {
  const shown = box === null ? null : clampBox(box);
  return (
    <figure className="chart map-figure" data-chart="shift-map" data-points={points.x.length}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        className="svg-chart map-svg"
        role="img"
        aria-label={`2-D map of ${count(points.x.length)} pairs (PCA of the content space: axis 1 explains ${pct(points.explained[0])} of the ID-train variance, axis 2 ${pct(points.explained[1])}), coloured by ${by}. Drag to select a region, or type its bounds below.`}
        {...drag}
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
        Axis 1 (x) explains {pct(points.explained[0])} and axis 2 (y) {pct(points.explained[1])} of
        the ID-train content variance. Points near each other are about similar things.
      </figcaption>
    </figure>
  );
}
