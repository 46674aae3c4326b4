/**
 * Plain-object descriptions of an ONNX model, graph, node, tensor and value. They mirror the messages of
 * `onnx.proto3` with camelCase names; {@link encodeOnnxModel} turns them into bytes.
 * @see https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3
 * @see https://onnx.ai/onnx/repo-docs/IR.html
 */

/** `TensorProto.DataType` codes for the element types this writer supports. */
export const ONNX_DATA_TYPE = Object.freeze({
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float64: 11,
});

/** An element type, named as onnxruntime's JavaScript API names it. */
export type OnnxDataType = keyof typeof ONNX_DATA_TYPE;

/** Typed arrays accepted as tensor contents. */
export type OnnxTensorData =
  Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Int8Array;

/** A constant tensor (an initializer or a `tensor` attribute). Stored as little-endian `raw_data`. */
export interface OnnxTensorSpec {
  /** Value name; required for initializers, ignored inside attributes when empty. */
  readonly name: string;
  readonly dataType: OnnxDataType;
  /** Shape; `[]` is a scalar. */
  readonly dims: readonly number[];
  /** Row-major contents, `product(dims)` entries. Plain numbers are converted to `dataType`; bigints only for int64. */
  readonly data: OnnxTensorData | readonly number[] | readonly bigint[];
  readonly docString?: string;
}

/** One dimension: a size, or a symbolic name such as `'batch'` (`dim_param`). */
export type OnnxDim = number | string;

/** A typed graph value (`ValueInfoProto` with a tensor type). */
export interface OnnxValueInfoSpec {
  readonly name: string;
  readonly dataType: OnnxDataType;
  /** Shape; omit it for a value of unknown rank. */
  readonly dims?: readonly OnnxDim[];
  readonly docString?: string;
}

/** A node attribute, tagged with its `AttributeProto.AttributeType`. */
export type OnnxAttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number | bigint }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: OnnxTensorSpec }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly (number | bigint)[] }
  | { readonly type: 'strings'; readonly value: readonly string[] };

/** An operator application (`NodeProto`). An empty input name marks an omitted optional input. */
export interface OnnxNodeSpec {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Operator-set domain; `''` is the default ONNX domain. */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttributeValue>>;
  readonly docString?: string;
}

/** A computation graph (`GraphProto`); nodes must be in topological order. */
export interface OnnxGraphSpec {
  readonly name: string;
  readonly nodes: readonly OnnxNodeSpec[];
  readonly inputs: readonly OnnxValueInfoSpec[];
  readonly outputs: readonly OnnxValueInfoSpec[];
  readonly initializers?: readonly OnnxTensorSpec[];
  /** Optional shape/type annotations for intermediate values. */
  readonly valueInfo?: readonly OnnxValueInfoSpec[];
  readonly docString?: string;
}

/** An operator set import (`OperatorSetIdProto`). */
export interface OnnxOpsetImport {
  /** @default '' (the default ONNX domain) */
  readonly domain?: string;
  readonly version: number;
}

/** A whole model (`ModelProto`). */
export interface OnnxModelSpec {
  readonly graph: OnnxGraphSpec;
  /** IR version. 9 is read by onnxruntime ≥ 1.15. @default 9 */
  readonly irVersion?: number;
  /** @default [{ domain: '', version: 18 }] */
  readonly opsetImports?: readonly OnnxOpsetImport[];
  /** @default 'gradeshift' */
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly domain?: string;
  readonly modelVersion?: number;
  readonly docString?: string;
  /** Free-form key/value metadata (`metadata_props`). */
  readonly metadata?: Readonly<Record<string, string>>;
}
