/**
 * A bad far-OOD file stops a run with file:line:reason before any training, and leaves no weights behind.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { DataError } from '../data/data-error';
import { runPipeline } from './run-pipeline';
import type { FarSource } from './types';

const MAIN = [
  'id,q,title,score',
  ...Array.from({ length: 60 }, (_, i) => `${i},query ${i % 20},title ${i},${1 + (i % 3)}`),
].join('\n');
const mapping = (path: string): FarSource => ({
  source: {
    path,
    columns: { id: 'id', query: 'query', item: 'product_title', label: 'median_relevance' },
    grades: { kind: 'thresholds', edges: [1.5, 3.5], range: [1, 4] },
  },
});

describe('a bad far-OOD file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-far-'));
    writeFileSync(join(dir, 'main.csv'), `${MAIN}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (far: FarSource, name: string) =>
    runPipeline({
      data: {
        path: join(dir, 'main.csv'),
        columns: { id: 'id', query: 'q', item: 'title', label: 'score' },
        grades: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
      },
      far,
      outDir: join(dir, 'runs', name),
      repoRoot: dir,
      cacheDir: join(dir, 'cache'),
    });

  it('with a label outside its grade mapping: file:line:reason, nothing trained', async () => {
    const path = join(dir, 'far-label.csv');
    writeFileSync(
      path,
      'id,query,product_title,median_relevance\n1,tv,led tv,4\n2,tv,tv stand,7\n',
    );
    const error = await run(mapping(path), 'label').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(
      /far-label\.csv:3.*rating 7 is outside the declared range \[1, 4\]/s,
    );
    expect(existsSync(join(dir, 'runs', 'label', 'params'))).toBe(false);
  });

  it('with a missing column: the column named', async () => {
    const path = join(dir, 'far-columns.csv');
    writeFileSync(path, 'id,query,title,median_relevance\n1,tv,led tv,4\n');
    const error = await run(mapping(path), 'columns').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/far-columns\.csv.*product_title/s);
  });

  it('with one query only: no pool and test set to cut', async () => {
    const path = join(dir, 'far-one.csv');
    writeFileSync(
      path,
      'id,query,product_title,median_relevance\n1,tv,led tv,4\n2,tv,tv stand,2\n',
    );
    await expect(run(mapping(path), 'one')).rejects.toThrow(/needs at least 2/);
  });
});
