import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { charTrigramKeys, jaccardSorted } from './char-trigrams';
import { prepareText } from './prepare-text';
import { MATCH_EXACT, MATCH_FUZZY, MATCH_NONE, MATCH_PREFIX, matchLevel } from './token-match';
import {
  TERM_MATCH_FEATURE_COUNT,
  TERM_MATCH_FEATURE_NAMES,
  termMatchFeatureMatrix,
  termMatchFeatures,
  type TermMatchFeatureName,
} from './term-match';
import { WEIGHTED_MATCH_FEATURE_NAMES } from './weighted-match';

function features(query: string, item: string): Record<TermMatchFeatureName, number> {
  const f = termMatchFeatures(query, item);
  return Object.fromEntries(
    TERM_MATCH_FEATURE_NAMES.map((name, i) => [name, f[i] ?? Number.NaN]),
  ) as Record<TermMatchFeatureName, number>;
}

/** Trigram Jaccard from plain string sets, as an independent check of the sorted-key merge. */
function naiveJaccard(a: string, b: string): number {
  const grams = (s: string): Set<string> =>
    new Set(Array.from({ length: Math.max(0, s.length - 2) }, (_, i) => s.slice(i, i + 3)));
  const x = grams(a);
  const y = grams(b);
  const common = [...x].filter((g) => y.has(g)).length;
  const union = x.size + y.size - common;
  return union === 0 ? 0 : common / union;
}

describe('matchLevel', () => {
  it.each([
    ['bracket', 'bracket', MATCH_EXACT],
    ['1/2', '0.5', MATCH_EXACT], // numbers by value
    ['08', '8', MATCH_EXACT],
    ['bracket', 'brackets', MATCH_PREFIX],
    ['showerhead', 'shower', MATCH_PREFIX],
    ['tub', 'tubs', MATCH_NONE], // prefix needs ≥ 4 characters
    ['brakcet', 'bracket', MATCH_FUZZY], // 7 chars: ≤ 1 edit
    ['vacum', 'vacuum', MATCH_FUZZY],
    ['refrigirater', 'refrigerator', MATCH_FUZZY], // 12 chars: ≤ 2 edits
    ['brakcets', 'bracket', MATCH_NONE], // 2 edits, shorter token has 7 characters
    ['tub', 'tab', MATCH_NONE], // short tokens match only exactly
    ['1200', '1300', MATCH_NONE], // numbers never match by edits
    ['12', 'twelve', MATCH_NONE],
  ])('%j vs %j → %i', (q, t, level) => {
    expect(matchLevel(q, t)).toBe(level);
  });
});

describe('termMatchFeatures on hand-written pairs', () => {
  it('angle bracket vs "Acme Steel-Tie 12-Gauge Angle"', () => {
    // Q = [angle, bracket]; T = [acme, steel, tie, 12, gauge, angle].
    const f = features('angle bracket', 'Acme Steel-Tie 12-Gauge Angle');
    expect(f).toMatchObject({
      exactFraction: 0.5,
      prefixFraction: 0.5,
      fuzzyFraction: 0.5,
      substringFraction: 0.5,
    });
    expect(f.itemCoverage).toBeCloseTo(1 / 6, 6);
    expect(f.trigramJaccard).toBeCloseTo(
      naiveJaccard(' angle bracket ', ' acme steel tie 12 gauge angle '),
      6,
    );
    expect(f).toMatchObject({
      queryHasNumber: 0,
      numberMatchFraction: 0,
      numberMismatchFraction: 0,
    });
    expect(f.logQueryTokens).toBeCloseTo(Math.log(3), 6);
    expect(f.logItemTokens).toBeCloseTo(Math.log(7), 6);
    expect(f).toMatchObject({
      firstTokenMatched: 1,
      lastTokenMatched: 0,
      bigramFraction: 0,
      phraseMatch: 0,
      itemFirstTokenMatched: 0,
    });
  });

  it('l bracket vs the same title: no lexical evidence at all', () => {
    const f = features('l bracket', 'Acme Steel-Tie 12-Gauge Angle');
    expect(f).toMatchObject({
      exactFraction: 0,
      fuzzyFraction: 0,
      substringFraction: 0,
      trigramJaccard: 0,
      firstTokenMatched: 0,
    });
  });

  it('compounds: "deck over" and "rain shower head" against joined spellings', () => {
    const deck = features(
      'deck over',
      'BEHR Premium Textured DeckOver 1 gal. #SC-141 Tugboat Coating',
    );
    // deck ⊂ deckover (prefix); "over" only inside "deckover" (substring); "deckover" is a phrase match.
    expect(deck).toMatchObject({
      exactFraction: 0,
      prefixFraction: 0.5,
      substringFraction: 1,
      phraseMatch: 1,
      lastTokenMatched: 1,
    });
    const rain = features('rain shower head', 'Delta Rainshower 6-Spray Showerhead in Chrome');
    // rain ⊂ rainshower, shower ⊂ showerhead (prefixes), head inside "showerhead" (substring).
    expect(rain.prefixFraction).toBeCloseTo(2 / 3, 6);
    expect(rain).toMatchObject({
      substringFraction: 1,
      firstTokenMatched: 1,
      lastTokenMatched: 1,
      phraseMatch: 0,
    });
    const split = features('showerhead', 'Rain Shower Head');
    expect(split).toMatchObject({ prefixFraction: 1, phraseMatch: 1 });
  });

  it('misspellings match at the fuzzy level and in bigrams', () => {
    const f = features('electirc water heater', '40 gal. Electric Water Heater');
    expect(f.exactFraction).toBeCloseTo(2 / 3, 6);
    expect(f).toMatchObject({
      fuzzyFraction: 1,
      bigramFraction: 1,
      firstTokenMatched: 1,
      itemFirstTokenMatched: 0,
    });
    const g = features('angle brakcet', 'Angle Bracket');
    expect(g).toMatchObject({
      exactFraction: 0.5,
      fuzzyFraction: 1,
      bigramFraction: 1,
      itemCoverage: 0.5,
      itemFirstTokenMatched: 1,
    });
  });

  it('numbers: found, contradicted, or absent from the item', () => {
    const wrong = features('12 gauge angle', 'Simpson 14-Gauge Angle');
    expect(wrong).toMatchObject({
      queryHasNumber: 1,
      numberMatchFraction: 0,
      numberMismatchFraction: 1,
      bigramFraction: 0.5,
    });
    const absent = features('12 gauge angle', 'Simpson Angle');
    expect(absent).toMatchObject({
      queryHasNumber: 1,
      numberMatchFraction: 0,
      numberMismatchFraction: 0,
    });
    const lumber = features('2x4x8', '2 in. x 4 in. x 96 in. Stud');
    // numbers 2, 4, 8: 2 and 4 found, 8 contradicted by an item that states numbers.
    expect(lumber.numberMatchFraction).toBeCloseTo(2 / 3, 6);
    expect(lumber.numberMismatchFraction).toBeCloseTo(1 / 3, 6);
    const pipe = features('1/2 in pvc', '0.5 in. PVC Tee');
    // Numbers compare by value token by token; the phrase test is textual ("1/2inchpvc" vs "0.5inchpvctee").
    expect(pipe).toMatchObject({
      exactFraction: 1,
      numberMatchFraction: 1,
      bigramFraction: 1,
      phraseMatch: 0,
    });
  });

  it('finds the head segment of a title and matches the query against its head noun', () => {
    const title =
      'Northline Vero 1-Handle Shower Only Faucet Trim Kit in Chrome (Valve Not Included)';
    const t = prepareText(title);
    // northline vero 1 handle shower only faucet trim kit | chrome valve not included
    expect(t.tokens.slice(0, t.headLength)).toEqual([
      'northline',
      'vero',
      '1',
      'handle',
      'shower',
      'only',
      'faucet',
      'trim',
      'kit',
    ]);
    // "60 in." is a unit (inch), not a boundary; "with" is.
    const lamp = prepareText('Bahama Weave 60 in. Mocha Floor Lamp with Bessemer Shade');
    expect(lamp.tokens[lamp.headLength - 1]).toBe('lamp');
    // No boundary, or nothing before it: the whole title is the head.
    expect(prepareText('Acme Steel-Tie 12-Gauge Angle').headLength).toBe(6);
    expect(prepareText('In-Sink-Erator Disposer').headLength).toBe(3);
    const head = (query: string, item: string) =>
      Array.from(termMatchFeatures(query, item).subarray(23));
    // Query only shares the finish: nothing in the head.
    expect(head('chrome faucet kit', title)).toEqual([1, 1, 2 / 3].map(Math.fround));
    expect(head('chrome pipe', 'Escutcheon for 0.5 in. Pipe, Polished Chrome')).toEqual([0, 0, 0]);
    // The last query token against the head's last two words (numbers skipped): "trim" and "kit".
    expect(head('faucet trim', title)).toEqual([0, 1, 1]);
    expect(head('shower', title)).toEqual([0, 0, 1]);
    expect(head('angle', 'Acme Steel-Tie 12-Gauge Angle')).toEqual([1, 1, 1]);
  });

  it('keeps stop-word-only queries and handles empty text', () => {
    expect(prepareText('in the').tokens).toEqual(['in', 'the']);
    expect(prepareText('shower for the tub').tokens).toEqual(['shower', 'tub']);
    const empty = termMatchFeatures('', 'Angle Bracket');
    expect(Array.from(empty)).toEqual([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      Math.fround(Math.log(3)),
      0,
      0,
      0,
      0,
      0,
      // The IDF features of an empty query: nothing to cover, no query vector.
      ...new Array<number>(7).fill(0),
      // No query token to match the head with.
      0,
      0,
      0,
    ]);
    expect(Array.from(termMatchFeatures('', ''))).toEqual(
      new Array<number>(TERM_MATCH_FEATURE_COUNT).fill(0),
    );
  });
});

describe('termMatchFeatures: contract', () => {
  it('has 26 distinct named features, the IDF-weighted ones then the head-segment ones last', () => {
    expect(TERM_MATCH_FEATURE_COUNT).toBe(26);
    expect(new Set(TERM_MATCH_FEATURE_NAMES).size).toBe(26);
    expect(TERM_MATCH_FEATURE_NAMES.slice(16, 23)).toEqual([...WEIGHTED_MATCH_FEATURE_NAMES]);
    expect(TERM_MATCH_FEATURE_NAMES.slice(23)).toEqual([
      'headNounMatched',
      'lastTokenInHead',
      'headCoverage',
    ]);
  });

  it('gives the same vector for strings and prepared texts, and writes into a batch at an offset', () => {
    const q = prepareText('rain shower head');
    const t = prepareText('Delta Rainshower 6-Spray Showerhead');
    const direct = termMatchFeatures('rain shower head', 'Delta Rainshower 6-Spray Showerhead');
    expect(termMatchFeatures(q, t)).toEqual(direct);
    const out = new Float64Array(2 * TERM_MATCH_FEATURE_COUNT);
    termMatchFeatures(q, t, { out, offset: TERM_MATCH_FEATURE_COUNT });
    expect(out.subarray(TERM_MATCH_FEATURE_COUNT)).toBeDeepCloseTo(direct, { abs: 1e-6, rel: 0 });
    expect(() => termMatchFeatures(q, t, { out, offset: TERM_MATCH_FEATURE_COUNT + 1 })).toThrow(
      RangeError,
    );
    const m = termMatchFeatureMatrix([
      { query: q, item: t },
      { query: 'deck', item: 'DeckOver' },
    ]);
    expect(m).toMatchObject({ rows: 2, cols: TERM_MATCH_FEATURE_COUNT });
    expect(m.data.subarray(0, TERM_MATCH_FEATURE_COUNT)).toEqual(direct);
  });

  it('orders exact ≤ prefix ≤ fuzzy ≤ substring and keeps fractions in [0, 1] (property)', () => {
    const word = fc.constantFrom(
      'angle',
      'bracket',
      'brakcet',
      'brackets',
      'deck',
      'deckover',
      'over',
      'shower',
      'head',
      'showerhead',
      '12',
      '1/2',
      '0.5',
      'gauge',
      'x',
      '4',
      'in.',
      'the',
    );
    const text = fc.array(word, { maxLength: 8 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(text, text, (query, item) => {
        const f = termMatchFeatures(query, item);
        expect(f[0]! <= f[1]! && f[1]! <= f[2]! && f[2]! <= f[3]!).toBe(true);
        TERM_MATCH_FEATURE_NAMES.forEach((name, i) => {
          const v = f[i]!;
          expect(Number.isFinite(v)).toBe(true);
          if (!name.startsWith('log')) expect(v >= 0 && v <= 1).toBe(true);
        });
        expect(f[7]! + f[8]!).toBeLessThanOrEqual(1 + 1e-6);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('character trigrams', () => {
  it('computes Jaccard by hand and against plain string sets', () => {
    // ' ab ' → {' ab', 'ab '}; ' abc ' → {' ab', 'abc', 'bc '}: 1 common of 4.
    expect(jaccardSorted(charTrigramKeys(' ab '), charTrigramKeys(' abc '))).toBe(0.25);
    expect(jaccardSorted(charTrigramKeys(''), charTrigramKeys(''))).toBe(0);
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (a, b) => {
        expect(jaccardSorted(charTrigramKeys(a), charTrigramKeys(b))).toBeCloseTo(
          naiveJaccard(a, b),
          12,
        );
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
