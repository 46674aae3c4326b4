import { describe, expect, it } from 'vitest';

import { pathRoots, publicText, publicValue } from './public-paths';

const roots = pathRoots(
  {
    dataDir: '/srv/shared/data',
    runsDir: '/srv/repo/runs',
    modelsDir: '/srv/repo/runs',
    runStorePath: '/srv/repo/runs/runs.sqlite',
  },
  ['/srv/repo'],
);

describe('public paths', () => {
  it('shows paths relative to the configured folders', () => {
    expect(publicText('/srv/shared/data/small.csv:1: bad [X]', roots)).toBe('small.csv:1: bad [X]');
    expect(publicText('outDir /srv/repo/runs/eval-1 and /srv/repo/runs', roots)).toBe(
      'outDir eval-1 and .',
    );
  });

  it('cuts any other absolute path to its file name', () => {
    expect(publicText("ENOENT: open '/home/u/secret/x.csv'", roots)).toBe("ENOENT: open 'x.csv'");
    expect(publicText('(/tmp/abc/def.jsonl:12: no)', roots)).toBe('(def.jsonl:12: no)');
    expect(publicText('a 1/2 ratio and http://host/x stay', roots)).toBe(
      'a 1/2 ratio and http://host/x stay',
    );
  });

  it('walks objects and arrays', () => {
    expect(
      publicValue({ outDir: '/srv/repo/runs/a', list: ['/opt/m/model.onnx'], n: 3 }, roots),
    ).toEqual({ outDir: 'a', list: ['model.onnx'], n: 3 });
  });
});
