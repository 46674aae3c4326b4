/**
 * Small constructors for {@link OnnxModelSpec} parts, in the spirit of `onnx.helper` (`make_node`,
 * `make_tensor`, `make_tensor_value_info`). They only assemble plain objects; all checks run in
 * {@link encodeOnnxModel}.
 * @see https://onnx.ai/onnx/api/helper.html
 */
import type {
  OnnxAttributeValue,
  OnnxDataType,
  OnnxDim,
  OnnxNodeSpec,
  OnnxTensorData,
  OnnxTensorSpec,
  OnnxValueInfoSpec,
} from './onnx-types';

/** Inputs, outputs and identity of a node built by {@link onnxNode}. */
export interface OnnxNodeIo {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** @default undefined (unnamed) */
  readonly name?: string;
  /** @default '' (the default ONNX domain) */
  readonly domain?: string;
}

/**
 * A node applying `opType`.
 * @example onnxNode('Softmax', { inputs: ['logits'], outputs: ['probs'] }, { axis: onnxAttr.int(-1) })
 * @see https://onnx.ai/onnx/operators/
 */
export function onnxNode(
  opType: string,
  io: OnnxNodeIo,
  attributes?: Readonly<Record<string, OnnxAttributeValue>>,
): OnnxNodeSpec {
  return {
    opType,
    inputs: [...io.inputs],
    outputs: [...io.outputs],
    ...(io.name === undefined ? {} : { name: io.name }),
    ...(io.domain === undefined ? {} : { domain: io.domain }),
    ...(attributes === undefined ? {} : { attributes: { ...attributes } }),
  };
}

/** Typed attribute values: ONNX distinguishes `1` (INT) from `1.0` (FLOAT), and JavaScript numbers cannot. */
export const onnxAttr = Object.freeze({
  int: (value: number | bigint): OnnxAttributeValue => ({ type: 'int', value }),
  float: (value: number): OnnxAttributeValue => ({ type: 'float', value }),
  string: (value: string): OnnxAttributeValue => ({ type: 'string', value }),
  ints: (value: readonly (number | bigint)[]): OnnxAttributeValue => ({
    type: 'ints',
    value: [...value],
  }),
  floats: (value: readonly number[]): OnnxAttributeValue => ({ type: 'floats', value: [...value] }),
  strings: (value: readonly string[]): OnnxAttributeValue => ({
    type: 'strings',
    value: [...value],
  }),
  tensor: (value: OnnxTensorSpec): OnnxAttributeValue => ({ type: 'tensor', value }),
});

/** Element type implied by a typed array (`Uint8Array` is `uint8`; write a `bool` tensor spec by hand). */
export function onnxDataTypeOf(data: OnnxTensorData): OnnxDataType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  throw new TypeError(
    'tensor data must be a Float32Array, Float64Array, BigInt64Array, Int32Array, Int8Array or Uint8Array',
  );
}

/**
 * A constant tensor whose element type follows the typed array.
 * @example onnxTensor('w1', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3])
 */
export function onnxTensor(
  name: string,
  data: OnnxTensorData,
  dims: readonly number[],
): OnnxTensorSpec {
  return { name, dataType: onnxDataTypeOf(data), dims: [...dims], data };
}

/** A typed value; `dims` may mix sizes and symbols (`['batch', 128]`); omit it for an unknown shape. */
export function onnxValueInfo(
  name: string,
  dataType: OnnxDataType,
  dims?: readonly OnnxDim[],
): OnnxValueInfoSpec {
  return dims === undefined ? { name, dataType } : { name, dataType, dims: [...dims] };
}

/** A graph input; same arguments as {@link onnxValueInfo}. */
export const onnxInput = onnxValueInfo;

/** A graph output; same arguments as {@link onnxValueInfo}. */
export const onnxOutput = onnxValueInfo;
