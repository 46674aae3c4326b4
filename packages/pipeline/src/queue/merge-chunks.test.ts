/**
 * The merge's ranking through bucket files: pairs of 60 queries spread over chunks of uneven size, with tied
 * expected grades (broken by p(top grade), then input order), merged with one bucket and with eight; both give
 * every row its rank among its query's pairs as `rankPairsWithinQueries` computes it over the whole input in
 * memory, rows in input order.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { rankPairsWithinQueries } from '../pipeline/score-bundle-pairs';
import { writeChunkFile } from './chunk-file';
import { mergeChunks } from './merge-chunks';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 1000;
const query = (i: number) => `q "${(i * 37) % 60}"\t`;
const expected = (i: number) => [0.5, 1.25, 1 / 3, 2][(i * 13) % 4] ?? 0;
const top = (i: number) => [0.1, 0.2, 0.1][(i * 7) % 3] ?? 0;

describe('merging chunk outputs', () => {
  const sizes = [128, 256, 100, 384, 132];
  const chunks = sizes.map((size, c) => {
    const start = sizes.slice(0, c).reduce((a, b) => a + b, 0);
    const rows = Array.from({ length: size }, (_, j) => {
      const i = start + j;
      return {
        expected: expected(i),
        top: top(i),
        query: query(i),
        head: `{"i":${i},"rank":`,
        tail: '}\n',
      };
    });
    return writeChunkFile(dir, `c${c}`, rows);
  });
  const reference = new Int32Array(N);
  rankPairsWithinQueries(
    Array.from({ length: N }, (_, i) => ({ query: query(i) })),
    {
      expected: Float64Array.from({ length: N }, (_, i) => expected(i)),
      top: Float64Array.from({ length: N }, (_, i) => top(i)),
    },
    reference,
  );
  const want = Array.from(reference, (rank, i) => `{"i":${i},"rank":${rank}}\n`).join('');

  it.each([
    ['one bucket', undefined],
    ['eight buckets', 128],
  ])('ranks each query across chunks as in memory (%s)', (_, bucketPairs) => {
    const out = join(dir, `out-${bucketPairs ?? 'one'}.jsonl`);
    mergeChunks({
      partsDir: dir,
      chunks,
      pairs: N,
      out,
      ...(bucketPairs === undefined ? {} : { bucketPairs }),
    });
    expect(readFileSync(out, 'utf8')).toBe(want);
    expect(new Set(reference).size).toBeGreaterThan(10);
  });

  it('refuses chunks that do not hold the input', () => {
    expect(() => mergeChunks({ partsDir: dir, chunks, pairs: N + 1, out: join(dir, 'x') })).toThrow(
      /the chunks hold 1000 rows, the input 1001 pairs/,
    );
  });
});
