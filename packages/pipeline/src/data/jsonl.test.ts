import { describe, expect, it } from 'vitest';

import { createJsonlParser, parseJsonl, type JsonlEvent } from './jsonl';

const lines = (events: JsonlEvent[]) =>
  events.map((e) => (e.kind === 'record' ? [e.line, e.value] : [e.issue.line, e.issue.code]));

describe('createJsonlParser', () => {
  it('numbers records by physical line, skipping blank lines, with CRLF and a BOM', () => {
    const text = '\uFEFF{"q":"a"}\r\n\r\n{"q":"é😀"}\n   \n{"q":"c"}';
    expect(lines(parseJsonl(text))).toEqual([
      [1, { q: 'a' }],
      [3, { q: 'é😀' }],
      [5, { q: 'c' }],
    ]);
  });

  it('reports invalid JSON and non-objects with their line and keeps going', () => {
    const ev = parseJsonl('{"q":1}\n{"q":\n[1,2]\n"text"\nnull\n{"q":2}\n', { file: 'f.jsonl' });
    expect(lines(ev)).toEqual([
      [1, { q: 1 }],
      [2, 'BAD_JSON'],
      [3, 'NOT_AN_OBJECT'],
      [4, 'NOT_AN_OBJECT'],
      [5, 'NOT_AN_OBJECT'],
      [6, { q: 2 }],
    ]);
    const bad = ev[1];
    expect(bad?.kind === 'issue' && bad.issue.file).toBe('f.jsonl');
    expect(bad?.kind === 'issue' && bad.issue.reason).toMatch(/^invalid JSON: /);
  });

  it('gives the same records however the text is chunked', () => {
    const text = '{"q":"a\\nb","n":1}\r\n{"q":"😀"}\n\n{"q":"c"}\n';
    const whole = parseJsonl(text);
    for (const size of [1, 2, 3, 7]) {
      const p = createJsonlParser();
      const ev: JsonlEvent[] = [];
      for (let i = 0; i < text.length; i += size) ev.push(...p.push(text.slice(i, i + size)));
      ev.push(...p.end());
      expect(ev).toEqual(whole);
    }
  });
});
