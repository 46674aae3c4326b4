import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { damerauLevenshtein } from './damerau-levenshtein';

/** Full-matrix optimal string alignment over code points, written straight from the definition. */
function referenceOsa(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[x.length]![y.length]!;
}

describe('damerauLevenshtein (optimal string alignment)', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'ab', 2],
    ['bracket', 'bracket', 0],
    ['kitten', 'sitting', 3], // k→s, e→i, +g
    ['ca', 'ac', 1], // one transposition
    ['ca', 'abc', 3], // OSA cannot edit the transposed pair again (unrestricted Damerau gives 2)
    ['bracket', 'brakcet', 1], // ck ↔ kc
    ['electric', 'electirc', 1], // ri ↔ ir
    ['faucet', 'facuet', 1], // uc ↔ cu
    ['vacuum', 'vacum', 1], // one deletion
    ['shower', 'showr', 1],
    ['refrigerator', 'refrigirator', 1], // e → i
    ['pasadena', 'pasedena', 1],
    ['angle', 'angel', 1], // le ↔ el
    ['abcd', 'badc', 2], // two transpositions
    ['😀a', 'a😀', 1], // an astral character is one character
  ])('d(%j, %j) = %i', (a, b, expected) => {
    expect(damerauLevenshtein(a, b)).toBe(expected);
    expect(damerauLevenshtein(b, a)).toBe(expected);
  });

  it('stops early and returns k + 1 beyond the bound', () => {
    expect(damerauLevenshtein('kitten', 'sitting', { maxDistance: 1 })).toBe(2);
    expect(damerauLevenshtein('kitten', 'sitting', { maxDistance: 3 })).toBe(3);
    expect(damerauLevenshtein('a', 'abcdef', { maxDistance: 2 })).toBe(3);
    expect(damerauLevenshtein('abc', 'xyz', { maxDistance: 0 })).toBe(1);
    expect(() => damerauLevenshtein('a', 'b', { maxDistance: -1 })).toThrow(RangeError);
  });

  it('equals the full-matrix reference, bounded or not (property)', () => {
    const word = fc
      .array(fc.constantFrom('a', 'b', 'c', 'é', '😀'), { maxLength: 9 })
      .map((cs) => cs.join(''));
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, k) => {
        const full = referenceOsa(a, b);
        expect(damerauLevenshtein(a, b)).toBe(full);
        expect(damerauLevenshtein(a, b, { maxDistance: k })).toBe(Math.min(full, k + 1));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('handles tokens longer than its scratch buffers', () => {
    const long = 'ab'.repeat(100);
    expect(damerauLevenshtein(long, `${long}x`)).toBe(1);
    expect(damerauLevenshtein(long, long.split('').reverse().join(''))).toBe(
      referenceOsa(long, long.split('').reverse().join('')),
    );
  });
});
