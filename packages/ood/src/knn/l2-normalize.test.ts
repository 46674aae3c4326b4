import { createRng, matrixFromRows, type Matrix } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import {
  inverseRowNorms,
  L2_NORM_EPSILON,
  l2NormalizeRows,
  prepareFeatureRows,
} from './l2-normalize';

function randomMatrix(seed: number, rows: number, cols: number): Matrix {
  const rng = createRng(seed);
  return matrixFromRows(
    Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal() * 3)),
  );
}

describe('l2NormalizeRows', () => {
  it('divides by ‖x‖ + 1e-10 (numpy: x / (np.linalg.norm(x, axis=1, keepdims=True) + 1e-10)), zeros stay zeros', () => {
    // [3, 4] has norm 5; [0, 0] maps to zeros instead of NaN.
    const out = l2NormalizeRows(
      matrixFromRows([
        [3, 4],
        [0, 0],
      ]),
    );
    expect(out.data).toBeDeepCloseTo([3 / (5 + L2_NORM_EPSILON), 4 / (5 + L2_NORM_EPSILON), 0, 0], {
      abs: 1e-16,
    });
  });

  it('neither overflows nor underflows on extreme rows (rescaled by the largest entry)', () => {
    const x = matrixFromRows([
      [1e200, -1e200],
      [1e-200, 2e-200],
      [3e-320, 0],
    ]);
    const out = l2NormalizeRows(x);
    // Σx² of the first row would overflow to Infinity without the rescaling.
    expect(out.data[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(out.data[1]).toBeCloseTo(-Math.SQRT1_2, 15);
    // Tiny rows: the 1e-10 epsilon dominates their norm, so x / (‖x‖ + 1e-10) ≈ x·1e10, finite and not NaN.
    expect(out.data.subarray(2)).toBeDeepCloseTo([1e-190, 2e-190, 3e-310, 0], {
      rel: 1e-4,
      abs: 0,
    }); // 3e-320 is subnormal: 5 digits;
  });
});

describe('prepareFeatureRows', () => {
  const x = randomMatrix(1, 9, 5);

  it('in Float64, normalised rows [start, end) are bit-identical to l2NormalizeRows', () => {
    const out = new Float64Array(4 * 5);
    prepareFeatureRows(x, { out, start: 3, end: 7, normalize: true, name: 'features.data' });
    expect(out).toEqual(l2NormalizeRows(x).data.subarray(15, 35));
  });

  it('in Float32, each entry is the Float64 result rounded once; without normalisation rows are copied', () => {
    const out = new Float32Array(9 * 5);
    prepareFeatureRows(x, { out, start: 0, end: 9, normalize: true, name: 'features.data' });
    expect(out).toEqual(Float32Array.from(l2NormalizeRows(x).data));
    const copy = new Float64Array(2 * 5);
    prepareFeatureRows(x, { out: copy, start: 7, end: 9, normalize: false, name: 'features.data' });
    expect(copy).toEqual(x.data.subarray(35, 45));
  });

  it('rejects NaN/Infinity with the first bad flat index, as assertFinite, normalising or not', () => {
    const bad = randomMatrix(2, 6, 2);
    bad.data[7] = Number.NaN;
    bad.data[9] = Infinity;
    const target = { out: new Float64Array(12), start: 0, end: 6, name: 'features.data' };
    expect(() => prepareFeatureRows(bad, { ...target, normalize: true })).toThrow(
      'features.data[7] must be finite (got NaN)',
    );
    expect(() => prepareFeatureRows(bad, { ...target, normalize: false })).toThrow(
      'features.data[7] must be finite (got NaN)',
    );
    bad.data[7] = 0;
    expect(() => prepareFeatureRows(bad, { ...target, normalize: false })).toThrow(
      'features.data[9] must be finite (got Infinity)',
    );
    // Only rows [start, end) are read.
    expect(() =>
      prepareFeatureRows(bad, { ...target, start: 5, end: 6, normalize: true }),
    ).not.toThrow();
  });
});

describe('inverseRowNorms', () => {
  it('gives 1 / (‖x‖ + 1e-10) per row, so x·factor is the normalised row; all-zero rows are in range', () => {
    // [3, 4] has norm 5; [0, 0] gets 1/1e-10.
    const out = new Float64Array(3);
    expect(
      inverseRowNorms(
        matrixFromRows([
          [9, 9],
          [3, 4],
          [0, 0],
        ]),
        { out, start: 1, end: 3, name: 'features.data' },
      ),
    ).toBe(true);
    expect(out).toBeDeepCloseTo([1 / (5 + L2_NORM_EPSILON), 1 / L2_NORM_EPSILON, 0], {
      rel: 1e-15,
      abs: 0,
    });
    const x = randomMatrix(3, 4, 6);
    const factors = new Float64Array(4);
    inverseRowNorms(x, { out: factors, start: 0, end: 4, name: 'features.data' });
    const scaled = x.data.map((v, i) => v * (factors[Math.floor(i / 6)] ?? 0));
    expect(scaled).toBeDeepCloseTo(l2NormalizeRows(x).data, { abs: 1e-15 });
  });

  it('reports rows whose norm is beyond 1e±15 (unsafe for a float32 product of the raw row), and NaN by index', () => {
    const out = new Float64Array(1);
    const at = { out, start: 0, end: 1, name: 'features.data' };
    expect(inverseRowNorms(matrixFromRows([[1e16, 0]]), at)).toBe(false);
    expect(inverseRowNorms(matrixFromRows([[1e-16, 0]]), at)).toBe(false);
    expect(inverseRowNorms(matrixFromRows([[1e200, 1e200]]), at)).toBe(false); // Σx² overflows, yet every entry is finite
    expect(
      inverseRowNorms(
        matrixFromRows([
          [1e200, 1e200],
          [3, 4],
        ]),
        { ...at, out: new Float64Array(2), end: 2 },
      ),
    ).toBe(false);
    expect(() =>
      inverseRowNorms(
        matrixFromRows([
          [1, 2],
          [3, Number.NaN],
        ]),
        { ...at, end: 2 },
      ),
    ).toThrow('features.data[3] must be finite (got NaN)');
  });
});
