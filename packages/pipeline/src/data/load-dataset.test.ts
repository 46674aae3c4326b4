import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ColumnMapping } from './column-mapping';
import { DataError } from './data-error';
import type { GradeMapping } from './grade-mapping';
import { loadDataset, loadPairs, type LoadDatasetOptions } from './load-dataset';

// Synthetic rows only (made up for these tests).
const columns: ColumnMapping = { id: 'id', query: 'q', item: 'title', label: 'score' };
const grades: GradeMapping = { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] };

describe('loadDataset', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-data-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const load = (path: string, extra: Partial<LoadDatasetOptions> = {}) =>
    loadDataset(path, { columns, grades, ...extra });
  async function rejection(p: Promise<unknown>): Promise<DataError> {
    try {
      await p;
    } catch (error) {
      if (error instanceof DataError) return error;
      throw error;
    }
    throw new Error('expected a DataError');
  }

  it('loads a CSV: grades, raw ratings, NFC text, whitespace, sha256 and counts', async () => {
    const text =
      '\uFEFFid,q,title,score\r\n1,cafe\u0301 table ,"Oak  Table,\n 30 in.",3\r\n2,drill,Cordless Drill,1.75\r\n3,drill,Drill Bit Set,2.33\r\n';
    const path = write('a.csv', text);
    const data = await load(path);
    expect(data.pairs).toEqual([
      { id: '1', query: 'café table', item: 'Oak Table, 30 in.', grade: 2, rating: 3, line: 2 },
      { id: '2', query: 'drill', item: 'Cordless Drill', grade: 0, rating: 1.75, line: 4 },
      { id: '3', query: 'drill', item: 'Drill Bit Set', grade: 1, rating: 2.33, line: 5 },
    ]);
    expect(data.source).toEqual({
      path,
      format: 'csv',
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
      rows: 3,
      skipped: 0,
      truncated: 0,
    });
    expect(data.ratingRange).toEqual([1, 3]);
    expect(data.scale.grades.map((g) => g.name)).toEqual(['irrelevant', 'weak', 'strong']);
  });

  it("stops at the first malformed row with 'stop', naming file, line, reason and what to do", async () => {
    const path = write('b.csv', 'id,q,title,score\n1,a,x,2\n2,b,y,abc\n3,,z,2\n');
    const e = await rejection(load(path));
    expect([e.code, e.file, e.line, e.reason]).toEqual([
      'BAD_RATING',
      path,
      3,
      'label "abc" is not a finite decimal number',
    ]);
    expect(e.message).toContain(`${path}:3:`);
    expect(e.message).toContain("onError: 'skip'");
  });

  it("collects every issue with its line and skips the row with 'skip'", async () => {
    const rows = [
      'id,q,title,score',
      '1,ok,fine,2.5', //                 2 ok
      '2,  ,empty query,2', //            3 EMPTY_TEXT
      '3,x,,2', //                        4 EMPTY_TEXT
      '4,x,y,NaN', //                     5 BAD_RATING
      '5,x,y,Infinity', //                6 BAD_RATING
      '6,x,y,', //                        7 BAD_RATING
      '7,x,y,9', //                       8 RATING_OUT_OF_RANGE
      '1,x,y,2', //                       9 DUPLICATE_ID
      '8,x,"y",2,extra', //              10 FIELD_COUNT
      '9,x,"y"z,2', //                   11 BAD_QUOTE
      '10,x,"multi', //                  12 (continues)
      'line",1', //                      13
      '11,x,"never closed,2', //         14 UNTERMINATED_QUOTE
      '12,x,y,2',
    ];
    const path = write('c.csv', rows.join('\n'));
    const data = await load(path, { onError: 'skip' });
    expect(data.pairs.map((p) => [p.id, p.line])).toEqual([
      ['1', 2],
      ['10', 12],
    ]);
    expect(data.issues.map((i) => [i.line, i.code])).toEqual([
      [3, 'EMPTY_TEXT'],
      [4, 'EMPTY_TEXT'],
      [5, 'BAD_RATING'],
      [6, 'BAD_RATING'],
      [7, 'BAD_RATING'],
      [8, 'RATING_OUT_OF_RANGE'],
      [9, 'DUPLICATE_ID'],
      [10, 'FIELD_COUNT'],
      [11, 'BAD_QUOTE'],
      [14, 'UNTERMINATED_QUOTE'],
    ]);
    expect(data.issues.every((i) => i.file === path)).toBe(true);
    expect(data.source).toMatchObject({ rows: 12, skipped: 10 });
  });

  it('cuts texts longer than maxTextLength and counts them', async () => {
    const long = 'é'.repeat(150_000);
    const path = write('d.csv', `id,q,title,score\n1,q,"${long}",2\n2,${'w'.repeat(50)},short,2\n`);
    const data = await load(path, { maxTextLength: 40 });
    expect(data.pairs[0]?.item).toBe('é'.repeat(40));
    expect(data.pairs[1]?.query).toHaveLength(40);
    expect(data.source.truncated).toBe(2);
    const full = await load(path);
    expect(full.pairs[0]?.item).toHaveLength(2000);
  });

  it('reports bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([
      ...Buffer.from('id,q,title,score\n1,caf'),
      0xe9,
      ...Buffer.from(',x,2\n2,a,b,2\n'),
    ]);
    const data = await load(write('e.csv', bytes), { onError: 'skip' });
    expect(data.issues.map((i) => [i.line, i.code])).toEqual([[2, 'INVALID_UTF8']]);
    expect(data.pairs).toHaveLength(1);
  });

  it('maps discrete labels and a category column, with the line number as id when no id is mapped', async () => {
    const path = write(
      'f.tsv',
      'query\tdoc\tjudgement\tdept\nsink\tSteel Sink\tExact\tBath\nsink\tSink Mat\tpartial\t\nsink\tRake\tnope\tGarden\n',
    );
    const data = await loadDataset(path, {
      columns: { query: 'query', item: 'doc', label: 'judgement', category: 'dept' },
      grades: { kind: 'values', grades: [['irrelevant'], ['partial'], ['exact']] },
      onError: 'skip',
    });
    expect(data.pairs).toEqual([
      { id: '2', query: 'sink', item: 'Steel Sink', grade: 2, category: 'Bath', line: 2 },
      { id: '3', query: 'sink', item: 'Sink Mat', grade: 1, line: 3 },
    ]);
    expect(data.issues.map((i) => i.code)).toEqual(['UNKNOWN_LABEL']);
  });

  it('loads JSONL with numeric labels, reporting bad lines and missing fields', async () => {
    const lines = [
      '{"id":1,"q":"lamp","title":"Desk Lamp","score":2.67}',
      '{"id":2,"q":"lamp"',
      '',
      '{"id":3,"q":"lamp","score":1}',
      '{"id":4,"q":"lamp","title":{"x":1},"score":1}',
      '{"id":5,"q":"lamp","title":"Floor Lamp","score":"1.33"}',
    ];
    const path = write('g.jsonl', lines.join('\n'));
    const data = await load(path, { onError: 'skip' });
    expect(data.pairs.map((p) => [p.id, p.grade, p.rating, p.line])).toEqual([
      ['1', 2, 2.67, 1],
      ['5', 0, 1.33, 6],
    ]);
    expect(data.issues.map((i) => [i.line, i.code])).toEqual([
      [2, 'BAD_JSON'],
      [4, 'MISSING_FIELD'],
      [5, 'MISSING_FIELD'],
    ]);
    expect(data.source.format).toBe('jsonl');
  });

  it('fails on whole-file problems with a code and a hint', async () => {
    expect((await rejection(load(join(dir, 'missing.csv')))).code).toBe('FILE_NOT_READABLE');
    expect((await rejection(load(write('h.txt', 'x')))).code).toBe('UNKNOWN_FORMAT');
    expect((await rejection(load(write('i.csv', '')))).code).toBe('EMPTY_FILE');
    expect((await rejection(load(write('j.csv', 'id,q,title,score\n')))).code).toBe(
      'NO_VALID_ROWS',
    );
    const all = await rejection(
      load(write('k.csv', 'id,q,title,score\n1,,x,2\n'), { onError: 'skip' }),
    );
    expect([all.code, all.reason]).toEqual([
      'NO_VALID_ROWS',
      'all 1 rows were skipped; the first at line 2: the query is empty',
    ]);
    const missing = await rejection(load(write('l.csv', 'id,query,title,score\n1,a,b,2\n')));
    expect(missing.code).toBe('MISSING_COLUMN');
    expect(missing.reason).toContain('"query" (1)');
  });

  it('reports progress in rows', async () => {
    const body = Array.from({ length: 25 }, (_, i) => `${i},q${i % 4},item ${i},2`).join('\n');
    const seen: number[] = [];
    await load(write('m.csv', `id,q,title,score\n${body}\n`), {
      progressEvery: 10,
      onProgress: (r) => seen.push(r),
    });
    expect(seen).toEqual([10, 20, 25]);
  });
});

describe('loadPairs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-pairs-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads pairs without a label column, ids from the line when none is mapped', async () => {
    const path = write('pairs.csv', 'q,title\nangle bracket,Steel  Bracket\nsink,Sink Mat\n');
    const file = await loadPairs(path, { columns: { query: 'q', item: 'title' } });
    expect(file.pairs).toEqual([
      { id: '2', query: 'angle bracket', item: 'Steel Bracket', line: 2 },
      { id: '3', query: 'sink', item: 'Sink Mat', line: 3 },
    ]);
    expect(file.source.rows).toBe(2);
    expect(file.source.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('ignores a label column and reads JSONL by key', async () => {
    const path = write(
      'pairs.jsonl',
      '{"id":"a","q":"deck","doc":"deck paint","y":"nonsense"}\n{"id":"b","q":"rail","doc":"rail"}\n',
    );
    const file = await loadPairs(path, {
      columns: { id: 'id', query: 'q', item: 'doc', label: 'y' },
    });
    expect(file.pairs.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('reports malformed rows with their line, or skips and lists them', async () => {
    const path = write('bad.csv', 'q,title\nsink,Sink Mat\n,Empty query\nrail,Rail\n');
    await expect(loadPairs(path, { columns: { query: 'q', item: 'title' } })).rejects.toThrow(
      /bad\.csv:3: the query is empty/,
    );
    const skipped = await loadPairs(path, {
      columns: { query: 'q', item: 'title' },
      onError: 'skip',
    });
    expect(skipped.pairs.map((p) => p.line)).toEqual([2, 4]);
    expect(skipped.issues.map((i) => [i.line, i.code])).toEqual([[3, 'EMPTY_TEXT']]);
  });

  it('leaves loadDataset requiring a label column', async () => {
    const path = write('pairs.csv', 'q,title\nsink,Sink Mat\n');
    await expect(
      loadDataset(path, {
        columns: { query: 'q', item: 'title' } as unknown as ColumnMapping,
        grades,
      }),
    ).rejects.toThrow(/columns\.label must name the label column/);
  });
});
