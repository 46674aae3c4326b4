/**
 * Helpers for {@link TensorLike}: construction with checks, row slicing for batching, and adoption of a
 * runtime's output tensor.
 */
import { CoreError } from '../errors';
import type { TensorData, TensorLike, TensorType } from './backend';

/** The typed array each tensor type is stored in. */
const ARRAY_OF_TYPE = Object.freeze({
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  int32: Int32Array,
  bool: Uint8Array,
});

/** Tensor types that cross the port. */
export const TENSOR_TYPES: readonly TensorType[] = Object.freeze(
  Object.keys(ARRAY_OF_TYPE) as TensorType[],
);

/** `true` when `type` is one of {@link TENSOR_TYPES}. */
export function isTensorType(type: unknown): type is TensorType {
  return typeof type === 'string' && Object.hasOwn(ARRAY_OF_TYPE, type);
}

/** A zero-filled data array of `length` elements for `type`. */
export function allocateTensorData(type: TensorType, length: number): TensorData {
  return new ARRAY_OF_TYPE[type](length);
}

/** Product of `dims`; throws unless each is a non-negative integer. */
export function tensorSize(dims: readonly number[], name = 'tensor'): number {
  let size = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i] ?? -1;
    if (!Number.isSafeInteger(d) || d < 0)
      throw new RangeError(
        `${name}.dims[${i}] must be a non-negative integer (got ${String(dims[i])})`,
      );
    size *= d;
  }
  return size;
}

/**
 * Checks that a tensor's data array matches its type and dims.
 * @throws TypeError for a wrong array kind, RangeError for a wrong length.
 */
export function assertTensor(tensor: TensorLike, name: string): void {
  if (!isTensorType(tensor.type))
    throw new TypeError(
      `${name}.type must be one of ${TENSOR_TYPES.join(', ')} (got ${String(tensor.type)})`,
    );
  const ctor = ARRAY_OF_TYPE[tensor.type];
  if (!(tensor.data instanceof ctor))
    throw new TypeError(`${name}.data must be a ${ctor.name} for type ${tensor.type}`);
  const size = tensorSize(tensor.dims, name);
  if (tensor.data.length !== size) {
    throw new RangeError(
      `${name}.data must have ${size} entries for dims [${tensor.dims.join(', ')}] (got ${tensor.data.length})`,
    );
  }
}

/**
 * A checked tensor.
 * @example createTensor('float32', new Float32Array(6), [2, 3])
 */
export function createTensor(
  type: TensorType,
  data: TensorData,
  dims: readonly number[],
): TensorLike {
  const tensor: TensorLike = { type, data, dims: Object.freeze([...dims]) };
  assertTensor(tensor, 'tensor');
  return tensor;
}

/** Rows `[start, end)` along dim 0 as a view (no copy). */
export function sliceRows(tensor: TensorLike, start: number, end: number): TensorLike {
  const rows = tensor.dims[0] ?? 0;
  if (!(
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    start >= 0 &&
    start <= end &&
    end <= rows
  )) {
    throw new RangeError(`row range [${start}, ${end}) must lie within [0, ${rows}]`);
  }
  const rowSize = rows === 0 ? 0 : tensor.data.length / rows;
  const dims = [end - start, ...tensor.dims.slice(1)];
  return { type: tensor.type, dims, data: tensor.data.subarray(start * rowSize, end * rowSize) };
}

/**
 * Adopts a value returned by a runtime as a {@link TensorLike}.
 * @throws CoreError `UNSUPPORTED` for a non-tensor output or an element type outside {@link TENSOR_TYPES}.
 */
export function toTensorLike(value: unknown, name: string): TensorLike {
  const v = value as Partial<TensorLike> | null;
  if (
    typeof v !== 'object' ||
    v === null ||
    !Array.isArray(v.dims) ||
    !ArrayBuffer.isView(v.data)
  ) {
    throw new CoreError('UNSUPPORTED', `output "${name}" is not a tensor`);
  }
  if (!isTensorType(v.type)) {
    throw new CoreError(
      'UNSUPPORTED',
      `output "${name}" has element type ${String(v.type)}; supported: ${TENSOR_TYPES.join(', ')}`,
    );
  }
  return { type: v.type, dims: Array.from(v.dims as readonly number[]), data: v.data };
}
