import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { writeFileAtomic, writeLinesAtomic } from './atomic-write';

describe('atomic writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-atomic-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes and replaces a file', () => {
    const path = join(dir, 'a', 'report.json');
    writeFileAtomic(path, '{"v":1}');
    writeFileAtomic(path, '{"v":2}');
    expect(readFileSync(path, 'utf8')).toBe('{"v":2}');
    expect(readdirSync(join(dir, 'a'))).toEqual(['report.json']);
  });

  it('keeps the old file and leaves no temp file when writing fails midway', () => {
    const path = join(dir, 'predictions.jsonl');
    writeFileSync(path, 'old\n');
    function* lines(): Generator<string> {
      yield 'new 1\n';
      throw new Error('disk on fire');
    }
    expect(() => writeLinesAtomic(path, lines())).toThrow('disk on fire');
    expect(readFileSync(path, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['predictions.jsonl']);
    expect(existsSync(path)).toBe(true);
  });
});
