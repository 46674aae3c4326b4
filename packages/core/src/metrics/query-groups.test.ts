import { describe, expect, it } from 'vitest';

import { groupByQuery } from './query-groups';

describe('groupByQuery', () => {
  it('groups non-contiguous ids in order of first appearance, keeping input order inside a query', () => {
    const g = groupByQuery(['b', 'a', 'b', 7, 'a', 'b']);
    expect(g.ids).toEqual(['b', 'a', 7]);
    expect(Array.from(g.offsets)).toEqual([0, 3, 5, 6]);
    expect(Array.from(g.indices)).toEqual([0, 2, 5, 1, 4, 3]);
    expect(Array.from(g.groupOf)).toEqual([0, 1, 0, 2, 1, 0]);
  });

  it('treats the number 1 and the string "1" as different queries', () => {
    expect(groupByQuery([1, '1', 1]).ids).toEqual([1, '1']);
  });

  it('rejects empty input and NaN ids', () => {
    expect(() => groupByQuery([])).toThrow(new RangeError('queryIds must not be empty'));
    expect(() => groupByQuery([1, Number.NaN])).toThrow(
      /queryIds\[1\] must be a string or a finite number \(got NaN\)/,
    );
  });
});
