import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { confinePath, PathError } from './confine-path';

describe('confinePath', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'gradeshift-confine-')));
    root = join(base, 'data');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'a.csv'), 'x');
    writeFileSync(join(base, 'secret.csv'), 'x');
    symlinkSync(join(base, 'secret.csv'), join(root, 'escape.csv'));
    symlinkSync(base, join(root, 'up'));
    symlinkSync(join(root, 'sub', 'a.csv'), join(root, 'inside.csv'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const code = (path: string): string => {
    try {
      confinePath(path, { root, field: 'dataset.path' });
      return 'ok';
    } catch (error) {
      return error instanceof PathError ? error.code : 'other';
    }
  };

  it('resolves paths inside the folder to their real path', () => {
    expect(confinePath('sub/a.csv', { root, field: 'f' })).toBe(join(root, 'sub', 'a.csv'));
    expect(confinePath('./sub/../sub/a.csv', { root, field: 'f' })).toBe(
      join(root, 'sub', 'a.csv'),
    );
    expect(confinePath('inside.csv', { root, field: 'f' })).toBe(join(root, 'sub', 'a.csv'));
  });

  it('refuses traversal, absolute paths, NUL bytes and symlinks that lead out', () => {
    expect(code('../secret.csv')).toBe('OUTSIDE_ROOT');
    expect(code('sub/../../secret.csv')).toBe('OUTSIDE_ROOT');
    expect(code('escape.csv')).toBe('OUTSIDE_ROOT');
    expect(code('up/secret.csv')).toBe('OUTSIDE_ROOT');
    expect(code(join(root, 'sub', 'a.csv'))).toBe('INVALID_PATH');
    expect(code('C:\\windows')).toBe('INVALID_PATH');
    expect(code('a\0b')).toBe('INVALID_PATH');
    expect(code('')).toBe('INVALID_PATH');
    expect(code('missing.csv')).toBe('NOT_FOUND');
  });

  it('never names the server folders in its messages', () => {
    try {
      confinePath('../secret.csv', { root, field: 'dataset.path' });
    } catch (error) {
      expect(String(error)).not.toContain(base);
      expect(String(error)).toContain('dataset.path');
    }
  });
});
