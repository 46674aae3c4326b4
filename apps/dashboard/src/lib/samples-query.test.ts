import { describe, expect, it } from 'vitest';

import {
  oodFlagValue,
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
});
