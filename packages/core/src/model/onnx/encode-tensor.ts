/**
 * `TensorProto` encoding. Contents go to `raw_data` as fixed-width little-endian values (written through
 * a DataView, so the result is the same on any host), which is what onnxruntime reads fastest.
 * @see https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3 (message TensorProto)
 */
import { tensorSize } from '../tensor';
import { ONNX_DATA_TYPE, type OnnxDataType, type OnnxTensorSpec } from './onnx-types';
import { ProtoWriter } from './proto-writer';

/** `TensorProto` field numbers. */
const FIELD = Object.freeze({ DIMS: 1, DATA_TYPE: 2, NAME: 8, RAW_DATA: 9, DOC_STRING: 12 });

/** Bytes per element of each supported type. */
export const ONNX_ELEMENT_SIZE: Readonly<Record<OnnxDataType, number>> = Object.freeze({
  float32: 4,
  float64: 8,
  int64: 8,
  int32: 4,
  uint8: 1,
  int8: 1,
  bool: 1,
});

const INT_RANGE: Readonly<Partial<Record<OnnxDataType, readonly [number, number]>>> = Object.freeze(
  {
    int32: [-(2 ** 31), 2 ** 31 - 1],
    uint8: [0, 255],
    int8: [-128, 127],
    bool: [0, 1],
  },
);

/** Number of elements of a shape, checking that every dimension is a non-negative integer ({@link tensorSize}). */
export function shapeSize(dims: readonly number[], name: string): number {
  return tensorSize(dims, name);
}

function toInt64(value: number | bigint, name: string, i: number): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isSafeInteger(value))
    throw new RangeError(`${name}.data[${i}] must be an integer for int64 (got ${value})`);
  return BigInt(value);
}

function toSmallInt(
  value: number | bigint,
  type: OnnxDataType,
  context: { name: string; i: number },
): number {
  const v = typeof value === 'bigint' ? Number(value) : value;
  const [lo, hi] = INT_RANGE[type] ?? [0, 0];
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(
      `${context.name}.data[${context.i}] must be an integer in [${lo}, ${hi}] for ${type} (got ${String(value)})`,
    );
  }
  return v;
}

/**
 * The little-endian `raw_data` bytes of a tensor.
 * @throws RangeError when `data` does not hold `product(dims)` values or a value does not fit `dataType`.
 */
export function tensorRawData(tensor: OnnxTensorSpec): Uint8Array {
  const label = `tensor "${tensor.name}"`;
  const n = shapeSize(tensor.dims, label);
  const { data, dataType } = tensor;
  if (data.length !== n)
    throw new RangeError(
      `${label}.data must have ${n} entries for dims [${tensor.dims.join(', ')}] (got ${data.length})`,
    );
  const size = ONNX_ELEMENT_SIZE[dataType] as number | undefined;
  if (size === undefined)
    throw new TypeError(
      `${label}.dataType must be one of ${Object.keys(ONNX_ELEMENT_SIZE).join(', ')} (got ${String(dataType)})`,
    );
  const bytes = new Uint8Array(n * size);
  const view = new DataView(bytes.buffer);
  const values = data as ArrayLike<number | bigint>;
  // One loop per type keeps the per-element switch out of the hot path for large weight tensors.
  switch (dataType) {
    case 'float32':
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, Number(values[i] ?? 0), true);
      break;
    case 'float64':
      for (let i = 0; i < n; i++) view.setFloat64(i * 8, Number(values[i] ?? 0), true);
      break;
    case 'int64':
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, toInt64(values[i] ?? 0, label, i), true);
      break;
    case 'int32':
      for (let i = 0; i < n; i++)
        view.setInt32(i * 4, toSmallInt(values[i] ?? 0, dataType, { name: label, i }), true);
      break;
    case 'int8':
      for (let i = 0; i < n; i++)
        view.setInt8(i, toSmallInt(values[i] ?? 0, dataType, { name: label, i }));
      break;
    case 'uint8':
    case 'bool':
      for (let i = 0; i < n; i++)
        view.setUint8(i, toSmallInt(values[i] ?? 0, dataType, { name: label, i }));
      break;
  }
  return bytes;
}

/** Encodes a `TensorProto` (dims, data_type, name, raw_data, doc_string). */
export function encodeTensor(tensor: OnnxTensorSpec): ProtoWriter {
  const w = new ProtoWriter();
  w.packedVarint(FIELD.DIMS, tensor.dims);
  w.varint(FIELD.DATA_TYPE, ONNX_DATA_TYPE[tensor.dataType]);
  if (tensor.name !== '') w.string(FIELD.NAME, tensor.name);
  w.bytes(FIELD.RAW_DATA, tensorRawData(tensor));
  if (tensor.docString !== undefined && tensor.docString !== '')
    w.string(FIELD.DOC_STRING, tensor.docString);
  return w;
}
