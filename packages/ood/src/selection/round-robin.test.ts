import { matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { pickRoundRobin } from './round-robin';

describe('pickRoundRobin', () => {
  // candidates 0..5 in preference order; clusters [1, 1, 0, 2, 0, 1]; unit vectors along distinct axes
  const unit = matrixFromRows(
    Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => (i === j ? 1 : 0))),
  );
  const assignments = Int32Array.from([1, 1, 0, 2, 0, 1]);

  it('interleaves clusters in order of their best candidate', () => {
    // rounds: (c1: 0, c0: 2, c2: 3), (c1: 1, c0: 4), (c1: 5)
    const r = pickRoundRobin({ count: 6, assignments, unit, budget: 6, dedupeCosine: 0.95 });
    expect(r).toEqual({ picked: [0, 2, 3, 1, 4, 5], skippedDuplicates: 0 });
    expect(
      pickRoundRobin({ count: 6, assignments, unit, budget: 4, dedupeCosine: 0.95 }).picked,
    ).toEqual([0, 2, 3, 1]);
  });

  it('skips near-duplicates of earlier picks and moves on within the cluster', () => {
    const dup = matrixFromRows([
      [1, 0],
      [1, 0.01], // cosine 0.99995 with row 0: skipped
      [0, 1],
      [0.6, 0.8],
    ]);
    const r = pickRoundRobin({
      count: 4,
      assignments: Int32Array.from([0, 0, 1, 0]),
      unit: dup,
      budget: 4,
      dedupeCosine: 0.95,
    });
    expect(r).toEqual({ picked: [0, 2, 3], skippedDuplicates: 1 });
  });
});
