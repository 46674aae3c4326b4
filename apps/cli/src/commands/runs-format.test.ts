import { describe, expect, it } from 'vitest';

import type { RunRecord } from '@gradeshift/pipeline';

import { formatDuration, formatRunDetails, formatRunTable } from './runs-format';

const RUN: RunRecord = {
  id: '0123456789abcdef',
  name: 'hd',
  kind: 'pipeline',
  status: 'failed',
  createdAt: '2025-01-02T03:04:05.678Z',
  finishedAt: '2025-01-02T03:06:10.000Z',
  outDir: '/runs/hd',
  config: {},
  dataFingerprint: null,
  error: 'bad row',
};

describe('formatDuration', () => {
  it.each([
    ['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:12.400Z', '12.4s'],
    ['2025-01-01T00:00:00.000Z', '2025-01-01T00:03:05.000Z', '3m05s'],
    ['2025-01-01T00:00:00.000Z', '2025-01-01T01:02:00.000Z', '1h02m'],
    ['2025-01-01T00:00:00.000Z', null, '–'],
    ['2025-01-01T00:00:10.000Z', '2025-01-01T00:00:00.000Z', '?'],
  ])('%s → %s = %s', (start, end, text) => {
    expect(formatDuration(start, end)).toBe(text);
  });
});

describe('run views', () => {
  it('lists runs with a short id and UTC times', () => {
    expect(formatRunTable([RUN])).toBe(
      [
        'id        status  kind      name  created (UTC)        took   out',
        '01234567  failed  pipeline  hd    2025-01-02 03:04:05  2m04s  /runs/hd',
      ].join('\n'),
    );
  });

  it('shows the error of a failed run and omits empty sections', () => {
    const text = formatRunDetails({ run: RUN, stages: [], metrics: [], artifacts: [] });
    expect(text).toContain('  status:   failed (bad row)\n');
    expect(text).toContain('  finished: 2025-01-02 03:06:10 UTC (2m04s)\n');
    expect(text).not.toContain('stages:');
    expect(text).not.toContain('metrics:');
  });
});
