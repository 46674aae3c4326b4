import { describe, expect, it } from 'vitest';

import { queueCsv, type QueueItem } from './selection-queue';

const item = (id: string, rank: number): QueueItem => ({
  rank,
  id,
  query: 'cordless drill',
  item: 'Acme 20V Drill, "Max"',
  predicted: 1,
  probs: [0.2, 0.5, 0.3],
  grade: null,
  summary: 'percentile 0.99 ≥ 0.95',
  fusedPercentile: 0.99,
  cluster: 2,
  detectors: [],
});

describe('queueCsv', () => {
  it('names the predicted grade and ends every row with an empty label column for annotators (gradeshift train --labels reads id and label)', () => {
    const csv = queueCsv([item('p-1', 1), item('p-2', 2)], ['irrelevant', 'weak', 'strong']);
    const lines = csv.trim().split('\n');
    expect(lines[0]?.split(',').at(-1)).toBe('label');
    expect(lines.slice(1).every((l) => l.endsWith(','))).toBe(true);
    expect(lines[1]).toBe(
      '1,p-1,cordless drill,"Acme 20V Drill, ""Max""",weak,0.99,2,percentile 0.99 ≥ 0.95,',
    );
  });
});
