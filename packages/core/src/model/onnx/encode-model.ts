/**
 * ONNX model serialisation: `ModelProto` → `GraphProto` → `NodeProto` / `AttributeProto` /
 * `ValueInfoProto` / `TensorProto`. Fields are written in field-number order (as the C++ protobuf
 * serialiser does) and attributes sorted by name (as `onnx.helper.make_node` does), so the output is
 * deterministic. Field numbers follow `onnx.proto3`.
 * @see https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3
 */
import { encodeTensor } from './encode-tensor';
import {
  ONNX_DATA_TYPE,
  type OnnxAttributeValue,
  type OnnxGraphSpec,
  type OnnxModelSpec,
  type OnnxNodeSpec,
  type OnnxValueInfoSpec,
} from './onnx-types';
import { ProtoWriter } from './proto-writer';
import { validateOnnxGraph } from './validate-graph';

/** Defaults of {@link OnnxModelSpec}. */
export const ONNX_MODEL_DEFAULTS = Object.freeze({
  irVersion: 9,
  opsetImports: Object.freeze([Object.freeze({ domain: '', version: 18 })]),
  producerName: 'gradeshift',
});

/** `AttributeProto.AttributeType` codes and the field holding each kind of value. */
const ATTRIBUTE = Object.freeze({
  float: { code: 1, field: 2 },
  int: { code: 2, field: 3 },
  string: { code: 3, field: 4 },
  tensor: { code: 4, field: 5 },
  floats: { code: 6, field: 7 },
  ints: { code: 7, field: 8 },
  strings: { code: 8, field: 9 },
});
const ATTRIBUTE_NAME = 1;
const ATTRIBUTE_TYPE = 20;

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function encodeAttribute(name: string, attr: OnnxAttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(ATTRIBUTE_NAME, name);
  const { code, field } = ATTRIBUTE[attr.type];
  switch (attr.type) {
    case 'float':
      w.float(field, attr.value);
      break;
    case 'int':
      w.varint(field, attr.value);
      break;
    case 'string':
      w.string(field, attr.value);
      break;
    case 'tensor':
      w.message(field, encodeTensor(attr.value));
      break;
    case 'floats':
      w.packedFloat(field, attr.value);
      break;
    case 'ints':
      w.packedVarint(field, attr.value);
      break;
    case 'strings':
      for (const s of attr.value) w.string(field, s);
      break;
  }
  return w.varint(ATTRIBUTE_TYPE, code);
}

/** `ValueInfoProto { name = 1; type = 2 }` with `TypeProto.tensor_type = 1 { elem_type = 1; shape = 2 }`. */
function encodeValueInfo(info: OnnxValueInfoSpec): ProtoWriter {
  const tensorType = new ProtoWriter().varint(1, ONNX_DATA_TYPE[info.dataType]);
  if (info.dims !== undefined) {
    // TensorShapeProto.dim = 1; Dimension { dim_value = 1 | dim_param = 2 }. An empty shape is a scalar.
    const shape = new ProtoWriter();
    for (const [i, d] of info.dims.entries()) {
      const dim = new ProtoWriter();
      if (typeof d === 'string') {
        if (d === '')
          throw new RangeError(
            `value "${info.name}" dims[${i}] must be a non-empty symbol or a size`,
          );
        dim.string(2, d);
      } else {
        if (!Number.isSafeInteger(d) || d < 0)
          throw new RangeError(
            `value "${info.name}" dims[${i}] must be a non-negative integer (got ${d})`,
          );
        dim.varint(1, d);
      }
      shape.message(1, dim);
    }
    tensorType.message(2, shape);
  }
  const w = new ProtoWriter()
    .string(1, info.name)
    .message(2, new ProtoWriter().message(1, tensorType));
  if (isSet(info.docString)) w.string(3, info.docString);
  return w;
}

/** `NodeProto { input = 1; output = 2; name = 3; op_type = 4; attribute = 5; doc_string = 6; domain = 7 }`. */
function encodeNode(node: OnnxNodeSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  if (isSet(node.name)) w.string(3, node.name);
  w.string(4, node.opType);
  const names = Object.keys(node.attributes ?? {}).sort();
  for (const name of names) {
    const attr = node.attributes?.[name];
    if (attr !== undefined) w.message(5, encodeAttribute(name, attr));
  }
  if (isSet(node.docString)) w.string(6, node.docString);
  if (isSet(node.domain)) w.string(7, node.domain);
  return w;
}

/** `GraphProto { node = 1; name = 2; initializer = 5; doc_string = 10; input = 11; output = 12; value_info = 13 }`. */
function encodeGraph(graph: OnnxGraphSpec): ProtoWriter {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.message(1, encodeNode(node));
  if (graph.name !== '') w.string(2, graph.name);
  for (const t of graph.initializers ?? []) w.message(5, encodeTensor(t));
  if (isSet(graph.docString)) w.string(10, graph.docString);
  for (const v of graph.inputs) w.message(11, encodeValueInfo(v));
  for (const v of graph.outputs) w.message(12, encodeValueInfo(v));
  for (const v of graph.valueInfo ?? []) w.message(13, encodeValueInfo(v));
  return w;
}

/**
 * Serialises a model to the ONNX protobuf format, ready for `InferenceBackend.createSession` or a `.onnx` file.
 * @param model - the model; see {@link OnnxModelSpec} for defaults (IR 9, default-domain opset 18, producer 'gradeshift').
 * @returns the `ModelProto` bytes.
 * @throws RangeError when the graph is not well formed (see {@link validateOnnxGraph}) or a tensor's data does not match its dims.
 * @example
 * const bytes = encodeOnnxModel({
 *   graph: {
 *     name: 'abs',
 *     nodes: [onnxNode('Abs', { inputs: ['x'], outputs: ['y'] })],
 *     inputs: [onnxInput('x', 'float32', ['batch'])],
 *     outputs: [onnxOutput('y', 'float32', ['batch'])],
 *   },
 * });
 * @see https://onnx.ai/onnx/repo-docs/IR.html#models
 */
export function encodeOnnxModel(model: OnnxModelSpec): Uint8Array {
  validateOnnxGraph(model.graph);
  const irVersion = model.irVersion ?? ONNX_MODEL_DEFAULTS.irVersion;
  const opsets = model.opsetImports ?? ONNX_MODEL_DEFAULTS.opsetImports;
  if (opsets.length === 0) throw new RangeError('opsetImports must name at least one operator set');
  // ModelProto { ir_version = 1; producer_name = 2; producer_version = 3; domain = 4; model_version = 5;
  //              doc_string = 6; graph = 7; opset_import = 8; metadata_props = 14 }
  const w = new ProtoWriter().varint(1, irVersion);
  w.string(2, model.producerName ?? ONNX_MODEL_DEFAULTS.producerName);
  if (isSet(model.producerVersion)) w.string(3, model.producerVersion);
  if (isSet(model.domain)) w.string(4, model.domain);
  if (model.modelVersion !== undefined) w.varint(5, model.modelVersion);
  if (isSet(model.docString)) w.string(6, model.docString);
  w.message(7, encodeGraph(model.graph));
  // OperatorSetIdProto { domain = 1; version = 2 }; the empty default domain is written explicitly, as onnx.helper does.
  for (const opset of opsets)
    w.message(8, new ProtoWriter().string(1, opset.domain ?? '').varint(2, opset.version));
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, new ProtoWriter().string(1, key).string(2, value));
  }
  return w.finish();
}
