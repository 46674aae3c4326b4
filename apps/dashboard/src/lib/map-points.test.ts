import { describe, expect, it } from 'vitest';

import { errorBin, rampColor } from '../components/map-colors';
import { mapBounds, pointsIn, toMapPoints, type ShiftMap } from './map-points';

const map: ShiftMap = {
  format: 'gradeshift-map',
  version: 1,
  method: 'pca',
  explained_variance: [0.2, 0.1],
  groups: ['id_test', 'far'],
  ids: ['a', 'b', 'c'],
  group: [0, 0, 1],
  x: [0.123456789, 1, 2],
  y: [-1, 0, 1],
  fused_percentile: [0.123456, 0.5, 0.99],
  error: [0, 2, null],
};

describe('map points', () => {
  it('rounds coordinates to 5 significant digits and keeps the columns aligned', () => {
    const p = toMapPoints(map);
    expect(p.x).toEqual([0.12346, 1, 2]);
    expect(p.fused).toEqual([0.1235, 0.5, 0.99]);
    expect(p.error).toEqual([0, 2, null]);
    expect(p.groups).toEqual(['id_test', 'far']);
  });

  it('pads the bounds by 5% and widens a degenerate axis', () => {
    expect(mapBounds({ x: [0, 10], y: [1, 1] })).toEqual({ x: [-0.5, 10.5], y: [0, 2] });
  });

  it('counts the points inside a rectangle, bounds inclusive', () => {
    const p = toMapPoints(map);
    expect(pointsIn(p, { x: [1, 2], y: [0, 1] })).toEqual([1, 2]);
    expect(pointsIn(p, { x: [1.0001, 2], y: [-5, 5] })).toEqual([2]);
    expect(pointsIn(p, { x: [5, 6], y: [5, 6] })).toEqual([]);
  });

  it('colours the fused percentile on a ramp from its first to its last stop, and bins errors', () => {
    expect(rampColor(0)).toBe('#440154');
    expect(rampColor(1)).toBe('#fde725');
    expect(rampColor(0.5)).toBe('#21918c');
    expect(rampColor(Number.NaN)).toBe('#440154');
    expect([0, 0.4, 0.6, 1.4, 1.6, 2, null].map(errorBin)).toEqual([0, 0, 1, 1, 2, 2, 3]);
  });
});
