import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { DataError } from '../data/data-error';
import type { PredictionShape } from './prediction-line';
import { readPredictionFile, type ReadPredictionsOptions } from './read-predictions';
import { fnv1a32, splitReferenceByQuery } from './split-reference';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-read-predictions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function fileOf(lines: readonly (string | object)[]): string {
  const path = join(dir, `p${count++}.jsonl`);
  writeFileSync(
    path,
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
  );
  return path;
}

const row = (extra: object = {}) => ({
  query: 'drill',
  item: 'cordless drill',
  grade: 2,
  logits: [0, 1, 2],
  ...extra,
});

/** Reads a file and returns the DataError it throws (fails the test when it throws none). */
async function refusal(lines: readonly (string | object)[], options: ReadPredictionsOptions = {}) {
  const path = fileOf(lines);
  const error = await readPredictionFile(path, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  const e = error as DataError;
  expect(e.file).toBe(path);
  expect(e.message.startsWith(`${path}:${e.line ?? ''}`)).toBe(true);
  return e;
}

describe('readPredictionFile', () => {
  it('reads logits, embeddings, grade names and indices, ids, with the file fingerprint', async () => {
    const path = fileOf([
      row({ grade: 'strong', embedding: [1, 2], id: 'a' }),
      '',
      row({ query: '  Drill\u00a0 bits ', grade: 0, logits: [3, 2, 1], embedding: [3, 4] }),
      row({ grade: '1', embedding: [5, 6], id: 7 }),
    ]);
    const f = await readPredictionFile(path);
    expect(f.shape).toEqual({ file: path, grades: 3, output: 'logits', embeddingWidth: 2 });
    expect(f.dataset.pairs.map((p) => [p.id, p.line, p.query, p.grade])).toEqual([
      ['a', 1, 'drill', 2],
      ['3', 3, 'Drill bits', 0],
      ['7', 4, 'drill', 1],
    ]);
    expect(Array.from(f.values)).toEqual([0, 1, 2, 3, 2, 1, 0, 1, 2]);
    expect(Array.from(f.embeddings ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    const { readFileSync } = await import('node:fs');
    expect(f.dataset.source).toMatchObject({
      format: 'jsonl',
      rows: 3,
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    });
    expect(f.dataset.scale.grades.map((g) => g.name)).toEqual(['irrelevant', 'weak', 'strong']);
  });

  it('reads probabilities and maps ratings through declared thresholds (kept for RMSE)', async () => {
    const path = fileOf([
      { query: 'q', item: 'i', grade: 2.33, probs: [0.2, 0.3, 0.5] },
      { query: 'q', item: 'j', grade: 3, probs: [0.1, 0.2, 0.7004] },
    ]);
    const f = await readPredictionFile(path, {
      mapping: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
    });
    expect(f.shape.output).toBe('probs');
    expect(f.shape.embeddingWidth).toBeNull();
    expect(f.embeddings).toBeNull();
    expect(f.dataset.pairs.map((p) => [p.grade, p.rating])).toEqual([
      [1, 2.33],
      [2, 3],
    ]);
    expect(f.dataset.ratingRange).toEqual([1, 3]);
  });

  it('refuses a wrong number of probabilities or logits, naming the line', async () => {
    let e = await refusal([row(), row(), row({ logits: [1, 2] })]);
    expect([e.line, e.code]).toEqual([3, 'BAD_PREDICTION']);
    expect(e.reason).toBe("`logits` has 2 numbers, expected 3 (the first line's width)");
    e = await refusal([{ query: 'q', item: 'i', grade: 1, probs: [0.5, 0.5] }], {
      mapping: { kind: 'values', grades: [['no'], ['maybe'], ['yes']] },
    });
    expect([e.line, e.reason]).toEqual([
      1,
      "`probs` has 2 numbers, expected 3 (the grade mapping's grades)",
    ]);
  });

  it('refuses probabilities that do not sum to 1 within 1e-3, or lie outside [0, 1]', async () => {
    const probs = (p: number[]) => ({ query: 'q', item: 'i', grade: 0, probs: p });
    // 0.2 + 0.3 + 0.5009 = 1.0009: within the tolerance; 1.0011 is not.
    let e = await refusal([
      probs([0.2, 0.3, 0.5]),
      probs([0.2, 0.3, 0.5009]),
      probs([0.2, 0.3, 0.5011]),
    ]);
    expect([e.line, e.code]).toEqual([3, 'BAD_PREDICTION']);
    expect(e.reason).toMatch(/^the probabilities sum to 1\.00110, not 1 \(tolerance 0\.001\)/);
    e = await refusal([probs([1.5, -0.5, 0])]);
    expect([e.line, e.reason]).toEqual([1, 'probs[0] = 1.5 is outside [0, 1]']);
  });

  it('refuses non-finite numbers (overflowing, null, text) in outputs and embeddings', async () => {
    let e = await refusal([row(), '{"query":"q","item":"i","grade":0,"logits":[0,1e999,2]}']);
    expect([e.line, e.reason]).toEqual([2, 'logits[1] is not a finite number (got Infinity)']);
    e = await refusal([row({ logits: [0, null, 1] })]);
    expect([e.line, e.reason]).toEqual([1, 'logits[1] is not a finite number (got null)']);
    e = await refusal([row({ embedding: [1, 'NaN'] })]);
    expect([e.line, e.reason]).toEqual([1, 'embedding[1] is not a finite number (got "NaN")']);
    e = await refusal([row({ logits: 'high' })]);
    expect([e.line, e.reason]).toEqual([1, '`logits` must be an array of numbers (got "high")']);
  });

  it('refuses both or neither of probs and logits, and a kind that changes', async () => {
    let e = await refusal([row({ probs: [0.2, 0.3, 0.5] })]);
    expect([e.line, e.reason]).toEqual([1, 'give either `probs` or `logits`, not both']);
    e = await refusal([row(), { query: 'q', item: 'i', grade: 0 }]);
    expect([e.line, e.reason]).toEqual([2, 'the line has neither `probs` nor `logits`']);
    e = await refusal([row(), { query: 'q', item: 'i', grade: 0, probs: [0.2, 0.3, 0.5] }]);
    expect([e.line, e.reason]).toEqual([
      2,
      'the line gives `probs` but the first line gives `logits`',
    ]);
  });

  it('refuses an embedding width differing from the first line, or present on some lines only', async () => {
    let e = await refusal([
      row({ embedding: [1, 2, 3] }),
      row({ embedding: [1, 2, 3] }),
      row({ embedding: [1, 2] }),
    ]);
    expect([e.line, e.code, e.reason]).toEqual([
      3,
      'EMBEDDING_WIDTH',
      'the embedding width differs from the first line: 2 numbers here, 3 on the first line',
    ]);
    e = await refusal([row(), row({ embedding: [1] })]);
    expect([e.line, e.reason]).toEqual([
      2,
      'the line has an embedding but the first line has none',
    ]);
    e = await refusal([row({ embedding: [1] }), row()]);
    expect([e.line, e.reason]).toEqual([
      2,
      'the line has no embedding but the first line has one of width 1',
    ]);
    e = await refusal([row({ embedding: [] })]);
    expect([e.line, e.reason]).toEqual([1, 'the embedding is empty']);
  });

  it('refuses a file whose shape differs from the reference, saying what to do', async () => {
    const expect3: PredictionShape = {
      file: 'ref.jsonl',
      grades: 3,
      output: 'logits',
      embeddingWidth: 4,
    };
    let e = await refusal([row({ embedding: [1, 2] })], { expect: expect3 });
    expect([e.line, e.code, e.reason]).toEqual([
      1,
      'EMBEDDING_WIDTH',
      'the embedding width differs from the reference: 2 numbers here, 4 in the reference ref.jsonl',
    ]);
    expect(e.hint).toMatch(/same encoder and output layer.*or leave `embedding` out of both files/);
    e = await refusal([row()], { expect: expect3 });
    expect(e.reason).toBe(
      'the file has no embeddings but the reference ref.jsonl has them (width 4)',
    );
    e = await refusal([row({ logits: [1, 2], embedding: [1, 2, 3, 4] })], { expect: expect3 });
    expect(e.reason).toBe('`logits` has 2 numbers, expected 3 (the reference ref.jsonl)');
    e = await refusal(
      [{ query: 'q', item: 'i', grade: 0, probs: [0.2, 0.3, 0.5], embedding: [1, 2, 3, 4] }],
      {
        expect: expect3,
      },
    );
    expect(e.reason).toBe('the line gives `probs` but the reference ref.jsonl gives `logits`');
  });

  it('refuses missing or empty texts and grades outside the scale', async () => {
    let e = await refusal([row(), row({ query: undefined })]);
    expect([e.line, e.code, e.reason]).toEqual([
      2,
      'MISSING_FIELD',
      '`query` must be a text (got nothing)',
    ]);
    e = await refusal([row({ item: '   ' })]);
    expect([e.line, e.code]).toEqual([1, 'EMPTY_TEXT']);
    e = await refusal([row({ grade: 3 })]);
    expect([e.line, e.reason]).toEqual([
      1,
      '`grade` 3 is neither a grade name (irrelevant, weak, strong) nor an index 0..2',
    ]);
    e = await refusal([row({ grade: 'great' })]);
    expect(e.line).toBe(1);
    e = await refusal([row({ grade: 4 })], {
      mapping: { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] },
    });
    expect([e.line, e.code]).toEqual([1, 'RATING_OUT_OF_RANGE']);
  });

  it('refuses bad JSON, non-objects, over-long lines and an empty file', async () => {
    let e = await refusal([row(), '{"query":', row()]);
    expect([e.line, e.code]).toEqual([2, 'BAD_JSON']);
    e = await refusal([row(), '[1,2]']);
    expect([e.line, e.code]).toEqual([2, 'NOT_AN_OBJECT']);
    e = await refusal([row(), row({ embedding: Array.from({ length: 100 }, () => 0.125) })], {
      maxLineChars: 200,
    });
    expect([e.line, e.code]).toEqual([2, 'RECORD_TOO_LONG']);
    e = await refusal([row(), row(), row()], { maxPairs: 2 });
    expect([e.line, e.code, e.reason]).toEqual([
      undefined,
      'BAD_PREDICTION',
      'the file holds more than 2 pairs',
    ]);
    e = await refusal(['']);
    expect([e.line, e.code]).toEqual([undefined, 'NO_VALID_ROWS']);
  });
});

describe('splitReferenceByQuery', () => {
  it('hashes with 32-bit FNV-1a (reference values of the FNV test suite)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('puts each query on one side, half the queries (rounded up) fitting, the same for the same seed', () => {
    const pairs = ['a', 'b', 'c', 'A', 'd', 'e', 'b '].map((query) => ({ query }));
    const s = splitReferenceByQuery(pairs, 0);
    expect([s.fitQueries, s.calibrationQueries]).toEqual([3, 2]);
    expect([...s.fit, ...s.calibration].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const side = (i: number) => (s.fit.includes(i) ? 'fit' : 'cal');
    expect(side(0)).toBe(side(3));
    expect(side(1)).toBe(side(6));
    expect(splitReferenceByQuery(pairs, 0)).toEqual(s);
    const others = [1, 2, 3, 4].map((seed) => splitReferenceByQuery(pairs, seed).fit.join());
    expect(others.some((f) => f !== s.fit.join())).toBe(true);
    expect(() => splitReferenceByQuery([{ query: 'a' }, { query: 'A' }], 0)).toThrow(
      /1 distinct query/,
    );
  });
});
