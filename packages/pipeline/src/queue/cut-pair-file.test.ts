/**
 * Cutting a pairs file into byte ranges and reading one range alone: for files with every line break the
 * parsers know (LF, CRLF, lone CR in CSV), quoted fields spanning lines, a byte order mark, blank lines,
 * multi-byte text, malformed rows skipped and duplicate ids, each chunk read from its range is exactly the
 * chunk's slice of the pairs `loadPairs` reads from the whole file (same ids, lines and texts), and a changed
 * byte in a range fails that chunk only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadPairs, type LoadPairsOptions } from '../data/load-dataset';
import type { ChunkJobData } from './chunk-job';
import { ChunkInputError, readChunkPairs } from './chunk-scorer';
import { cutPairFile } from './cut-pair-file';
import { ByteCutter } from './byte-cutter';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-cut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Row `i` of a CSV file: line breaks vary, some titles hold quoted breaks, some rows are malformed. */
function csvRow(i: number, withId: boolean): string {
  const br = ['\n', '\r\n', '\r'][i % 3] ?? '\n';
  const title = i % 7 === 0 ? `"two${br}line ""${i}"""` : `title ${i} é✓`;
  const id = withId ? `${i % 97 === 5 ? 'dup' : `r${i}`},` : '';
  if (i % 53 === 0) return `${id}only two${br}`; // FIELD_COUNT: skipped
  return `${id}query ${i % 11},${title}${br}${i % 29 === 0 ? br : ''}`;
}

function jobOf(
  path: string,
  load: LoadPairsOptions,
  cut: Awaited<ReturnType<typeof cutPairFile>>,
): ChunkJobData[] {
  return cut.chunks.map((range) => ({
    ...range,
    input: path,
    inputSha256: cut.source.sha256,
    ...(cut.header === undefined ? {} : { header: cut.header }),
    load,
    modelDir: '',
    modelSha256: '',
    partsDir: '',
  }));
}

async function expectChunksMatch(path: string, load: LoadPairsOptions): Promise<number> {
  const whole = await loadPairs(path, load);
  const cut = await cutPairFile(path, load, { chunkPairs: 128 });
  expect(cut.pairs).toBe(whole.pairs.length);
  expect(cut.source.sha256).toBe(whole.source.sha256);
  expect(cut.issues).toEqual(whole.issues);
  for (const job of jobOf(path, load, cut))
    expect(await readChunkPairs(job)).toEqual(whole.pairs.slice(job.start, job.end));
  return cut.chunks.length;
}

describe('cutting a pairs file into byte ranges', () => {
  it('reads each CSV chunk from its range alone, as the whole file reads it', async () => {
    const path = join(dir, 'mixed.csv');
    const rows = Array.from({ length: 700 }, (_, i) => csvRow(i + 1, true));
    writeFileSync(path, `\uFEFFid,q,title\r\n\n${rows.join('')}`);
    const load: LoadPairsOptions = {
      columns: { id: 'id', query: 'q', item: 'title' },
      onError: 'skip',
    };
    expect(await expectChunksMatch(path, load)).toBe(6);
    const whole = await loadPairs(path, load);
    expect(whole.issues.map((i) => i.code)).toContain('DUPLICATE_ID');
    expect(whole.issues.map((i) => i.code)).toContain('FIELD_COUNT');
  });

  it('reads header-less CSV and JSONL chunks with the right lines and ids', async () => {
    const csv = join(dir, 'plain.csv');
    writeFileSync(csv, Array.from({ length: 300 }, (_, i) => csvRow(i + 1, false)).join(''));
    await expectChunksMatch(csv, {
      columns: { query: 0, item: 1 },
      header: false,
      onError: 'skip',
    });
    const jsonl = join(dir, 'pairs.jsonl');
    const lines = Array.from({ length: 400 }, (_, i) =>
      i % 31 === 0 ? '{bad' : JSON.stringify({ q: `q${i % 9}`, t: `t\r${i}` }),
    );
    writeFileSync(jsonl, `${lines.join('\r\n')}\n\n`);
    await expectChunksMatch(jsonl, { columns: { query: 'q', item: 't' }, onError: 'skip' });
  });

  it('fails the chunk whose bytes changed, and only that one', async () => {
    const path = join(dir, 'changing.csv');
    const rows = Array.from({ length: 300 }, (_, i) => `q${i % 5},title ${i}\n`);
    writeFileSync(path, `q,title\n${rows.join('')}`);
    const load: LoadPairsOptions = { columns: { query: 'q', item: 'title' } };
    const jobs = jobOf(path, load, await cutPairFile(path, load, { chunkPairs: 128 }));
    writeFileSync(path, readFileSync(path, 'utf8').replace('title 200', 'title 201'));
    await expect(readChunkPairs(jobs[0]!)).resolves.toHaveLength(128);
    const changed = readChunkPairs(jobs[1]!);
    await expect(changed).rejects.toThrow(ChunkInputError);
    await expect(changed).rejects.toThrow(/changing\.csv changed since the producer read it/);
    await expect(readChunkPairs(jobs[2]!)).resolves.toHaveLength(44);
  });

  it('forgets the lines behind the parser', () => {
    const cutter = new ByteCutter(true);
    cutter.bytes(Buffer.from('a\r\nb\rc\nd'));
    expect([1, 2, 3, 4].map((l) => cutter.lineStart(l))).toEqual([0, 3, 5, 7]);
    expect(() => cutter.lineStart(2)).toThrow(/line 2 is not among the lines held/);
  });
});
