import { describe, expect, it } from 'vitest';

import type { LabeledPair } from '../data/dataset';
import type { PreparedSplit } from '../stages/prepare';
import { nearestTrainingPairs, NEIGHBOURS } from './nearest-training';

/** A split whose content rows are the given unit query / item directions (2-D each). */
function split(name: string, rows: [number, number][][], pairs: LabeledPair[]): PreparedSplit {
  const data = Float64Array.from(rows.flatMap(([q, i]) => [...(q ?? []), ...(i ?? [])]));
  return {
    name,
    pairs,
    frozen: {} as PreparedSplit['frozen'],
    labels: Int32Array.from(pairs.map((p) => p.grade)),
    ratings: new Float64Array(pairs.length).fill(Number.NaN),
    queries: pairs.map((p) => p.query),
    content: {
      content: { rows: rows.length, cols: 4, data },
      surprisal: new Float64Array(rows.length),
    },
  };
}

const pair = (id: string, grade: number): LabeledPair => ({
  id,
  query: `q${id}`,
  item: `i${id}`,
  grade,
  line: 1,
});
const at = (deg: number): [number, number] => [
  Math.cos((deg * Math.PI) / 180),
  Math.sin((deg * Math.PI) / 180),
];

describe('nearestTrainingPairs', () => {
  it('finds the training pairs whose query and item directions are closest, most similar first', async () => {
    // Training pairs at 0°, 30°, 60°, 90° (query and item alike).
    const train = split(
      'id_train',
      [0, 30, 60, 90].map((d) => [at(d), at(d)]),
      ['a', 'b', 'c', 'd'].map((id, g) => pair(id, g % 3)),
    );
    const test = split(
      'id_test',
      [
        [at(35), at(35)],
        [at(88), at(0)],
      ],
      [pair('x', 0), pair('y', 1)],
    );
    const found = (await nearestTrainingPairs(train, [test], 0)).get(test);
    expect(found).toHaveLength(2);
    const [first, second] = found ?? [];
    expect(first?.map((n) => n.id)).toEqual(['b', 'c', 'a'].slice(0, NEIGHBOURS));
    // Similarity = mean of the two cosines: 35° from b on both halves.
    expect(first?.[0]?.similarity).toBeCloseTo(Math.cos((5 * Math.PI) / 180), 4);
    // Query at 88°, item at 0°: b (30°) is 58° and 30° away, closer on the mean than a (88°, 0°) or d (2°, 90°).
    const rad = (d: number) => (d * Math.PI) / 180;
    expect(second?.map((n) => n.id)).toEqual(['b', 'c', 'a'].slice(0, NEIGHBOURS));
    expect(second?.[0]?.similarity).toBeCloseTo((Math.cos(rad(58)) + Math.cos(rad(30))) / 2, 4);
    expect(first?.[0]).toMatchObject({ query: 'qb', item: 'ib', grade: 1 });
  });
});
