import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { isRunFolderError } from '../run-folder/run-folder-error';
import { sampleShiftMap } from '../contract/shift-fixtures';
import {
  computeShiftMap,
  readShiftMap,
  sampleIndices,
  writeShiftMap,
  type ShiftMapGroupInput,
} from './shift-map';

// 8 × 4, fixed by hand.
const X = [
  [0.2, 1.0, -0.5, 3.0],
  [1.1, 0.4, 0.3, 2.2],
  [-0.7, 1.9, -1.2, 3.1],
  [0.5, 0.5, 0.9, 1.0],
  [2.0, -0.3, 1.4, 0.7],
  [-1.2, 2.4, -0.8, 4.0],
  [0.9, 0.1, 0.2, 1.9],
  [0.0, 1.3, -0.1, 2.6],
];
const matrix = (rows: number[][], type: 'f32' | 'f64' = 'f64') => ({
  rows: rows.length,
  cols: rows[0]?.length ?? 4,
  data: type === 'f32' ? new Float32Array(rows.flat()) : new Float64Array(rows.flat()),
});

/*
 * Reference: scikit-learn 1.2.1 (Debian python3-sklearn), `/usr/bin/python3 -c "import numpy as np;
 * from sklearn.decomposition import PCA; X=np.array(<X above>); p=PCA(n_components=2).fit(X);
 * print(p.explained_variance_ratio_, p.transform(X), p.transform(np.array([[1.,0,0,0],[0,1.,2,3]])))"`
 */
const SKLEARN_RATIO = [0.926855399335, 0.050892694763];
const SKLEARN_X = [
  [-0.735013774962, -0.48171236962],
  [0.81505665188, -0.476028455624],
  [-1.989181249281, 0.087389288099],
  [1.392863918854, 0.847448738455],
  [2.937121229319, 0.014164277467],
  [-2.817738231023, 0.208989831658],
  [0.978178771858, -0.347394417856],
  [-0.581287316645, 0.147143107421],
];
const SKLEARN_NEW = [
  [2.059941180683, 0.593358053893],
  [0.249922236355, 0.590269320379],
];

const group = (rows: number[][], prefix: string, labelled = true): ShiftMapGroupInput => ({
  ids: rows.map((_, i) => `${prefix}${i}`),
  content: matrix(rows),
  fusedPercentile: rows.map((_, i) => i / rows.length),
  error: labelled ? rows.map((_, i) => i % 3) : null,
});

/** Each axis of `got` equals the reference's up to one sign per axis. */
function expectUpToSign(got: { x: number[]; y: number[] }, want: number[][]) {
  for (const [axis, values] of [got.x, got.y].entries()) {
    const sign = Math.sign(values[0]!) === Math.sign(want[0]![axis]!) ? 1 : -1;
    values.forEach((v, i) => expect(sign * v).toBeCloseTo(want[i]![axis]!, 9));
  }
}

describe('computeShiftMap', () => {
  it("matches scikit-learn's PCA (explained variance, projection of the fit rows and of new rows) up to sign", () => {
    const map = computeShiftMap({
      fit: matrix(X, 'f64'),
      groups: {
        id_test: group(X, 'a'),
        far: group(
          [
            [1, 0, 0, 0],
            [0, 1, 2, 3],
          ],
          'f',
          false,
        ),
      },
    });
    expect(map.explained_variance[0]).toBeCloseTo(SKLEARN_RATIO[0]!, 9);
    expect(map.explained_variance[1]).toBeCloseTo(SKLEARN_RATIO[1]!, 9);
    expect(map.groups).toEqual(['id_test', 'far']);
    expect(map.group).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(map.ids.slice(8)).toEqual(['f0', 'f1']);
    expect(map.error.slice(0, 3)).toEqual([0, 1, 2]);
    expect(map.error.slice(8)).toEqual([null, null]);
    expect(map.fused_percentile[1]).toBe(1 / 8);
    // One sign per axis, fixed by the fit: the new rows must follow the same flip.
    const signs = [0, 1].map((a) =>
      Math.sign([map.x, map.y][a]![0]!) === Math.sign(SKLEARN_X[0]![a]!) ? 1 : -1,
    );
    expectUpToSign({ x: map.x.slice(0, 8), y: map.y.slice(0, 8) }, SKLEARN_X);
    SKLEARN_NEW.forEach(([x, y], i) => {
      expect(signs[0]! * map.x[8 + i]!).toBeCloseTo(x!, 9);
      expect(signs[1]! * map.y[8 + i]!).toBeCloseTo(y!, 9);
    });
  });

  it('reads Float32 content (as the ONNX runtime returns it) to float32 precision', () => {
    const map = computeShiftMap({ fit: matrix(X, 'f32'), groups: { near: group(X, 'n') } });
    expect(map.explained_variance[0]).toBeCloseTo(SKLEARN_RATIO[0]!, 5);
    expect(Math.abs(map.x[4]!)).toBeCloseTo(Math.abs(SKLEARN_X[4]![0]!), 5);
  });

  it('caps each group with a seeded sample kept in input order; the same seed gives the same map', () => {
    const rows = Array.from({ length: 300 }, (_, i) =>
      X[i % 8]!.map((v, j) => v + ((i * (j + 1)) % 7) / 10),
    );
    const input = {
      fit: matrix(rows),
      groups: { id_test: group(rows, 'i'), pool: group(rows, 'p', false) },
      maxPerGroup: 50,
      maxFitRows: 100,
      seed: 3,
    };
    const a = computeShiftMap(input);
    expect(a.ids).toHaveLength(100);
    expect(a.group.filter((g) => g === 0)).toHaveLength(50);
    const idx = a.ids.slice(0, 50).map((id) => Number(id.slice(1)));
    expect(idx).toEqual([...idx].sort((p, q) => p - q));
    expect(new Set(idx).size).toBe(50);
    // Each point carries its own row's values.
    a.ids.slice(0, 50).forEach((id, i) => {
      const row = Number(id.slice(1));
      expect(a.fused_percentile[i]).toBe(row / 300);
      expect(a.error[i]).toBe(row % 3);
    });
    expect(computeShiftMap(input)).toEqual(a);
    const b = computeShiftMap({ ...input, seed: 4 });
    expect(b.ids).not.toEqual(a.ids);
    // Groups draw from their own streams: the pool sample differs from the ID sample of the same rows.
    expect(a.ids.slice(50).map((id) => id.slice(1))).not.toEqual(
      a.ids.slice(0, 50).map((id) => id.slice(1)),
    );
  });

  it('keeps every point of a group under the cap and skips empty groups', () => {
    const map = computeShiftMap({
      fit: matrix(X),
      groups: { id_test: group(X, 'a'), near: group([], 'n') },
      maxPerGroup: 8,
    });
    expect(map.groups).toEqual(['id_test']);
    expect(map.ids).toEqual(X.map((_, i) => `a${i}`));
  });

  it('refuses shapes that disagree, too few fit rows and no points', () => {
    expect(() =>
      computeShiftMap({ fit: matrix(X), groups: { far: group([[1, 2, 3]], 'f') } }),
    ).toThrow(/group "far": content must be 1 × 4/);
    expect(() =>
      computeShiftMap({
        fit: matrix(X),
        groups: { far: { ...group(X, 'f'), fusedPercentile: [0.5] } },
      }),
    ).toThrow(/fusedPercentile must have 8 entries/);
    expect(() => computeShiftMap({ fit: matrix(X.slice(0, 2)), groups: {} })).toThrow(
      /at least 3 rows/,
    );
    expect(() => computeShiftMap({ fit: matrix(X), groups: {} })).toThrow(/no group has a point/);
  });
});

describe('sampleIndices', () => {
  it('draws k distinct sorted indices, the same for the same seed', () => {
    const a = sampleIndices(1000, 25, 7);
    expect(a).toHaveLength(25);
    expect(new Set(a).size).toBe(25);
    expect(a).toEqual([...a].sort((p, q) => p - q));
    expect(a.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleIndices(1000, 25, 7)).toEqual(a);
    expect(sampleIndices(5, 25, 7)).toEqual([0, 1, 2, 3, 4]);
    expect(() => sampleIndices(5, 0, 7)).toThrow(RangeError);
  });
});

describe('writeShiftMap / readShiftMap', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradeshift-map-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('writes map.json atomically and reads it back', () => {
    const dir = tmp();
    const path = writeShiftMap(dir, sampleShiftMap());
    expect(path).toBe(join(dir, 'map.json'));
    expect(readdirSync(dir)).toEqual(['map.json']);
    expect(readShiftMap(path)).toEqual(sampleShiftMap());
    expect(readShiftMap(join(dir, 'none.json'))).toBeNull();
  });

  it('refuses a bad map before writing, and names the field of a bad file', () => {
    const dir = tmp();
    expect(() => writeShiftMap(dir, { ...sampleShiftMap(), x: [0] })).toThrow(
      /x has 1 entries, ids has 6/,
    );
    expect(readdirSync(dir)).toEqual([]);
    const path = join(dir, 'map.json');
    writeFileSync(path, JSON.stringify({ ...sampleShiftMap(), group: [0, 0, 1, 1, 2, 9] }));
    expect(() => readShiftMap(path)).toThrow(/group\.5: 9 is not an index of groups/);
    writeFileSync(path, JSON.stringify({ ...sampleShiftMap(), version: 2 }));
    try {
      readShiftMap(path);
      expect.unreachable();
    } catch (error) {
      expect(isRunFolderError(error, 'INVALID_REPORT')).toBe(true);
      expect((error as Error).message).toMatch(/map\.json: version/);
    }
    writeFileSync(path, '{');
    expect(() => readShiftMap(path)).toThrow(/not JSON/);
  });
});
