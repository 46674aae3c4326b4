/**
 * Store settings as run folders keep them: an SQLite path made absolute, a PostgreSQL URL without its password,
 * found again through GRADESHIFT_STORE when a later step opens it.
 */
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { storeConnection, storeReference } from './run-store-path';

describe('run store references', () => {
  const url = 'postgres://gs:s3cret@db.internal:5432/gradeshift';

  it('keeps no password in a reference, and finds it again in GRADESHIFT_STORE', () => {
    const reference = storeReference(url);
    expect(reference).toBe('postgres://gs:***@db.internal:5432/gradeshift');
    expect(storeConnection(reference, { GRADESHIFT_STORE: url })).toBe(url);
    expect(() => storeConnection(reference, {})).toThrow(
      'the run is recorded in postgres://gs:***@db.internal:5432/gradeshift: set GRADESHIFT_STORE to that database',
    );
    expect(() =>
      storeConnection(reference, { GRADESHIFT_STORE: 'postgres://gs:x@other:5432/gradeshift' }),
    ).toThrow(/set GRADESHIFT_STORE/);
  });

  it('leaves a password-less URL as it is and makes a path absolute', () => {
    const plain = 'postgres://postgres@127.0.0.1:5433/gradeshift';
    expect(storeReference(plain)).toBe(plain);
    expect(storeConnection(plain, {})).toBe(plain);
    expect(storeReference('runs/runs.sqlite')).toBe(resolve('runs/runs.sqlite'));
    expect(storeConnection('/x/runs.sqlite', {})).toBe('/x/runs.sqlite');
  });
});
