import { describe, expect, it } from 'vitest';

import { buildTermStatistics, termStatisticsFromJson } from './term-statistics';

const docs = [['angle', 'bracket'], ['angle', 'angle'], ['deck']];

describe('buildTermStatistics', () => {
  it('counts documents, not occurrences, and sorts the terms', () => {
    const s = buildTermStatistics(docs);
    expect(s).toMatchObject({
      kind: 'gradeshift.term-statistics',
      version: 1,
      documents: 3,
      meanTokens: 5 / 3,
      words: ['angle', 'bracket', 'deck'],
      wordDocuments: [2, 1, 1],
      minCharDocuments: 2,
    });
    // Only the n-grams of "angle" occur in two documents: ' an', 'ang', 'ngl', 'gle', 'le ', ' ang', …
    expect(s.charNgrams).toEqual(
      [
        ' an',
        'ang',
        'ngl',
        'gle',
        'le ',
        ' ang',
        'angl',
        'ngle',
        'gle ',
        ' angl',
        'angle',
        'ngle ',
      ].sort(),
    );
    expect(s.charNgramDocuments).toEqual(new Array<number>(12).fill(2));
  });

  it('keeps every n-gram at minCharDocuments 1, and handles an empty corpus', () => {
    const s = buildTermStatistics([['ab']], { minCharDocuments: 1 });
    expect(s.charNgrams).toEqual([' ab', ' ab ', 'ab ']);
    expect(buildTermStatistics([])).toMatchObject({ documents: 0, meanTokens: 0, words: [] });
  });

  it('rejects bad input', () => {
    expect(() => buildTermStatistics([['a', 3 as unknown as string]])).toThrow(
      'documents[0] must be an array of strings',
    );
    expect(() => buildTermStatistics(docs, { minCharDocuments: 0 })).toThrow(RangeError);
  });
});

describe('termStatisticsFromJson', () => {
  it('round-trips through JSON', () => {
    const s = buildTermStatistics(docs);
    expect(termStatisticsFromJson(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });

  it('rejects what is not version-1 term statistics, or inconsistent columns', () => {
    const s = buildTermStatistics(docs);
    expect(() => termStatisticsFromJson(null)).toThrow(TypeError);
    expect(() => termStatisticsFromJson({ ...s, version: 2 })).toThrow('version 2');
    expect(() => termStatisticsFromJson({ ...s, words: ['a', 7] })).toThrow('json.words');
    expect(() => termStatisticsFromJson({ ...s, wordDocuments: [2, 1] })).toThrow(
      'json.wordDocuments must have one count per term (got 2 for 3)',
    );
    // A document frequency above N is impossible.
    expect(() => termStatisticsFromJson({ ...s, wordDocuments: [4, 1, 1] })).toThrow(
      'json.wordDocuments[0]',
    );
    expect(() => termStatisticsFromJson({ ...s, meanTokens: -1 })).toThrow('json.meanTokens');
    expect(() => termStatisticsFromJson({ ...s, documents: 1.5 })).toThrow('json.documents');
  });
});
