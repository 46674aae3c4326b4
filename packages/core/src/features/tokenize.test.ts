import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DEFAULT_STOP_WORDS } from './stop-words';
import { DEFAULT_MAX_TOKENS, tokenize } from './tokenize';

describe('tokenize: units, numbers and product codes', () => {
  it.each([
    ['Acme Steel-Tie 12-Gauge Angle', ['acme', 'steel', 'tie', '12', 'gauge', 'angle']],
    ['1/2 in. x 4 in.', ['1/2', 'inch', 'x', '4', 'inch']],
    ['2x4', ['2', 'x', '4']],
    ['2 x 4', ['2', 'x', '4']],
    ['2x4x8', ['2', 'x', '4', 'x', '8']],
    ['1-1/2 in. pipe', ['1', '1/2', 'inch', 'pipe']],
    ['1 1/2 inch pipe', ['1', '1/2', 'inch', 'pipe']],
    ['8/16/4 concrete blocks', ['8', '16', '4', 'concrete', 'blocks']],
    ['49x97x.25 inch mdf', ['49', 'x', '97', 'x', '0.25', 'inch', 'mdf']],
    ['GE 1.9 cu. ft. Over the Range', ['ge', '1.9', 'cubic', 'foot', 'over', 'the', 'range']],
    ['10 sq. ft.', ['10', 'square', 'foot']],
    ['#SC-141', ['sc', '141']],
    ['sc141', ['sc', '141']],
    ['12v 18V drill', ['12', 'volt', '18', 'volt', 'drill']],
    ['15 Amp Extension Cord', ['15', 'amp', 'extension', 'cord']],
    ['18-ga brad', ['18', 'gauge', 'brad']],
    ["plexiglas 18' x 24'", ['plexiglas', '18', 'foot', 'x', '24', 'foot']],
    ['3/4" plywood', ['3/4', 'inch', 'plywood']],
    ['2,000 lb. 1,500,000 BTU', ['2000', 'pound', '1500000', 'btu']],
    ['2.50 3.0 0.0 .5 08', ['2.5', '3', '0', '0.5', '08']],
    ['7-Piece Set (7-pc)', ['7', 'piece', 'set', '7', 'piece']],
  ])('%j → %j', (text, expected) => {
    expect(tokenize(text)).toEqual(expected);
  });

  it('leaves "in" alone when no number precedes it, and "w"/"a" never become units', () => {
    expect(tokenize('shower in a box')).toEqual(['shower', 'in', 'a', 'box']);
    expect(tokenize('30 in. W x 60w')).toEqual(['30', 'inch', 'w', 'x', '60', 'w']);
    expect(tokenize('180 a')).toEqual(['180', 'a']);
  });

  it('keeps misspellings as they are (matching and sub-words deal with them)', () => {
    expect(tokenize('angle brakcet electirc')).toEqual(['angle', 'brakcet', 'electirc']);
  });

  it('drops apostrophes inside words and possessive s', () => {
    expect(tokenize("Men's Don't O'Neil's 'quoted'")).toEqual(['men', 'dont', 'oneil', 'quoted']);
  });

  it('can keep units as written', () => {
    expect(tokenize('1/2 in. 12v', { canonicalUnits: false })).toEqual(['1/2', 'in', '12', 'v']);
  });
});

describe('tokenize: Unicode and edge cases', () => {
  it('normalises NFKC, case, diacritics, fractions and typographic marks', () => {
    expect(tokenize('Café ＤＥＷＡＬＴ １２ｖ ﬁsh')).toEqual([
      'cafe',
      'dewalt',
      '12',
      'volt',
      'fish',
    ]);
    expect(tokenize('1½ in. × 3¾”')).toEqual(['1', '1/2', 'inch', 'x', '3', '3/4', 'inch']);
    expect(tokenize('6′ ladder 2″ pipe')).toEqual(['6', 'foot', 'ladder', '2', 'inch', 'pipe']);
  });

  it('keeps letters of other scripts and astral letters, drops symbols and emoji', () => {
    expect(tokenize('水龙头 faucet 🚿 𠀀x')).toEqual(['水龙头', 'faucet', '𠀀x']);
    expect(tokenize('naïve', { foldDiacritics: false })).toEqual(['naïve']);
  });

  it('returns no tokens for empty, blank or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \t\n ')).toEqual([]);
    expect(tokenize('-- / ... ### ()')).toEqual([]);
  });

  it('removes stop words after unit rewriting, and caps the token count', () => {
    expect(tokenize('shower head for the 1/2 in. pipe', { stopWords: DEFAULT_STOP_WORDS })).toEqual(
      ['shower', 'head', '1/2', 'inch', 'pipe'],
    );
    expect(tokenize('a b c d e', { maxTokens: 3 })).toEqual(['a', 'b', 'c']);
    expect(tokenize('a b', { maxTokens: 0 })).toEqual([]);
  });

  it('rejects a non-string text and a bad token cap', () => {
    expect(() => tokenize(42 as unknown as string)).toThrow(TypeError);
    expect(() => tokenize('a', { maxTokens: -1 })).toThrow(RangeError);
    expect(() => tokenize('a', { maxTokens: 1.5 })).toThrow(/maxTokens/);
  });

  it('stays fast and bounded on a 100k-character string', () => {
    const huge = 'Angle bracket 12-Gauge 1/2 in. '.repeat(3300);
    expect(huge.length).toBeGreaterThan(100_000);
    let start = performance.now();
    const capped = tokenize(huge);
    expect(capped.length).toBe(DEFAULT_MAX_TOKENS);
    // The whole string, uncapped: linear time, one token per word or number.
    const all = tokenize(huge, { maxInputLength: 200_000, maxTokens: Number.MAX_SAFE_INTEGER });
    expect(all.length).toBe(3300 * 6);
    expect(tokenize("a'".repeat(50_000), { maxInputLength: 100_000 })).toEqual([
      'a'.repeat(50_000),
    ]);
    for (const nasty of [
      "'".repeat(100_000),
      '1/'.repeat(50_000),
      '9'.repeat(100_000),
      '.5'.repeat(50_000),
    ]) {
      expect(tokenize(nasty, { maxInputLength: 100_000 }).length).toBeLessThanOrEqual(
        DEFAULT_MAX_TOKENS,
      );
    }
    expect(performance.now() - start).toBeLessThan(1000);
    start = performance.now();
    expect(tokenize('é'.repeat(100_000)).length).toBe(1);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('tokenize: properties', () => {
  const alphabet = fc.constantFrom(...'ab xyz019./-"\'#,é½×'.split(''));
  const text = fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join(''));

  it('is deterministic and emits clean, non-empty tokens', () => {
    fc.assert(
      fc.property(text, (s) => {
        const a = tokenize(s);
        expect(tokenize(s)).toEqual(a);
        for (const t of a) expect(t).toMatch(/^(?:[\p{L}\p{M}]+|\d+(?:\.\d+)?|\d+\/\d+)$/u);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('is idempotent: tokenizing the joined tokens gives the same tokens', () => {
    fc.assert(
      fc.property(text, (s) => {
        const a = tokenize(s);
        expect(tokenize(a.join(' '))).toEqual(a);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
