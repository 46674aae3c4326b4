import { describe, expect, it } from 'vitest';

import { isCoreError } from '../errors';
import {
  decodeScorerParams,
  encodeScorerParams,
  PARAMS_FILE_VERSION,
  readScorerParamsHeader,
} from './params-file';
import { isParamsFileError, type ParamsFileProblem } from './params-file-error';
import { TRAINABLE_PARAM_NAMES } from './param-names';
import { flattenTrainable } from './params';
import { sha256Hex } from './sha256';
import { createTinyScorer, randomEmbeddings, TINY_CONFIG, TINY_VOCAB } from './test-fixtures';
import { createScorerConfig } from './types';

const { params } = createTinyScorer(3);
const embeddings = params.embeddings;

/** Runs `fn` and returns the ParamsFileError's problem and message. */
function problemOf(fn: () => unknown): { problem: ParamsFileProblem; message: string } {
  try {
    fn();
  } catch (error) {
    if (isParamsFileError(error)) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('expected a ParamsFileError');
}

/** Offset of the data section of an encoded file. */
function dataStart(bytes: Uint8Array): number {
  return 16 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(12, true);
}

/** A file whose header is replaced by `edit(header)`, with the checksum left as the edit leaves it. */
function withHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const start = dataStart(bytes);
  const header = JSON.parse(String.fromCharCode(...bytes.subarray(16, start))) as Record<
    string,
    unknown
  >;
  edit(header);
  let json = JSON.stringify(header);
  json = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
  const out = new Uint8Array(16 + json.length + bytes.length - start);
  out.set(bytes.subarray(0, 16));
  new DataView(out.buffer).setUint32(12, json.length, true);
  for (let i = 0; i < json.length; i++) out[16 + i] = json.charCodeAt(i);
  out.set(bytes.subarray(start), 16 + json.length);
  return out;
}

describe('encodeScorerParams / decodeScorerParams', () => {
  it('round-trips float64 exactly and float32 to float32 precision', () => {
    const exact = decodeScorerParams(encodeScorerParams(params, { dtype: 'float64' }), {
      embeddings,
    });
    expect(flattenTrainable(exact.params)).toEqual(flattenTrainable(params));
    expect(exact.params.config).toEqual(TINY_CONFIG);
    expect(exact.params.embeddings).toBe(embeddings);
    expect(exact.params.W1.dims).toEqual(params.W1.dims);

    const bytes = encodeScorerParams(params);
    const single = decodeScorerParams(bytes, { embeddings, config: TINY_CONFIG });
    expect(flattenTrainable(single.params)).toEqual(
      Float64Array.from(Float32Array.from(flattenTrainable(params))),
    );
    expect(single.header.dtype).toBe('float32');
    // Encoding the decoded float32 values again gives the same bytes.
    expect(encodeScorerParams(single.params)).toEqual(bytes);
  });

  it('stores the config, embedding dims, tensors, checksum and metadata in an ASCII header', () => {
    const bytes = encodeScorerParams(params, { metadata: { stage: 'stage1', note: 'café ✓' } });
    expect(String.fromCharCode(...bytes.subarray(0, 8))).toBe('GSPARAMS');
    expect(new DataView(bytes.buffer).getUint32(8, true)).toBe(PARAMS_FILE_VERSION);
    expect(bytes.subarray(16, dataStart(bytes)).every((b) => b < 0x80)).toBe(true);
    expect(dataStart(bytes) % 8).toBe(0);
    const header = readScorerParamsHeader(bytes);
    expect(header.metadata).toEqual({ stage: 'stage1', note: 'café ✓' });
    expect(header.config).toEqual(TINY_CONFIG);
    expect(header.embeddings).toEqual([TINY_VOCAB, 6]);
    expect(header.tensors.map((t) => t.name)).toEqual(TRAINABLE_PARAM_NAMES);
    expect(header.bytes).toBe(flattenTrainable(params).length * 4);
    expect(header.sha256).toBe(sha256Hex(bytes.subarray(dataStart(bytes))));
  });

  it('reads a file that sits at an offset inside a larger buffer', () => {
    const bytes = encodeScorerParams(params, { dtype: 'float64' });
    const big = new Uint8Array(bytes.length + 13);
    big.set(bytes, 5);
    const { params: back } = decodeScorerParams(big.subarray(5, 5 + bytes.length), { embeddings });
    expect(flattenTrainable(back)).toEqual(flattenTrainable(params));
  });

  it('refuses non-finite parameters when encoding', () => {
    const bad = { ...params, b3: { dims: params.b3.dims, data: Float64Array.of(0, NaN, 0) } };
    expect(() => encodeScorerParams(bad)).toThrow('params.b3[1] must be finite');
  });
});

describe('decodeScorerParams names what is wrong', () => {
  const bytes = encodeScorerParams(params);

  it('truncated: inside the preamble, the header and the data', () => {
    expect(problemOf(() => decodeScorerParams(bytes.subarray(0, 10), { embeddings }))).toEqual({
      problem: 'TRUNCATED',
      message: 'truncated: 10 bytes, fewer than the 16-byte preamble',
    });
    expect(
      problemOf(() => decodeScorerParams(bytes.subarray(0, 40), { embeddings })).message,
    ).toMatch(/^truncated: the header declares \d+ bytes but only 24 follow the preamble$/);
    const cut = bytes.subarray(0, bytes.length - 7);
    expect(problemOf(() => decodeScorerParams(cut, { embeddings })).message).toMatch(
      /^truncated: the data section needs \d+ bytes but only \d+ are present$/,
    );
  });

  it('trailing bytes', () => {
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    expect(problemOf(() => decodeScorerParams(longer, { embeddings })).message).toMatch(
      /^unexpected bytes after the data: 4 bytes follow the \d+-byte data section$/,
    );
  });

  it('not a parameters file', () => {
    const onnx = Uint8Array.from('\x08\x07\x12\x09gradeshift-model', (c) => c.charCodeAt(0));
    expect(problemOf(() => decodeScorerParams(onnx, { embeddings })).problem).toBe(
      'NOT_PARAMS_FILE',
    );
  });

  it('wrong version (also a CoreError VERSION_MISMATCH)', () => {
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(8, 2, true);
    const { problem, message } = problemOf(() => decodeScorerParams(v2, { embeddings }));
    expect(problem).toBe('VERSION_MISMATCH');
    expect(message).toBe(
      'wrong format version: the file is format version 2; this build reads version 1',
    );
    try {
      decodeScorerParams(v2, { embeddings });
    } catch (error) {
      expect(isCoreError(error, 'VERSION_MISMATCH')).toBe(true);
    }
  });

  it('checksum mismatch when a value is flipped', () => {
    const flipped = bytes.slice();
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] ?? 0) ^ 0x10;
    expect(problemOf(() => decodeScorerParams(flipped, { embeddings })).problem).toBe(
      'CHECKSUM_MISMATCH',
    );
  });

  it('invalid header: not JSON, a bad field, a non-ASCII byte', () => {
    const garbled = bytes.slice();
    garbled[16] = 0x3f; // '?' where '{' was
    expect(problemOf(() => decodeScorerParams(garbled, { embeddings })).message).toMatch(
      /^invalid header: the header is not JSON/,
    );
    const badDtype = withHeader(bytes, (h) => {
      h['dtype'] = 'int8';
    });
    expect(problemOf(() => decodeScorerParams(badDtype, { embeddings })).message).toBe(
      'invalid header: dtype must be "float32" or "float64" (got "int8")',
    );
    const badConfig = withHeader(bytes, (h) => {
      (h['config'] as Record<string, unknown>)['hidden1'] = -1;
    });
    expect(problemOf(() => decodeScorerParams(badConfig, { embeddings })).message).toBe(
      'invalid header: config.hidden1 must be a positive integer (got -1)',
    );
    const latin = bytes.slice();
    latin[20] = 0xe9;
    expect(problemOf(() => decodeScorerParams(latin, { embeddings })).message).toBe(
      'invalid header: byte 20 of the header is not ASCII',
    );
  });

  it('config mismatch, naming each differing size', () => {
    const other = createScorerConfig({ ...TINY_CONFIG, hidden1: 7, grades: 4 });
    expect(problemOf(() => decodeScorerParams(bytes, { embeddings, config: other }))).toEqual({
      problem: 'CONFIG_MISMATCH',
      message:
        'config mismatch: hidden1 is 5 in the file, 7 expected; grades is 3 in the file, 4 expected',
    });
  });

  it('embedding table of another size', () => {
    const bigger = randomEmbeddings(TINY_VOCAB + 1, 6, 1);
    expect(problemOf(() => decodeScorerParams(bytes, { embeddings: bigger })).message).toBe(
      'embedding table mismatch: the parameters were trained with a 12 × 6 embedding table, the one given is 13 × 6 (another vocabulary)',
    );
  });

  it('tensor names or dims that disagree with the config', () => {
    const renamed = withHeader(bytes, (h) => {
      (h['tensors'] as { name: string }[])[0]!.name = 'gate';
    });
    // The checksum covers the data only: header edits are caught by the name and shape checks.
    expect(problemOf(() => decodeScorerParams(renamed, { embeddings })).message).toBe(
      'tensor shape mismatch: tensors must be gateW, gateMatch, gateBias, P, W1, b1, W2, b2, W3, b3 in that order (got gate, gateMatch, gateBias, P, W1, b1, W2, b2, W3, b3)',
    );
    const reshaped = withHeader(bytes, (h) => {
      (h['tensors'] as { dims: number[] }[])[3]!.dims = [6, 4];
    });
    expect(problemOf(() => decodeScorerParams(reshaped, { embeddings })).message).toBe(
      'tensor shape mismatch: P has dims [6, 4], the config implies [4, 6]',
    );
  });

  it('non-finite values written by another tool (with a matching checksum)', () => {
    const nan = bytes.slice();
    const start = dataStart(nan);
    new DataView(nan.buffer).setFloat32(start, Number.NaN, true);
    const fixed = withHeader(nan, (h) => {
      h['sha256'] = sha256Hex(nan.subarray(start));
    });
    expect(problemOf(() => decodeScorerParams(fixed, { embeddings })).message).toBe(
      'non-finite value: gateW[0] is NaN',
    );
  });
});
