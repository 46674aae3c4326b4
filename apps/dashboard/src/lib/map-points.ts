/**
 * The Map view's points as the client draws them: the map file's columns (`runs.map`) with coordinates
 * rounded to 5 significant digits (the page carries up to 10,000 points), the plot's data bounds, and which
 * points a rectangle holds.
 */
import type { RouterOutputs } from '@gradeshift/api';
import type { MapRegion } from './samples-query';

export type ShiftMap = RouterOutputs['runs']['map'];

/** The map's points, column-wise, as the client receives them. */
export interface MapPoints {
  readonly groups: readonly string[];
  readonly group: readonly number[];
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly fused: readonly number[];
  readonly error: readonly (number | null)[];
  readonly explained: readonly [number, number];
}

const round = (v: number) => Number(v.toPrecision(5));

/** The client's copy of a map (ids stay on the server: Samples finds the pairs by region). */
export function toMapPoints(map: ShiftMap): MapPoints {
  return {
    groups: map.groups,
    group: map.group,
    x: map.x.map(round),
    y: map.y.map(round),
    fused: map.fused_percentile.map((v) => Number(v.toFixed(4))),
    error: map.error.map((v) => (v === null ? null : Number(v.toFixed(4)))),
    explained: map.explained_variance,
  };
}

/** The points' bounding box, widened by 5% on each side (a degenerate axis by ±1). */
export function mapBounds(points: Pick<MapPoints, 'x' | 'y'>): MapRegion {
  const span = (values: readonly number[]): [number, number] => {
    let lo = Math.min(...values);
    let hi = Math.max(...values);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
    if (hi - lo < 1e-12) return [lo - 1, hi + 1];
    const pad = 0.05 * (hi - lo);
    lo -= pad;
    hi += pad;
    return [lo, hi];
  };
  return { x: span(points.x), y: span(points.y) };
}

/** Indices of the points inside a rectangle (bounds inclusive), as the API's region filter counts them. */
export function pointsIn(points: Pick<MapPoints, 'x' | 'y'>, region: MapRegion): number[] {
  const out: number[] = [];
  points.x.forEach((x, i) => {
    const y = points.y[i] ?? Number.NaN;
    if (x >= region.x[0] && x <= region.x[1] && y >= region.y[0] && y <= region.y[1]) out.push(i);
  });
  return out;
}
