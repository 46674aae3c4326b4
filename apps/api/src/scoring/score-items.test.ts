import type { BundlePairScores } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

import type { ScorerModel } from '../models/model-kinds';
import type { ServedModel } from '../models/model-registry';
import { scoreItems } from './score-items';

/** A served model whose scorer answers `scores` for two items (manifest fields the rows do not read are left out). */
function modelAnswering(scores: BundlePairScores): ServedModel {
  return {
    id: 'm',
    version: 1,
    dir: 'm',
    loadedAt: '2026-01-01T00:00:00.000Z',
    kind: 'scorer',
    sha256: 'ab',
    bytes: 0,
    manifest: { model: { sha256: 'ab' }, ood: {} } as unknown as ScorerModel['manifest'],
    scorer: {
      manifest: {} as ScorerModel['manifest'],
      scorePairs: () => Promise.resolve(scores),
      scoreBatch: () => Promise.reject(new Error('unused')),
    },
  };
}

function twoItems(overrides: Partial<BundlePairScores> = {}): BundlePairScores {
  const ood = {
    knn: {
      score: Float64Array.from([0.5, 0.7]),
      percentile: Float64Array.from([0.2, 0.9]),
      flag: Uint8Array.from([0, 1]),
      threshold: 0.6,
    },
  };
  return {
    count: 2,
    grades: ['low', 'high'],
    probs: Float32Array.from([0.25, 0.75, 0.5, 0.5]),
    expected: Float32Array.from([0.75, 0.5]),
    predicted: Int32Array.from([1, 0]),
    rank: Uint32Array.from([0, 1]),
    ood,
    ...overrides,
  };
}

const input = {
  query: 'q',
  items: [
    { id: 'a', text: 'a' },
    { id: 'b', text: 'b' },
  ],
};

describe('scoreItems', () => {
  it('turns the scores into rows in input order', async () => {
    const list = await scoreItems(modelAnswering(twoItems()), input);
    expect(list.items.map((r) => [r.id, r.rank, r.predicted, r.ood['knn']?.ood])).toEqual([
      ['a', 1, 'high', false],
      ['b', 2, 'low', true],
    ]);
  });

  it('refuses a non-finite figure instead of sending null, naming it', async () => {
    await expect(
      scoreItems(modelAnswering(twoItems({ expected: Float32Array.from([0.75, NaN]) })), input),
    ).rejects.toThrow('model "m" returned a non-finite figure: expected[1] = NaN');
    const ood = twoItems().ood['knn'];
    if (ood === undefined) throw new Error('no knn');
    const infinite = { ...ood, percentile: Float64Array.from([0.2, Infinity]) };
    await expect(
      scoreItems(modelAnswering(twoItems({ ood: { knn: infinite } })), input),
    ).rejects.toThrow('ood.knn.percentile[1] = Infinity');
  });
});
