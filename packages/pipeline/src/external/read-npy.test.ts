/**
 * `.npy` embedding matrices written by NumPy itself (Debian's NumPy 1.24 through /usr/bin/python3, in the test):
 * float32 and float64, format versions 1.0 and 2.0, read exactly; every other dtype, order, shape, a truncated
 * file and a non-finite value refused with the file, the reason and what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { DataError } from '../data/data-error';
import { readNpy } from './read-npy';

const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'gradeshift-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `<name>.npy` with NumPy: `expr` is an array expression over `np`, saved with `save`. */
function numpy(name: string, expr: string, save = 'np.save(p, a)'): string {
  const p = join(dir, `${name}.npy`);
  execFileSync(PYTHON, ['-c', `import sys, numpy as np\np = sys.argv[1]\na = ${expr}\n${save}`, p]);
  return p;
}

async function refusal(path: string): Promise<DataError> {
  const error = await readNpy(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  const e = error as DataError;
  expect(e.file).toBe(path);
  expect(e.message.startsWith(`${path}: `)).toBe(true);
  return e;
}

describe.skipIf(!existsSync(PYTHON))('readNpy on files NumPy writes', () => {
  it('reads float32 and float64 matrices in C order, versions 1.0 and 2.0', async () => {
    const f32 = await readNpy(numpy('f32', 'np.arange(12, dtype=np.float32).reshape(3, 4) / 8'));
    expect([f32.rows, f32.cols, f32.dtype]).toEqual([3, 4, 'float32']);
    expect(Array.from(f32.data)).toEqual(Array.from({ length: 12 }, (_, i) => i / 8));
    const f64 = await readNpy(numpy('f64', 'np.array([[0.1, -2.5e-300], [1e300, 3.0]])'));
    expect([f64.rows, f64.cols, f64.dtype]).toEqual([2, 2, 'float64']);
    expect(Array.from(f64.data)).toEqual([0.1, -2.5e-300, 1e300, 3]);
    const v2 = await readNpy(
      numpy(
        'v2',
        'np.ones((2, 3), dtype=np.float32)',
        'np.lib.format.write_array(open(p, "wb"), a, version=(2, 0))',
      ),
    );
    expect([v2.rows, v2.cols, Array.from(v2.data)]).toEqual([2, 3, [1, 1, 1, 1, 1, 1]]);
  });

  it.each([
    ['int32', 'np.zeros((2, 2), dtype=np.int32)', /dtype is '<i4'; expected little-endian float32/],
    ['big-endian', 'np.zeros((2, 2), dtype=">f4")', /dtype is '>f4' \(big-endian\)/],
    ['fortran', 'np.asfortranarray(np.zeros((2, 3), dtype=np.float32))', /Fortran/],
    ['vector', 'np.zeros(4, dtype=np.float32)', /shape \(4\); expected a 2-D matrix/],
    ['cube', 'np.zeros((2, 2, 2), dtype=np.float32)', /shape \(2, 2, 2\)/],
    ['nan', 'np.array([[0.0, 1.0], [np.nan, 2.0]])', /row 1 \(0-based\), column 0 is NaN/],
  ])('refuses %s', async (name, expr, reason) => {
    const e = await refusal(numpy(name, expr));
    expect(e.reason).toMatch(reason);
    expect(e.hint.length).toBeGreaterThan(10);
  });

  it('refuses a truncated file, a non-npy file and a missing one', async () => {
    const whole = readFileSync(numpy('whole', 'np.zeros((4, 2), dtype=np.float32)'));
    const cut = join(dir, 'cut.npy');
    writeFileSync(cut, whole.subarray(0, whole.length - 4));
    expect((await refusal(cut)).reason).toMatch(
      /holds 28 bytes of data but shape \(4, 2\) of float32 needs 32/,
    );
    const text = join(dir, 'text.npy');
    writeFileSync(text, '0.1,0.2\n0.3,0.4\n');
    expect((await refusal(text)).reason).toMatch(/not a \.npy file/);
    const missing = await refusal(join(dir, 'missing.npy'));
    expect(missing.code).toBe('FILE_NOT_READABLE');
  });
});
