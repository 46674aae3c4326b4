import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CoreError } from '../errors';
import { loadModelFile } from './load-model-file';

describe('loadModelFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradeshift-load-'));
    await writeFile(join(dir, 'bytes.onnx'), Uint8Array.from([8, 9, 18, 3]));
    await writeFile(join(dir, 'empty.onnx'), new Uint8Array(0));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the bytes as a plain Uint8Array, from a path or a file URL', async () => {
    const bytes = await loadModelFile(join(dir, 'bytes.onnx'));
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(Array.from(bytes)).toEqual([8, 9, 18, 3]);
    expect(Array.from(await loadModelFile(pathToFileURL(join(dir, 'bytes.onnx'))))).toEqual([
      8, 9, 18, 3,
    ]);
  });

  it('names the path of a missing or empty file in a MODEL_LOAD_FAILED error', async () => {
    const missing = join(dir, 'nope.onnx');
    const error = await loadModelFile(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
    expect((error as Error).message).toMatch(
      new RegExp(`^could not read model file "${missing}": ENOENT`),
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
    await expect(loadModelFile(join(dir, 'empty.onnx'))).rejects.toThrow(
      `model file "${join(dir, 'empty.onnx')}" is empty`,
    );
  });
});
