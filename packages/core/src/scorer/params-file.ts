/**
 * A checked binary file of the scorer's trainable parameters (bytes in, bytes out; the caller does the I/O).
 *
 * Layout, all integers little-endian:
 * | bytes      | content                                                                           |
 * | ---------- | --------------------------------------------------------------------------------- |
 * | 0–7        | magic `GSPARAMS`                                                                  |
 * | 8–11       | u32 format version ({@link PARAMS_FILE_VERSION})                                  |
 * | 12–15      | u32 header length H (a multiple of 8, space-padded)                              |
 * | 16–16+H    | ASCII JSON header: dtype, config, embedding dims, tensors, byte count, sha256, metadata |
 * | 16+H–end   | the values, tensor after tensor in header order, row-major, float32 or float64    |
 *
 * The frozen embedding table is not stored (it is rebuilt from the vocabulary and the word-vector cache); its
 * dims are, so a file trained against another vocabulary is refused. The version sits before the JSON so a
 * future layout is reported as a version mismatch rather than as a broken header.
 */
import { ParamsFileError } from './params-file-error';
import {
  invalidHeader,
  parseHeader,
  type ParamsFileDtype,
  type ParamsFileHeader,
} from './params-file-header';
import { TRAINABLE_PARAM_NAMES, type TrainableParamName } from './param-names';
import type { EmbeddingTable, ScorerParams, ScorerTensor } from './params';
import { assertScorerParams, trainableShapes } from './check-params';
import { sha256Hex } from './sha256';
import { DEFAULT_SCORER_CONFIG, type ScorerConfig } from './types';

export type { ParamsFileDtype, ParamsFileHeader };

/** The version this build writes and reads. */
export const PARAMS_FILE_VERSION = 1;
/** The first eight bytes of every parameters file. */
export const PARAMS_FILE_MAGIC = 'GSPARAMS';
const PREAMBLE_BYTES = 16;

/** Options of {@link encodeScorerParams}. */
export interface EncodeScorerParamsOptions {
  /** float32 halves the file and matches the ONNX export; float64 round-trips exactly. @default 'float32' */
  dtype?: ParamsFileDtype;
  /** JSON-serialisable notes stored in the header. @default {} */
  metadata?: Readonly<Record<string, unknown>>;
}

/** Options of {@link decodeScorerParams}. */
export interface DecodeScorerParamsOptions {
  /** The frozen table to attach; its dims must equal the file's. */
  embeddings: EmbeddingTable;
  /** When given, the file's config must equal it field by field. */
  config?: ScorerConfig;
}

const bytesPer = (dtype: ParamsFileDtype): number => (dtype === 'float32' ? 4 : 8);

/** JSON with every non-ASCII character escaped, so the header is plain ASCII (one byte per character). */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Encodes the trainable tensors of `params`.
 * @param params - checked against their config (shapes and finite values)
 * @param options - value type and header metadata
 * @returns the file's bytes
 * @throws RangeError / TypeError when the parameters are malformed or hold a non-finite value
 * @example writeFileSync('stage1.bin', encodeScorerParams(params, { metadata: { stage: 1 } }))
 */
export function encodeScorerParams(
  params: ScorerParams,
  options: EncodeScorerParamsOptions = {},
): Uint8Array {
  assertScorerParams(params);
  const dtype = options.dtype ?? 'float32';
  const size = bytesPer(dtype);
  const values = TRAINABLE_PARAM_NAMES.reduce((n, name) => n + params[name].data.length, 0);
  const data = new Uint8Array(values * size);
  const view = new DataView(data.buffer);
  let offset = 0;
  for (const name of TRAINABLE_PARAM_NAMES) {
    for (const x of params[name].data) {
      if (dtype === 'float32') view.setFloat32(offset, x, true);
      else view.setFloat64(offset, x, true);
      offset += size;
    }
  }
  const header = {
    dtype,
    config: params.config,
    embeddings: [...params.embeddings.dims],
    tensors: TRAINABLE_PARAM_NAMES.map((name) => ({ name, dims: [...params[name].dims] })),
    bytes: data.length,
    sha256: sha256Hex(data),
    metadata: options.metadata ?? {},
  };
  let json = asciiJson(header);
  json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const out = new Uint8Array(PREAMBLE_BYTES + json.length + data.length);
  const preamble = new DataView(out.buffer);
  for (let i = 0; i < PARAMS_FILE_MAGIC.length; i++) out[i] = PARAMS_FILE_MAGIC.charCodeAt(i);
  preamble.setUint32(8, PARAMS_FILE_VERSION, true);
  preamble.setUint32(12, json.length, true);
  for (let i = 0; i < json.length; i++) out[PREAMBLE_BYTES + i] = json.charCodeAt(i);
  out.set(data, PREAMBLE_BYTES + json.length);
  return out;
}

/** The header and data section, after the checks that need no config: length, magic, version, JSON, checksum. */
function split(bytes: Uint8Array): { header: ParamsFileHeader; data: Uint8Array } {
  if (bytes.length < PREAMBLE_BYTES)
    throw new ParamsFileError(
      'TRUNCATED',
      `${bytes.length} bytes, fewer than the ${PREAMBLE_BYTES}-byte preamble`,
    );
  const magic = String.fromCharCode(...bytes.subarray(0, PARAMS_FILE_MAGIC.length));
  if (magic !== PARAMS_FILE_MAGIC)
    throw new ParamsFileError(
      'NOT_PARAMS_FILE',
      `the file starts with ${JSON.stringify(magic)}, not ${JSON.stringify(PARAMS_FILE_MAGIC)}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== PARAMS_FILE_VERSION)
    throw new ParamsFileError(
      'VERSION_MISMATCH',
      `the file is format version ${version}; this build reads version ${PARAMS_FILE_VERSION}`,
    );
  const headerBytes = view.getUint32(12, true);
  const dataStart = PREAMBLE_BYTES + headerBytes;
  if (dataStart > bytes.length)
    throw new ParamsFileError(
      'TRUNCATED',
      `the header declares ${headerBytes} bytes but only ${bytes.length - PREAMBLE_BYTES} follow the preamble`,
    );
  const headerView = bytes.subarray(PREAMBLE_BYTES, dataStart);
  const nonAscii = headerView.findIndex((b) => b > 0x7f);
  if (nonAscii >= 0) invalidHeader(`byte ${PREAMBLE_BYTES + nonAscii} of the header is not ASCII`);
  let text = '';
  for (const b of headerView) text += String.fromCharCode(b);
  const header = parseHeader(text);
  const available = bytes.length - dataStart;
  if (available < header.bytes)
    throw new ParamsFileError(
      'TRUNCATED',
      `the data section needs ${header.bytes} bytes but only ${available} are present`,
    );
  if (available > header.bytes)
    throw new ParamsFileError(
      'TRAILING_BYTES',
      `${available - header.bytes} bytes follow the ${header.bytes}-byte data section`,
    );
  const data = bytes.subarray(dataStart);
  const digest = sha256Hex(data);
  if (digest !== header.sha256)
    throw new ParamsFileError(
      'CHECKSUM_MISMATCH',
      `the data hashes to sha256 ${digest.slice(0, 12)}…, the header records ${header.sha256.slice(0, 12)}…`,
    );
  return { header, data };
}

/**
 * Reads and checks the header of a parameters file (length, magic, version, header fields, data checksum).
 * @param bytes - the whole file
 * @returns the header
 * @throws ParamsFileError naming the problem
 */
export function readScorerParamsHeader(bytes: Uint8Array): ParamsFileHeader {
  return split(bytes).header;
}

/**
 * Decodes a parameters file with every check: those of {@link readScorerParamsHeader}, then the config against
 * the expected one, the embedding dims against the table, each tensor's name and dims, and finite values.
 * @param bytes - the whole file
 * @param options - the embedding table to attach and, optionally, the expected config
 * @returns the parameters (Float64 tensors) and the header
 * @throws ParamsFileError naming the problem (`truncated: the data section needs 80 bytes but only 40 are present`)
 */
export function decodeScorerParams(
  bytes: Uint8Array,
  options: DecodeScorerParamsOptions,
): { params: ScorerParams; header: ParamsFileHeader } {
  const { header, data } = split(bytes);
  const { config } = header;
  if (options.config !== undefined) {
    const expected = options.config;
    const diffs = (Object.keys(DEFAULT_SCORER_CONFIG) as (keyof ScorerConfig)[])
      .filter((key) => config[key] !== expected[key])
      .map((key) => `${key} is ${config[key]} in the file, ${expected[key]} expected`);
    if (diffs.length > 0) throw new ParamsFileError('CONFIG_MISMATCH', diffs.join('; '));
  }
  const [v, d] = header.embeddings;
  const [ev, ed] = options.embeddings.dims;
  if (v !== ev || d !== ed)
    throw new ParamsFileError(
      'EMBEDDINGS_MISMATCH',
      `the parameters were trained with a ${v} × ${d} embedding table, the one given is ${ev} × ${ed} (another vocabulary)`,
    );
  if (d !== config.embeddingDim)
    throw new ParamsFileError(
      'SHAPE_MISMATCH',
      `embeddings are ${v} × ${d} but config.embeddingDim is ${config.embeddingDim}`,
    );
  const names = header.tensors.map((t) => t.name);
  if (names.join(',') !== TRAINABLE_PARAM_NAMES.join(','))
    throw new ParamsFileError(
      'SHAPE_MISMATCH',
      `tensors must be ${TRAINABLE_PARAM_NAMES.join(', ')} in that order (got ${names.join(', ')})`,
    );
  const shapes = trainableShapes(config);
  const size = bytesPer(header.dtype);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tensors: Partial<Record<TrainableParamName, ScorerTensor>> = {};
  let offset = 0;
  for (const { name, dims } of header.tensors) {
    const want = shapes[name];
    if (dims.length !== want.length || dims.some((x, i) => x !== want[i]))
      throw new ParamsFileError(
        'SHAPE_MISMATCH',
        `${name} has dims [${dims.join(', ')}], the config implies [${want.join(', ')}]`,
      );
    const n = want.reduce((a, b) => a * b, 1);
    if (offset + n * size > data.length)
      throw new ParamsFileError(
        'SHAPE_MISMATCH',
        `the tensors need more than the ${data.length} data bytes the header declares`,
      );
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x =
        header.dtype === 'float32'
          ? view.getFloat32(offset + i * size, true)
          : view.getFloat64(offset + i * size, true);
      if (!Number.isFinite(x))
        throw new ParamsFileError('NON_FINITE', `${name}[${i}] is ${String(x)}`);
      values[i] = x;
    }
    offset += n * size;
    tensors[name] = { dims: [...want], data: values };
  }
  if (offset !== data.length)
    throw new ParamsFileError(
      'SHAPE_MISMATCH',
      `the tensors fill ${offset} of the ${data.length} data bytes`,
    );
  const params = {
    ...(tensors as Record<TrainableParamName, ScorerTensor>),
    config: Object.freeze({ ...config }),
    embeddings: options.embeddings,
  };
  return { params, header };
}
