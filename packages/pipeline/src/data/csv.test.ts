import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createCsvParser, parseCsv, type CsvEvent } from './csv';

const records = (events: CsvEvent[]): [number, string[]][] =>
  events.flatMap((e) => (e.kind === 'record' ? [[e.line, e.fields] as [number, string[]]] : []));
const issues = (events: CsvEvent[]) => events.flatMap((e) => (e.kind === 'issue' ? [e.issue] : []));

/** RFC 4180 encoding: quote every field, double inner quotes. */
const encode = (rows: string[][], eol: string): string =>
  rows.map((r) => r.map((f) => `"${f.replaceAll('"', '""')}"`).join(',')).join(eol) + eol;

describe('createCsvParser (RFC 4180)', () => {
  it('reads quoted fields with escaped quotes, embedded commas and embedded newlines, with starting lines', () => {
    const text = 'q,item\n"a, b","say ""hi"""\n"multi\nline\nfield",x\nlast,row\n';
    expect(records(parseCsv(text))).toEqual([
      [1, ['q', 'item']],
      [2, ['a, b', 'say "hi"']],
      [3, ['multi\nline\nfield', 'x']],
      [6, ['last', 'row']],
    ]);
  });

  it('treats CRLF, LF and a lone CR as record ends, counting CRLF as one line', () => {
    const text = 'a,b\r\n"x\r\ny",z\r\nc,d\re,f';
    expect(records(parseCsv(text))).toEqual([
      [1, ['a', 'b']],
      [2, ['x\r\ny', 'z']],
      [4, ['c', 'd']],
      [5, ['e', 'f']],
    ]);
  });

  it('drops a leading byte order mark and skips blank lines', () => {
    expect(records(parseCsv('\uFEFFid,q\n\n1,a\n\n\n2,b\n'))).toEqual([
      [1, ['id', 'q']],
      [3, ['1', 'a']],
      [6, ['2', 'b']],
    ]);
  });

  it('keeps empty fields, a trailing empty field and an unterminated last line', () => {
    expect(records(parseCsv('a,b,c\n,,\n"",x,\n1,2,3'))).toEqual([
      [1, ['a', 'b', 'c']],
      [2, ['', '', '']],
      [3, ['', 'x', '']],
      [4, ['1', '2', '3']],
    ]);
  });

  it('passes Unicode through untouched (astral characters, combining marks, RTL)', () => {
    const fields = ['😀 drill', 'cafe\u0301', 'مثقاب', 'ﬁ ligature'];
    expect(records(parseCsv(encode([fields], '\n')))).toEqual([[1, fields]]);
  });

  it('reads a 100,000-character field pushed in small chunks', () => {
    const long = 'x"y,\n'.repeat(20_000);
    const text = `q,item\nshort,"${long.replaceAll('"', '""')}"\n`;
    const parser = createCsvParser();
    const events: CsvEvent[] = [];
    for (let i = 0; i < text.length; i += 4093)
      events.push(...parser.push(text.slice(i, i + 4093)));
    events.push(...parser.end());
    const rows = records(events);
    expect(rows[1]?.[1][1]).toHaveLength(100_000);
    expect(rows[1]?.[1][1]).toBe(long);
    expect(rows[1]?.[0]).toBe(2);
  });

  it('reads a quote inside an unquoted field literally', () => {
    expect(records(parseCsv('q,item\n12" pipe,x\n'))).toEqual([
      [1, ['q', 'item']],
      [2, ['12" pipe', 'x']],
    ]);
  });

  it('reports the wrong field count at the line where the record starts', () => {
    const ev = parseCsv('a,b\n1,2\n"x\ny",2,3\n4\n5,6\n');
    expect(records(ev).map(([line]) => line)).toEqual([1, 2, 6]);
    expect(issues(ev).map((i) => [i.line, i.code])).toEqual([
      [3, 'FIELD_COUNT'],
      [5, 'FIELD_COUNT'],
    ]);
    expect(issues(ev)[0]?.reason).toBe('expected 2 fields like the first record, got 3');
  });

  it('reports text after a closing quote and keeps parsing the next records', () => {
    const ev = parseCsv('a,b\n"x"y,2\n3,4\n', { file: 'f.csv' });
    expect(issues(ev)).toEqual([
      {
        file: 'f.csv',
        line: 2,
        code: 'BAD_QUOTE',
        reason: 'unexpected character after the closing quote of field 1',
      },
    ]);
    expect(records(ev)).toEqual([
      [1, ['a', 'b']],
      [3, ['3', '4']],
    ]);
  });

  it('reports an unterminated quote at the line of its record', () => {
    const ev = parseCsv('a,b\n1,2\n3,"open\nnever closed\n4,5\n', { file: 'f.csv' });
    expect(records(ev)).toHaveLength(2);
    expect(issues(ev)).toEqual([
      {
        file: 'f.csv',
        line: 3,
        code: 'UNTERMINATED_QUOTE',
        reason: 'the quoted field 2 opened on line 3 is never closed (end of file reached)',
      },
    ]);
  });

  it('accepts another delimiter and rejects a quote as delimiter', () => {
    expect(records(parseCsv('a\tb\n"x\ty"\tz', { delimiter: '\t' }))).toEqual([
      [1, ['a', 'b']],
      [2, ['x\ty', 'z']],
    ]);
    expect(() => createCsvParser({ delimiter: '"' })).toThrow(RangeError);
  });

  it('round-trips any fields through RFC 4180 encoding, however the text is chunked (property)', () => {
    const field = fc.string({
      unit: fc.constantFrom('a', 'é', '😀', '"', ',', '\n', '\r', ' ', 'z'),
      maxLength: 12,
    });
    const table = fc.integer({ min: 1, max: 4 }).chain((cols) =>
      fc.array(fc.array(field, { minLength: cols, maxLength: cols }), {
        minLength: 1,
        maxLength: 6,
      }),
    );
    fc.assert(
      fc.property(
        table,
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, eol, cuts) => {
          const text = encode(rows, eol);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const parser = createCsvParser();
          const events: CsvEvent[] = [];
          let start = 0;
          for (const p of [...points, text.length]) {
            events.push(...parser.push(text.slice(start, p)));
            start = p;
          }
          events.push(...parser.end());
          expect(issues(events)).toEqual([]);
          expect(records(events).map(([, f]) => f)).toEqual(rows);
          // each record starts one line after the previous record's last line break
          let line = 1;
          records(events).forEach(([l, f]) => {
            expect(l).toBe(line);
            const breaks = f.join(',').match(/\r\n|\r|\n/g)?.length ?? 0;
            line += breaks + 1;
          });
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
