import { describe, expect, it } from 'vitest';

import {
  formatRegion,
  oodFlagValue,
  parseRegion,
  readSamplesState,
  samplesHref,
  toPairInput,
  toPredictionsInput,
} from './samples-query';

describe('samples query state', () => {
  it("reads the filter form's one OOD select into a detector and a flag, and links carry both", () => {
    const state = readSamplesState({ oodflag: 'no:knn', slice: 'paint', split: 'ood_test' });
    expect(state).toMatchObject({ ood: 'knn', flagged: 'no', slice: 'paint' });
    expect(oodFlagValue(state)).toBe('no:knn');
    const again = readSamplesState(
      Object.fromEntries(new URLSearchParams(samplesHref(state).split('?')[1])),
    );
    expect(again).toEqual(state);
    expect(toPredictionsInput('r', state)).toMatchObject({
      slice: 'paint',
      ood: { detector: 'knn', flagged: false },
    });
  });

  it('filters by no detector when none is chosen, whatever the flag says', () => {
    const state = readSamplesState({ flagged: 'yes' });
    expect(state.ood).toBeUndefined();
    expect(state.flagged).toBeUndefined();
    expect(toPredictionsInput('r', state).ood).toBeUndefined();
  });

  it('opens one pair by split and id (ids may hold colons), and drops a malformed one', () => {
    expect(toPairInput('r', 'pool:a:b')).toEqual({
      id: 'r',
      split: 'pool',
      pairId: 'a:b',
      limit: 1,
    });
    expect(readSamplesState({ pair: 'id_test:17' }).pair).toBe('id_test:17');
    expect(readSamplesState({ pair: 'no-colon' }).pair).toBeUndefined();
  });

  it('carries a map region to the request, and drops a malformed or reversed one', () => {
    const state = readSamplesState({ region: '-0.5,2,-1,1.25', split: 'far_test' });
    expect(state.region).toBe('-0.5,2,-1,1.25');
    expect(toPredictionsInput('r', state).region).toEqual({ x: [-0.5, 2], y: [-1, 1.25] });
    expect(samplesHref(state)).toContain('region=-0.5%2C2%2C-1%2C1.25');
    expect(readSamplesState({ region: '1,0,0,1' }).region).toBeUndefined();
    expect(readSamplesState({ region: '0,1,0' }).region).toBeUndefined();
    expect(readSamplesState({ region: '0,1,0,x' }).region).toBeUndefined();
    expect(toPredictionsInput('r', readSamplesState({})).region).toBeUndefined();
  });

  it('rounds a region outwards to 4 significant digits, so every point inside stays inside', () => {
    const region = {
      x: [-0.123456, 2.345678] as [number, number],
      y: [0.000123456, 98765.4] as [number, number],
    };
    expect(formatRegion(region)).toBe('-0.1235,2.346,0.0001234,98770');
    const back = parseRegion(formatRegion(region))!;
    expect(back.x[0]).toBeLessThanOrEqual(region.x[0]);
    expect(back.x[1]).toBeGreaterThanOrEqual(region.x[1]);
    expect(back.y[0]).toBeLessThanOrEqual(region.y[0]);
    expect(back.y[1]).toBeGreaterThanOrEqual(region.y[1]);
    expect(formatRegion({ x: [0, 1], y: [-2, 0] })).toBe('0,1,-2,0');
  });
});
