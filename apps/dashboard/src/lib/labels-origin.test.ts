import { describe, expect, it } from 'vitest';

import { baseName, labelsOrigin } from './labels-origin';

describe('labelsOrigin', () => {
  it('reads the annotated run and the labels file of a labels run', () => {
    const config = {
      from_run: { id: 'abc-123', dir: '/w/runs/steps' },
      labels: { file: '/w/labels.csv', sha256: 'f'.repeat(64), format: 'csv' },
    };
    expect(labelsOrigin({ kind: 'labels', config })).toEqual({
      fromRunId: 'abc-123',
      fromDir: '/w/runs/steps',
      labelsFile: '/w/labels.csv',
    });
    expect(
      labelsOrigin({ kind: 'labels', config: { ...config, from_run: { id: null, dir: '/d' } } })
        ?.fromRunId,
    ).toBeNull();
  });

  it('says nothing for other runs or a config it does not know', () => {
    expect(labelsOrigin({ kind: 'steps', config: { labels: {} } })).toBeUndefined();
    expect(labelsOrigin({ kind: 'labels', config: null })).toBeUndefined();
    expect(baseName('/w/runs/steps/')).toBe('steps');
  });
});
