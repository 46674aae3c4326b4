/**
 * Embedding matrices as NumPy `.npy` files, for external predictions too large to carry embeddings in JSON: a
 * 2-D float32 or float64 array in C order, `n × d`, row i the embedding of the predictions file's pair i, as
 * `np.save('emb.npy', embeddings.astype(np.float32))` writes it. The header is parsed strictly (format versions
 * 1.0 to 3.0; exactly the keys `descr`, `fortran_order`, `shape`); anything else is refused with a
 * {@link DataError} naming the file, the reason and what to do.
 * @see https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { readFile } from 'node:fs/promises';

import { DataError } from '../data/data-error';

/** A 2-D float matrix read from a `.npy` file, row-major, widened to float64. */
export interface NpyMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  /** The stored element type. */
  readonly dtype: 'float32' | 'float64';
}

const MAGIC = [0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0))];
const SAVE_HINT =
  'write the embeddings with NumPy: np.save(path, np.ascontiguousarray(embeddings, dtype=np.float32)), one row per line of the predictions file, in the same order';
const DTYPES: Readonly<Record<string, { type: 'float32' | 'float64'; size: number }>> = {
  '<f4': { type: 'float32', size: 4 },
  '<f8': { type: 'float64', size: 8 },
};

function refuse(file: string, reason: string, hint = SAVE_HINT): never {
  throw new DataError('BAD_PREDICTION', { file, reason }, { hint });
}

/** The header dict's entries: `'key': value`, value a quoted text, True/False or a tuple. */
function headerEntries(file: string, header: string): Map<string, string> {
  const body = /^\{(.*)\}\s*$/s.exec(header.trimEnd())?.[1]?.trim();
  if (body === undefined)
    refuse(file, `the .npy header is not a dict literal: ${header.slice(0, 80)}`);
  const entries = new Map<string, string>();
  const entry = /\s*'([a-z_]+)'\s*:\s*('[^']*'|True|False|\([^)]*\))\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  while (entry.lastIndex < body.length && (match = entry.exec(body)) !== null) {
    const [, key = '', value = ''] = match;
    if (entries.has(key)) refuse(file, `the .npy header repeats the key '${key}'`);
    entries.set(key, value);
  }
  // A failed match resets lastIndex to 0, so whatever was not read as entries is left over here.
  if (body.slice(entry.lastIndex).trim() !== '')
    refuse(file, `the .npy header has an entry that is not 'key': value: ${header.slice(0, 80)}`);
  const keys = [...entries.keys()].sort().join(', ');
  if (keys !== 'descr, fortran_order, shape')
    refuse(file, `the .npy header has the keys [${keys}]; expected descr, fortran_order, shape`);
  return entries;
}

/** The element type, order and shape of the header, checked: float32/float64 little-endian, C order, 2-D. */
function parseHeader(file: string, header: string): { dtype: string; rows: number; cols: number } {
  const entries = headerEntries(file, header);
  const dtype = (entries.get('descr') ?? '').slice(1, -1);
  if (DTYPES[dtype] === undefined)
    refuse(
      file,
      `the array's dtype is '${dtype}'${dtype.startsWith('>') ? ' (big-endian)' : ''}; expected little-endian float32 ('<f4') or float64 ('<f8')`,
    );
  if (entries.get('fortran_order') !== 'False')
    refuse(file, 'the array is stored in Fortran (column-major) order; expected C order');
  const dims = (entries.get('shape') ?? '()')
    .slice(1, -1)
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (dims.length !== 2 || dims.some((d) => !/^\d+$/.test(d)))
    refuse(
      file,
      `the array has shape (${dims.join(', ')}); expected a 2-D matrix (pairs, width)`,
      `${SAVE_HINT}; reshape a single vector per pair into rows first (embeddings.reshape(n, -1))`,
    );
  const [rows = 0, cols = 0] = dims.map(Number);
  if (cols === 0) refuse(file, `the array has shape (${rows}, 0): embeddings of width 0`);
  return { dtype, rows, cols };
}

/**
 * Reads a `.npy` embedding matrix (format in the module comment).
 * @param file - the `.npy` path.
 * @returns the matrix, widened to float64
 * @throws DataError `FILE_NOT_READABLE` when the file cannot be read; `BAD_PREDICTION` for a file that is not
 *   a `.npy` array, a dtype other than little-endian float32/float64, Fortran order, a shape other than 2-D, a
 *   data size that differs from the shape, or a value that is not finite
 */
export async function readNpy(file: string): Promise<NpyMatrix> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DataError(
      'FILE_NOT_READABLE',
      { file, reason: error instanceof Error ? error.message : String(error) },
      { cause: error },
    );
  }
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    refuse(file, 'not a .npy file (it does not start with \\x93NUMPY)');
  const major = bytes[6] ?? 0;
  if (major < 1 || major > 3)
    refuse(file, `.npy format version ${major}.${bytes[7]} is not supported (1.0 to 3.0 are)`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = 8 + lengthBytes + headerLength;
  if (start > bytes.length) refuse(file, 'the .npy header runs past the end of the file');
  const header = bytes.toString(major === 3 ? 'utf8' : 'latin1', 8 + lengthBytes, start);
  const { dtype, rows, cols } = parseHeader(file, header);
  const { type, size } = DTYPES[dtype] ?? { type: 'float32', size: 4 };
  const expected = rows * cols * size;
  if (bytes.length - start !== expected)
    refuse(
      file,
      `the file holds ${bytes.length - start} bytes of data but shape (${rows}, ${cols}) of ${type} needs ${expected} (a truncated or appended file)`,
    );
  // Copied out of the (possibly unaligned, pooled) Buffer before typing it.
  const raw = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + expected);
  const data = Float64Array.from(
    type === 'float32' ? new Float32Array(raw) : new Float64Array(raw),
  );
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0)
    refuse(
      file,
      `row ${Math.floor(bad / cols)} (0-based), column ${bad % cols} is ${data[bad]}, not a finite number`,
      'embeddings must be finite: check the encoder run that produced them',
    );
  return { rows, cols, data, dtype: type };
}
