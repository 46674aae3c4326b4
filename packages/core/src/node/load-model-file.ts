/**
 * Reading `.onnx` files from disk for the node entry. Neutral code never touches the file system: it
 * receives bytes, which this function (or the web entry's `fetch`) provides.
 */
import { readFile } from 'node:fs/promises';

import { CoreError } from '../errors';

/**
 * Reads a model file into memory.
 * @param path - a file path or `file:` URL.
 * @returns the file's bytes (a plain `Uint8Array` view, not a `Buffer`).
 * @throws CoreError `MODEL_LOAD_FAILED` naming the path when the file cannot be read or is empty.
 * @example const bytes = await loadModelFile('tests/fixtures/models/ranker.onnx');
 */
export async function loadModelFile(path: string | URL): Promise<Uint8Array> {
  const label = typeof path === 'string' ? path : path.href;
  let buffer: Uint8Array;
  try {
    buffer = await readFile(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoreError('MODEL_LOAD_FAILED', `could not read model file "${label}": ${reason}`, {
      cause: error,
    });
  }
  if (buffer.byteLength === 0)
    throw new CoreError('MODEL_LOAD_FAILED', `model file "${label}" is empty`);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
