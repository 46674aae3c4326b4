import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runCli } from '../run-cli';
import { createTempDir, createTestContext, writeSyntheticPairs } from '../test-context';

let temp: ReturnType<typeof createTempDir>;
beforeEach(() => {
  temp = createTempDir();
});
afterEach(() => {
  temp.remove();
});

const MAPPING = [
  '--query-col',
  'query',
  '--item-col',
  'title',
  '--label-col',
  'rating',
  '--id-col',
  'id',
];

describe('gradeshift prepare', () => {
  it('loads a file, splits it by category and prints the split report', async () => {
    const rows = writeSyntheticPairs(join(temp.dir, 'pairs.csv'));
    const t = createTestContext({ cwd: temp.dir });
    const argv = [
      'prepare',
      '--data',
      'pairs.csv',
      ...MAPPING,
      '--category-col',
      'cat',
      '--thresholds',
      '1.75,2.33',
      '--range',
      '1,3',
      '--shift',
      'category',
      '--held-out',
      'garden',
    ];
    expect(await runCli(argv, t.ctx)).toBe(0);
    const out = t.stdout();
    expect(out).toContain(`rows: ${rows}, pairs: ${rows}, skipped: 0, truncated texts: 0`);
    expect(out).toContain('grades: irrelevant < weak < strong');
    expect(out).toContain('category shift, seed 0, held out: garden');
    expect(out).toMatch(/ood_test\s+\d+/);
    expect(t.stderr()).toContain('[split] category shift, seed 0');
  });

  it('prints the report as JSON with --json', async () => {
    writeSyntheticPairs(join(temp.dir, 'pairs.csv'));
    const t = createTestContext({ cwd: temp.dir });
    const argv = [
      'prepare',
      '--data',
      'pairs.csv',
      ...MAPPING,
      '--thresholds',
      '1.75,2.33',
      '--json',
    ];
    expect(await runCli(argv, t.ctx)).toBe(0);
    const json = JSON.parse(t.stdout());
    expect(json.report.strategy).toBe('query-cluster');
    expect(json.source.path).toBe(join(temp.dir, 'pairs.csv'));
  });

  it('exits with 65 and file:line for a malformed row', async () => {
    writeFileSync(
      join(temp.dir, 'bad.csv'),
      'id,query,title,rating\n1,drill,cordless drill,2.5\n2,saw,hand saw,high\n',
    );
    const t = createTestContext({ cwd: temp.dir });
    const argv = ['prepare', '--data', 'bad.csv', ...MAPPING, '--thresholds', '1.75,2.33'];
    expect(await runCli(argv, t.ctx)).toBe(65);
    expect(t.stderr()).toMatch(/gradeshift: error: .*bad\.csv:3: .*\[BAD_RATING\]\nhint: /);
    expect(t.stdout()).toBe('');
  });

  it('exits with 65 for a column that the file does not have', async () => {
    writeSyntheticPairs(join(temp.dir, 'pairs.csv'));
    const t = createTestContext({ cwd: temp.dir });
    const argv = [
      'prepare',
      '--data',
      'pairs.csv',
      ...MAPPING.slice(0, 4),
      '--label-col',
      'score',
      '--thresholds',
      '2',
    ];
    expect(await runCli(argv, t.ctx)).toBe(65);
    expect(t.stderr()).toContain('[MISSING_COLUMN]');
  });

  it('exits with 2 when the shift does not fit the data (an unknown held-out category)', async () => {
    writeSyntheticPairs(join(temp.dir, 'pairs.csv'));
    const t = createTestContext({ cwd: temp.dir });
    const argv = [
      'prepare',
      '--data',
      'pairs.csv',
      ...MAPPING,
      '--category-col',
      'cat',
      '--thresholds',
      '2',
      '--shift',
      'category',
      '--held-out',
      'toys',
    ];
    expect(await runCli(argv, t.ctx)).toBe(2);
    expect(t.stderr()).toContain(
      'gradeshift: error: held-out category "toys" does not occur (categories: garden, paint, tools)\n',
    );
  });
});
