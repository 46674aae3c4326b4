import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseCsv } from './csv';
import { DataError } from './data-error';
import { parseJsonl } from './jsonl';
import { loadDataset } from './load-dataset';

// Invented rows only.
const columns = { query: 'q', item: 'title', label: 'score' };
const grades = { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] } as const;

describe('parsers bound what they keep', () => {
  it('reports a CSV record over maxRecordChars at once and reads on after it', () => {
    const events = parseCsv(`q,title\n${'x'.repeat(500)},b\nc,d\n`, { maxRecordChars: 100 });
    expect(events.map((e) => (e.kind === 'issue' ? e.issue.code : e.fields))).toEqual([
      ['q', 'title'],
      'RECORD_TOO_LONG',
      ['c', 'd'],
    ]);
    const issue = events[1];
    expect(issue?.kind === 'issue' && issue.issue.line).toBe(2);
  });

  it('names an unclosed quote as the likely cause of an endless record', () => {
    const events = parseCsv(`q,title\n"a,${'y'.repeat(300)}`, { maxRecordChars: 100 });
    const issues = events.filter((e) => e.kind === 'issue');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.kind === 'issue' && issues[0].issue.reason).toMatch(
      /longer than 100 characters \(a quote opened on line 2 and never closed\?\)/,
    );
  });

  it('reports too many fields, and NUL bytes as binary data', () => {
    const wide = parseCsv(`${Array.from({ length: 50 }, (_, i) => `c${i}`).join(',')}\n`, {
      maxFields: 10,
    });
    expect(wide.map((e) => e.kind === 'issue' && e.issue.code)).toEqual(['TOO_MANY_FIELDS']);
    const nul = parseCsv('q,title\na\0b,c\nd,e\n');
    expect(nul.map((e) => (e.kind === 'issue' ? e.issue.code : e.fields))).toEqual([
      ['q', 'title'],
      'NUL_BYTE',
      ['d', 'e'],
    ]);
  });

  it('reports a JSONL line over maxLineChars, and NUL bytes', () => {
    const events = parseJsonl(`{"q":"a"}\n{"q":"${'z'.repeat(400)}"}\n\0\0\n{"q":"b"}\n`, {
      maxLineChars: 100,
    });
    expect(
      events.map((e) => (e.kind === 'issue' ? `${e.issue.code}:${e.issue.line}` : 'ok')),
    ).toEqual(['ok', 'RECORD_TOO_LONG:2', 'NUL_BYTE:3', 'ok']);
  });
});

describe('loadDataset on hostile files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-hostile-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function failure(name: string, make: (path: string) => void): Promise<DataError> {
    const path = join(dir, name);
    make(path);
    const heap = process.memoryUsage().heapUsed;
    const error = await loadDataset(path, { columns, grades, label: name }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(64 << 20);
    rmSync(path, { force: true });
    if (!(error instanceof DataError))
      throw new Error(`expected a DataError, got ${String(error)}`);
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message.startsWith(`${name}:`)).toBe(true);
    return error;
  }

  it('stops at line 1 of a 200 MB file of NUL bytes without reading it whole', async () => {
    const t0 = Date.now();
    const error = await failure('nul.csv', (p) => {
      writeFileSync(p, '');
      truncateSync(p, 200 << 20);
    });
    expect(error.code).toBe('NUL_BYTE');
    expect(error.line).toBe(1);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('stops a 50 MB single-line file at 1 MiB', async () => {
    const error = await failure('line.csv', (p) => writeFileSync(p, 'q'.repeat(50 << 20)));
    expect(error.code).toBe('RECORD_TOO_LONG');
    expect(error.message).toMatch(/^line\.csv:1: the record is longer than 1048576 characters/);
  });

  it('names 20 of a million columns and counts the rest', async () => {
    const header = Array.from({ length: 1_000_000 }, (_, i) => (i % 10).toString()).join(',');
    const error = await failure('wide.csv', (p) => writeFileSync(p, `${header}\n`));
    expect(error.code).toMatch(/TOO_MANY_FIELDS|RECORD_TOO_LONG/);
    const few = await failure('few.csv', (p) =>
      writeFileSync(p, `${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\n1,2\n`),
    );
    expect(few.code).toBe('MISSING_COLUMN');
    expect(few.message).toMatch(/"c19" \(19\) and 4980 more/);
  });

  it('reports an unterminated quote, invalid UTF-8 and reads BOM + CRLF files', async () => {
    const quote = await failure('quote.csv', (p) =>
      writeFileSync(p, `q,title,score\n"never closed,${'a'.repeat(2 << 20)}\n`),
    );
    expect(quote.code).toBe('RECORD_TOO_LONG');
    expect(quote.line).toBe(2);
    const utf8 = await failure('latin1.csv', (p) =>
      writeFileSync(p, Buffer.from('q,title,score\ncaf\xe9,mug,2\n', 'latin1')),
    );
    expect(utf8.code).toBe('INVALID_UTF8');
    const path = join(dir, 'bom.csv');
    writeFileSync(path, '\ufeffq,title,score\r\nmug,blue mug,3\r\n');
    const data = await loadDataset(path, { columns, grades });
    expect(data.pairs.map((p) => [p.query, p.item, p.grade])).toEqual([['mug', 'blue mug', 2]]);
  });
});
