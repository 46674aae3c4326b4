import { describe, expect, it } from 'vitest';

import type { LabeledPair } from '../data/dataset';
import { buildNegatives, contentWords } from './negatives';

const pair = (query: string, item: string, grade: number, line: number): LabeledPair => ({
  id: String(line),
  query,
  item,
  grade,
  rating: 1 + grade,
  line,
});

/** A tiny catalogue in three departments; the department is the item's first word. */
const PAIRS: LabeledPair[] = [
  pair('cordless drill', 'tools Cordless Drill Driver Kit', 2, 1),
  pair('cordless drill', 'tools Drill Bit Set', 1, 2),
  pair('cordless drill', 'tools Impact Driver', 0, 3),
  pair('drill bits', 'tools Titanium Drill Bits', 2, 4),
  pair('drill bits', 'tools Cordless Screwdriver', 0, 5),
  pair('garden hose', 'garden Garden Hose 50 ft.', 2, 6),
  pair('garden hose', 'garden Hose Reel', 1, 7),
  pair('hose clamp', 'plumbing Stainless Hose Clamp', 2, 8),
  pair('hose clamp', 'plumbing Pipe Clamp', 0, 9),
  pair('faucet', 'plumbing Kitchen Faucet', 2, 10),
  pair('faucet', 'plumbing Faucet Connector', 1, 11),
];
const departmentOf = (item: string): string => item.split(' ')[0] ?? '';

describe('buildNegatives', () => {
  it('makes irrelevant pairs from other departments that were never judged, deterministically', () => {
    const options = { ratio: 2, hardShare: 0.5, seed: 4, departmentOf, rating: 1 };
    const negatives = buildNegatives(PAIRS, options);
    expect(negatives.length).toBeGreaterThan(PAIRS.length);
    expect(negatives.length).toBeLessThanOrEqual(2 * PAIRS.length);
    const judged = new Set(PAIRS.map((p) => `${p.query}|${p.item}`));
    const seen = new Set<string>();
    const queryDepartment = new Map([
      ['cordless drill', 'tools'],
      ['drill bits', 'tools'],
      ['garden hose', 'garden'],
      ['hose clamp', 'plumbing'],
      ['faucet', 'plumbing'],
    ]);
    for (const n of negatives) {
      expect(n.grade).toBe(0);
      expect(n.rating).toBe(1);
      const key = `${n.query}|${n.item}`;
      expect(judged.has(key)).toBe(false);
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      if (n.kind !== 'judged') expect(departmentOf(n.item)).not.toBe(queryDepartment.get(n.query));
      const shared = [...contentWords(n.query)].some((w) => contentWords(n.item).has(w));
      if (n.kind === 'easy') expect(shared).toBe(false);
      else expect(shared || n.kind === 'judged').toBe(true);
    }
    expect(buildNegatives(PAIRS, options)).toEqual(negatives);
    expect(buildNegatives(PAIRS, { ...options, seed: 5 })).not.toEqual(negatives);
  });

  it('finds the hard kinds: an item judged irrelevant for a query sharing a word, an item of another department sharing one', () => {
    const negatives = buildNegatives(PAIRS, { ratio: 4, hardShare: 1, seed: 1, departmentOf });
    const kinds = new Set(negatives.map((n) => n.kind));
    expect(kinds.has('judged')).toBe(true);
    expect(kinds.has('shared-word')).toBe(true);
    // "garden hose" shares "hose" with the plumbing hose clamp: a lexically close item of another department.
    expect(negatives).toContainEqual(
      expect.objectContaining({ query: 'garden hose', item: 'plumbing Stainless Hose Clamp' }),
    );
    // "drill bits" is close to "cordless drill", whose judged-irrelevant impact driver it never saw.
    const judged = negatives.filter((n) => n.kind === 'judged');
    expect(judged.every((n) => PAIRS.some((p) => p.grade === 0 && p.item === n.item))).toBe(true);
  });

  it('only easy negatives with a zero hard share, none without a ratio, and no rating unless given', () => {
    const easy = buildNegatives(PAIRS, { ratio: 1, hardShare: 0, seed: 2, departmentOf });
    expect(easy.every((n) => n.kind === 'easy' && n.rating === undefined)).toBe(true);
    expect(buildNegatives(PAIRS, { ratio: 0, seed: 2 })).toEqual([]);
  });

  it('without departments, takes items sharing no content word with the query', () => {
    const negatives = buildNegatives(PAIRS, { ratio: 1, hardShare: 0, seed: 3 });
    for (const n of negatives)
      expect([...contentWords(n.query)].some((w) => contentWords(n.item).has(w))).toBe(false);
  });

  it('rejects a bad ratio or hard share', () => {
    expect(() => buildNegatives(PAIRS, { ratio: -1, seed: 0 })).toThrow(/ratio/);
    expect(() => buildNegatives(PAIRS, { ratio: 1, hardShare: 2, seed: 0 })).toThrow(/hardShare/);
  });
});
