/**
 * The JSON header of a scorer parameters file (params-file.ts): its type and its parsing, every field checked.
 */
import { ParamsFileError } from './params-file-error';
import type { TrainableParamName } from './param-names';
import { DEFAULT_SCORER_CONFIG, type ScorerConfig } from './types';

/** Value type of the stored data. */
export type ParamsFileDtype = 'float32' | 'float64';

/** The decoded JSON header. */
export interface ParamsFileHeader {
  readonly dtype: ParamsFileDtype;
  readonly config: ScorerConfig;
  /** [V, D] of the embedding table the parameters were trained with. */
  readonly embeddings: readonly [number, number];
  /** Tensor names and dims, in data order. */
  readonly tensors: readonly { readonly name: TrainableParamName; readonly dims: number[] }[];
  /** Byte length of the data section. */
  readonly bytes: number;
  /** Hex sha256 of the data section. */
  readonly sha256: string;
  /** Whatever the writer attached (stage, loss, seed…). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isDims = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && (x as number) >= 0);

/** Throws the INVALID_HEADER error with `detail`. */
export function invalidHeader(detail: string): never {
  throw new ParamsFileError('INVALID_HEADER', detail);
}

/**
 * Parses and checks the JSON header of a parameters file.
 * @param text - the header's text
 * @returns the header, its config reduced to the known fields in canonical order
 * @throws ParamsFileError INVALID_HEADER naming the field
 */
export function parseHeader(text: string): ParamsFileHeader {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    invalidHeader(
      `the header is not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (!isObject(json)) invalidHeader('the header must be a JSON object');
  const { dtype, config, embeddings, tensors, bytes, sha256, metadata } = json;
  if (dtype !== 'float32' && dtype !== 'float64')
    invalidHeader(`dtype must be "float32" or "float64" (got ${JSON.stringify(dtype)})`);
  if (!isObject(config)) invalidHeader('config must be an object');
  for (const key of Object.keys(DEFAULT_SCORER_CONFIG)) {
    const v = config[key];
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      invalidHeader(`config.${key} must be a positive integer (got ${JSON.stringify(v)})`);
  }
  if (!isDims(embeddings) || embeddings.length !== 2)
    invalidHeader(`embeddings must be [V, D] (got ${JSON.stringify(embeddings)})`);
  if (!Array.isArray(tensors) || !tensors.every((t) => isObject(t) && isDims(t['dims'])))
    invalidHeader('tensors must be a list of { name, dims }');
  if (!Number.isSafeInteger(bytes) || (bytes as number) < 0)
    invalidHeader(`bytes must be a non-negative integer (got ${JSON.stringify(bytes)})`);
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256))
    invalidHeader('sha256 must be 64 lower-case hex digits');
  if (!isObject(metadata)) invalidHeader('metadata must be an object');
  return {
    dtype,
    // Only the known fields, in their canonical order.
    config: Object.fromEntries(
      Object.keys(DEFAULT_SCORER_CONFIG).map((key) => [key, config[key]]),
    ) as unknown as ScorerConfig,
    embeddings: embeddings as [number, number],
    tensors: tensors as ParamsFileHeader['tensors'],
    bytes: bytes as number,
    sha256,
    metadata,
  };
}
