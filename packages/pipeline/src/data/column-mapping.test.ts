import { describe, expect, it } from 'vitest';

import { checkJsonlColumns, resolveCsvColumns } from './column-mapping';
import { DataError, isDataError } from './data-error';

const header = ['id', 'search_term', 'product_title', 'relevance'];
const ctx = { file: 'd.csv', line: 1 };

function thrown(fn: () => unknown): DataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError');
}

describe('column mapping', () => {
  it('resolves names and indices to field indices', () => {
    expect(
      resolveCsvColumns(
        { id: 0, query: 'search_term', item: ' product_title ', label: 3 },
        header,
        ctx,
      ),
    ).toEqual({ id: 0, query: 1, item: 2, label: 3 });
  });

  it('names the columns that exist when a mapped column is missing', () => {
    const e = thrown(() =>
      resolveCsvColumns({ query: 'query', item: 'product_title', label: 'relevance' }, header, ctx),
    );
    expect(isDataError(e, 'MISSING_COLUMN')).toBe(true);
    expect(e.line).toBe(1);
    expect(e.reason).toBe(
      'columns.query is "query", but the header has no such column; the columns are "id" (0), "search_term" (1), "product_title" (2), "relevance" (3)',
    );
    expect(e.message).toContain('d.csv:1:');
    expect(e.hint).toMatch(/columns listed/);
  });

  it('rejects an index past the last column, names without a header, and a duplicated header name', () => {
    expect(
      thrown(() => resolveCsvColumns({ query: 1, item: 2, label: 9 }, header, ctx)).reason,
    ).toMatch(/index 9.*"relevance" \(3\)/);
    expect(
      thrown(() =>
        resolveCsvColumns({ query: 'q', item: 1, label: 2 }, undefined, { ...ctx, fieldCount: 3 }),
      ).code,
    ).toBe('INVALID_MAPPING');
    expect(
      thrown(() =>
        resolveCsvColumns({ query: 'a', item: 'b', label: 'c' }, ['a', 'b', 'a', 'c'], ctx),
      ).code,
    ).toBe('INVALID_MAPPING');
    expect(() => resolveCsvColumns({ query: -1, item: 1, label: 2 }, header, ctx)).toThrow(
      TypeError,
    );
  });

  it('checks JSONL key names against the first object and lists its keys', () => {
    expect(() =>
      checkJsonlColumns({ query: 'q', item: 'doc', label: 'y' }, ['q', 'doc', 'y'], ctx),
    ).not.toThrow();
    const e = thrown(() =>
      checkJsonlColumns({ query: 'q', item: 'item', label: 'y' }, ['q', 'doc', 'y'], ctx),
    );
    expect(e.reason).toBe(
      'columns.item is "item", but the first object has no such key; its keys are "q", "doc", "y"',
    );
    expect(
      thrown(() => checkJsonlColumns({ query: 0, item: 'doc', label: 'y' }, ['q'], ctx)).code,
    ).toBe('INVALID_MAPPING');
  });
});
