import { describe, expect, it } from 'vitest';

import {
  parseChoice,
  parseColumnRef,
  parseInteger,
  parseIntegerList,
  parseList,
  parseNumber,
  parseRange,
  parseThresholds,
  parseValueGrades,
} from './value-parsers';

describe('parseNumber / parseInteger', () => {
  it('accepts plain decimals and exponents within bounds', () => {
    expect(parseNumber('0.02')).toBe(0.02);
    expect(parseNumber(' 1e-3 ')).toBe(0.001);
    expect(parseNumber('.5', { min: 0, max: 1 })).toBe(0.5);
    expect(parseInteger('42', { min: 0 })).toBe(42);
    expect(parseInteger('-3')).toBe(-3);
  });

  it.each(['', 'abc', '0x10', 'Infinity', 'NaN', '1,5', '2%'])('rejects %j as a number', (text) => {
    expect(() => parseNumber(text)).toThrow(`must be a number (got "${text}")`);
  });

  it.each(['1.5', '1e3', '9007199254740993', ''])('rejects %j as an integer', (text) => {
    expect(() => parseInteger(text)).toThrow(`must be an integer (got "${text}")`);
  });

  it('names the bounds it enforces', () => {
    expect(() => parseNumber('0', { min: 0, max: 1, exclusiveMin: true })).toThrow(
      'must be a number > 0 and ≤ 1 (got "0")',
    );
    expect(() => parseInteger('0', { min: 1 })).toThrow('must be an integer ≥ 1 (got "0")');
    expect(() => parseInteger('5', { max: 4 })).toThrow('must be an integer ≤ 4 (got "5")');
    expect(parseNumber('1', { min: 0, max: 1, exclusiveMin: true })).toBe(1);
  });
});

describe('lists, choices and columns', () => {
  it('splits and trims lists, rejecting empty items', () => {
    expect(parseList('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(() => parseList('a,,b')).toThrow('without empty items');
    expect(() => parseList('a,')).toThrow('without empty items');
  });

  it('reads integer lists without duplicates', () => {
    expect(parseIntegerList('0,1,2')).toEqual([0, 1, 2]);
    expect(() => parseIntegerList('1,1')).toThrow('must not repeat a value (got "1,1")');
    expect(() => parseIntegerList('0,x')).toThrow('must be an integer (got "x")');
  });

  it('accepts only listed choices', () => {
    expect(parseChoice(' ce ', ['graded', 'ce'] as const)).toBe('ce');
    expect(() => parseChoice('CE', ['graded', 'ce'] as const)).toThrow(
      'must be one of graded, ce (got "CE")',
    );
  });

  it('reads digits as a 0-based index and anything else as a header name', () => {
    expect(parseColumnRef('3')).toBe(3);
    expect(parseColumnRef(' search_term ')).toBe('search_term');
    expect(parseColumnRef('col3')).toBe('col3');
    expect(() => parseColumnRef('  ')).toThrow('must name a column');
  });
});

describe('grade mappings', () => {
  it('reads thresholds with and without a range', () => {
    expect(parseThresholds('1.75,2.33')).toEqual({ kind: 'thresholds', edges: [1.75, 2.33] });
    expect(parseThresholds('2', parseRange('1,3'))).toEqual({
      kind: 'thresholds',
      edges: [2],
      range: [1, 3],
    });
    expect(() => parseThresholds('1,1')).toThrow('must be strictly increasing (got "1,1")');
    expect(() => parseThresholds('1,2', [1, 3])).toThrow('must lie inside --range 1,3 (got "1,2")');
    expect(() => parseRange('1,2,3')).toThrow('must be two increasing numbers min,max');
    expect(() => parseRange('2,2')).toThrow('must be two increasing numbers min,max');
  });

  it('groups values by grade in order of first appearance; a value may contain colons', () => {
    expect(parseValueGrades('bad:irrelevant,ok:weak,great:strong,awful:irrelevant')).toEqual({
      kind: 'values',
      grades: [['bad', 'awful'], ['ok'], ['great']],
      names: ['irrelevant', 'weak', 'strong'],
    });
    expect(parseValueGrades('a:b:low,c:high').grades).toEqual([['a:b'], ['c']]);
  });

  it.each([
    ['0:irrelevant', 'must name at least two grades'],
    ['0:x,0:y', 'lists the value "0" twice'],
    ['Yes:x,yes:y', 'lists the value "yes" twice'],
    ['0,1:x', 'must be value:grade pairs (got "0" in "0,1:x")'],
    [':x,1:y', 'must be value:grade pairs'],
    ['0:,1:y', 'must be value:grade pairs'],
  ])('rejects values %j', (text, message) => {
    expect(() => parseValueGrades(text)).toThrow(message);
  });
});
