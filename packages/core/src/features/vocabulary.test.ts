import { describe, expect, it } from 'vitest';

import { buildVocabulary, countTokens } from './build-vocabulary';
import { charNgramIds } from './char-ngrams';
import { PAD_ID, UNK_ID } from './special-tokens';
import { createVocabulary, vocabularyFromJson } from './vocabulary';

const docs = [
  ['angle', 'bracket'],
  ['l', 'bracket'],
  ['angle', 'bracket', 'simpson'],
  ['deck', 'over'],
  ['bracket', 'deck'],
];
const subwords = { buckets: 1000, minN: 3, maxN: 5 };

describe('buildVocabulary', () => {
  it('orders tokens by count, ties by code-unit order, after the reserved ids', () => {
    const counts = countTokens(docs);
    expect(counts.get('bracket')).toBe(4);
    const v = buildVocabulary(counts);
    // bracket 4; angle 2, deck 2 (tie → 'angle' < 'deck'); then count 1: l, over, simpson.
    expect(v.tokens).toEqual([
      '<pad>',
      '<unk>',
      'bracket',
      'angle',
      'deck',
      'l',
      'over',
      'simpson',
    ]);
    expect(v.idOf('<pad>')).toBe(PAD_ID);
    expect(v.idOf('bracket')).toBe(2);
    expect(v.idOf('brakcet')).toBe(UNK_ID);
    expect(v.has('deck')).toBe(true);
  });

  it('applies minCount and maxSize (reserved ids included in the size)', () => {
    const counts = countTokens(docs);
    expect(buildVocabulary(counts, { minCount: 2 }).tokens).toEqual([
      '<pad>',
      '<unk>',
      'bracket',
      'angle',
      'deck',
    ]);
    expect(buildVocabulary(counts, { maxSize: 3 }).tokens).toEqual(['<pad>', '<unk>', 'bracket']);
    expect(
      buildVocabulary(
        new Map([
          ['<unk>', 9],
          ['', 3],
          ['x', 0],
        ]),
      ).tokens,
    ).toEqual(['<pad>', '<unk>']);
  });

  it('gives the same ids whatever the insertion order of the counts', () => {
    const a = buildVocabulary(
      new Map([
        ['b', 1],
        ['a', 1],
        ['c', 2],
      ]),
    );
    const b = buildVocabulary(
      new Map([
        ['c', 2],
        ['a', 1],
        ['b', 1],
      ]),
    );
    expect(a.tokens).toEqual(b.tokens);
  });

  it('rejects bad counts and options', () => {
    expect(() => buildVocabulary(new Map([['a', Number.NaN]]))).toThrow(/counts of "a"/);
    expect(() => buildVocabulary(new Map(), { maxSize: 1 })).toThrow(/maxSize/);
    expect(() => buildVocabulary(new Map(), { minCount: -1 })).toThrow(/minCount/);
  });
});

describe('vocabulary JSON', () => {
  it('round-trips through JSON text', () => {
    const v = buildVocabulary(countTokens(docs), { subwords });
    const back = vocabularyFromJson(JSON.parse(JSON.stringify(v)));
    expect(back.tokens).toEqual(v.tokens);
    expect(back.subwords).toEqual(subwords);
    expect(back.embeddingRows).toBe(v.size + 1000);
    expect(back.encode(['angle', 'brakcet'])).toEqual(v.encode(['angle', 'brakcet']));
    const plain = vocabularyFromJson(
      JSON.parse(JSON.stringify(buildVocabulary(countTokens(docs)))),
    );
    expect(plain.subwords).toBeUndefined();
    expect(plain.embeddingRows).toBe(plain.size);
  });

  it('rejects foreign or broken JSON', () => {
    expect(() => vocabularyFromJson(null)).toThrow(TypeError);
    expect(() => vocabularyFromJson({ kind: 'other' })).toThrow(/gradeshift vocabulary/);
    expect(() =>
      vocabularyFromJson({ kind: 'gradeshift.vocabulary', version: 2, tokens: [] }),
    ).toThrow(/version 2/);
    expect(() =>
      vocabularyFromJson({
        kind: 'gradeshift.vocabulary',
        version: 1,
        tokens: ['<unk>', '<pad>'],
        subwords: null,
      }),
    ).toThrow(/must start with/);
    expect(() => createVocabulary({ tokens: ['<pad>', '<unk>', 'a', 'a'] })).toThrow(
      /tokens\[3\] repeats "a"/,
    );
    expect(() =>
      createVocabulary({ tokens: ['<pad>', '<unk>'], subwords: { buckets: 0, minN: 3, maxN: 5 } }),
    ).toThrow(/buckets/);
  });
});

describe('encode', () => {
  const v = buildVocabulary(countTokens(docs), { subwords });

  it('pads and truncates to maxLength', () => {
    const e = v.encode(['angle', 'bracket'], { maxLength: 4 });
    expect(Array.from(e.ids)).toEqual([3, 2, 0, 0]);
    expect(e.length).toBe(2);
    const t = v.encode(['angle', 'bracket', 'deck'], { maxLength: 2 });
    expect(Array.from(t.ids)).toEqual([3, 2]);
    expect(t.length).toBe(2);
    expect(t.slots).toEqual([[3], [2]]);
  });

  it('maps an unknown token to <unk> and to its n-gram bucket rows after the token rows', () => {
    const e = v.encode(['brakcet'], { maxLength: 2, maxSubwordIds: 5 });
    expect(Array.from(e.ids)).toEqual([UNK_ID, PAD_ID]);
    const expected = Array.from(
      charNgramIds('brakcet', { ...subwords, maxNgrams: 5 }),
      (b) => v.size + b,
    );
    expect(e.slots).toEqual([expected]);
    for (const row of e.slots[0] ?? []) expect(row >= v.size && row < v.embeddingRows).toBe(true);
  });

  it('keeps unknown number tokens at <unk> (their n-grams mean nothing)', () => {
    expect(v.encode(['1437', '3/8', 'x']).slots).toEqual([
      [UNK_ID],
      [UNK_ID],
      Array.from(charNgramIds('x', subwords), (b) => v.size + b),
    ]);
  });

  it('uses <unk> alone without sub-word buckets, and checks its options', () => {
    const plain = buildVocabulary(countTokens(docs));
    expect(plain.encode(['brakcet']).slots).toEqual([[UNK_ID]]);
    expect(() => v.encode(['a'], { maxLength: 0 })).toThrow(/maxLength/);
    expect(() => v.encode([3 as unknown as string])).toThrow(/tokens\[0\] must be a string/);
  });
});
