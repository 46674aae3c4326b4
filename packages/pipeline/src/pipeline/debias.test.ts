import { describe, expect, it } from 'vitest';

import { createPairFeaturizer, precomputeFrozen } from '@gradeshift/core';

import { createSmallBundle, SMALL_CONFIG } from '../bundle/test-fixtures';
import { inferSplit } from '../stages/infer';
import { withTemperature } from './debias';

describe('withTemperature', () => {
  const { params, vocabulary } = createSmallBundle(3);
  const featurizer = createPairFeaturizer({ vocabulary, config: SMALL_CONFIG });
  const batch = featurizer.featurize([
    { query: 'angle bracket', item: 'steel angle bracket 2 inch' },
    { query: 'rain shower head', item: 'white deck paint' },
    { query: 'deck paint', item: 'paint over deck white' },
  ]);
  const frozen = precomputeFrozen(params, batch);

  it('divides the logits by T and leaves the features and the arg-max alone', async () => {
    const before = await inferSplit(params, frozen);
    const after = await inferSplit(withTemperature(params, 2.5), frozen);
    before.logits.data.forEach((z, j) => expect(after.logits.data[j]).toBeCloseTo(z / 2.5, 12));
    expect(after.features.data).toEqual(before.features.data);
    expect(after.predicted).toEqual(before.predicted);
    // The weights passed in are not touched.
    expect((await inferSplit(params, frozen)).logits.data).toEqual(before.logits.data);
  });

  it('rejects a temperature that is not a positive finite number', () => {
    expect(() => withTemperature(params, 0)).toThrow(/temperature/);
    expect(() => withTemperature(params, Number.NaN)).toThrow(/temperature/);
  });
});
