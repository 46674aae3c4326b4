import { describe, expect, it } from 'vitest';

import { onnxAttr, onnxInput, onnxNode, onnxOutput, onnxTensor } from './builders';
import { encodeOnnxModel } from './encode-model';
import type { OnnxGraphSpec } from './onnx-types';

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const ascii = (s: string): string =>
  Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');

const ABS_GRAPH: OnnxGraphSpec = {
  name: 'g',
  nodes: [onnxNode('Abs', { inputs: ['x'], outputs: ['y'] })],
  inputs: [onnxInput('x', 'float32', ['N'])],
  outputs: [onnxOutput('y', 'float32', [3])],
};

describe('encodeOnnxModel', () => {
  it('encodes a one-node model byte for byte', () => {
    // Worked by hand from onnx.proto3 field numbers (key = field << 3 | wire type):
    const node = '0a 01 78 12 01 79 22 03 41 62 73'; // NodeProto: input "x", output "y", op_type "Abs" (11 bytes)
    // ValueInfo x: name; type { tensor_type { elem_type FLOAT; shape { dim { dim_param "N" } } } } (16 bytes)
    const x = '0a 01 78 12 0b 0a 09 08 01 12 05 0a 03 12 01 4e';
    // ValueInfo y: name; type { tensor_type { elem_type FLOAT; shape { dim { dim_value 3 } } } } (15 bytes)
    const y = '0a 01 79 12 0a 0a 08 08 01 12 04 0a 02 08 03';
    // GraphProto: node = 1, name = 2, input = 11 (key 0x5a), output = 12 (key 0x62); 13 + 3 + 18 + 17 = 51 = 0x33 bytes
    const graph = `0a 0b ${node} 12 01 67 5a 10 ${x} 62 0f ${y}`;
    // ModelProto: ir_version 9; producer_name; graph = 7 (key 0x3a); opset_import = 8 (key 0x42) { domain ""; version 18 }
    const model = `08 09 12 0a ${ascii('gradeshift')} 3a 33 ${graph} 42 04 0a 00 10 12`;
    expect(hex(encodeOnnxModel({ graph: ABS_GRAPH }))).toBe(model);
  });

  it('sorts attributes by name and tags each with its AttributeType', () => {
    const graph: OnnxGraphSpec = {
      ...ABS_GRAPH,
      nodes: [
        onnxNode(
          'Abs',
          { inputs: ['x'], outputs: ['y'] },
          { z: onnxAttr.float(0.5), a: onnxAttr.int(-1) },
        ),
      ],
    };
    const bytes = hex(encodeOnnxModel({ graph }));
    // attribute = 5 (key 0x2a): { name "a"; i = 3: −1 as 10 bytes; type = 20 (key a0 01): INT = 2 } (17 bytes)
    const a = '2a 11 0a 01 61 18 ff ff ff ff ff ff ff ff ff 01 a0 01 02';
    // { name "z"; f = 2 (key 0x15): 0.5f = 00 00 00 3f; type FLOAT = 1 } (11 bytes)
    const z = '2a 0b 0a 01 7a 15 00 00 00 3f a0 01 01';
    expect(bytes).toContain(`22 03 41 62 73 ${a} ${z}`);
  });

  it('encodes list, string and tensor attributes', () => {
    const graph: OnnxGraphSpec = {
      ...ABS_GRAPH,
      nodes: [
        onnxNode(
          'Abs',
          { inputs: ['x'], outputs: ['y'], name: 'n', domain: 'd' },
          {
            f: onnxAttr.floats([1]),
            i: onnxAttr.ints([1, 2]),
            s: onnxAttr.string('hi'),
            t: onnxAttr.tensor(onnxTensor('', Int32Array.from([7]), [])),
            v: onnxAttr.strings(['a', 'b']),
          },
        ),
      ],
    };
    const bytes = hex(encodeOnnxModel({ graph }));
    expect(bytes).toContain('0a 01 66 3a 04 00 00 80 3f a0 01 06'); // floats = 7, packed; FLOATS = 6
    expect(bytes).toContain('0a 01 69 42 02 01 02 a0 01 07'); // ints = 8, packed; INTS = 7
    expect(bytes).toContain('0a 01 73 22 02 68 69 a0 01 03'); // s = 4; STRING = 3
    expect(bytes).toContain('0a 01 74 2a 08 10 06 4a 04 07 00 00 00 a0 01 04'); // t = 5: TensorProto { INT32; raw 7 }; TENSOR = 4
    expect(bytes).toContain('0a 01 76 4a 01 61 4a 01 62 a0 01 08'); // strings = 9, one entry each; STRINGS = 8
    expect(bytes).toContain(`1a 01 6e 22 03 ${ascii('Abs')}`); // node name = 3 precedes op_type = 4
    expect(bytes).toContain('3a 01 64'); // domain = 7
  });

  it('writes a scalar shape as an empty shape and an unknown shape not at all', () => {
    const graph: OnnxGraphSpec = {
      ...ABS_GRAPH,
      inputs: [onnxInput('x', 'float32', [])],
      outputs: [onnxOutput('y', 'float32')],
    };
    const bytes = hex(encodeOnnxModel({ graph }));
    expect(bytes).toContain('5a 0b 0a 01 78 12 06 0a 04 08 01 12 00'); // shape = 2, length 0
    expect(bytes).toContain('62 09 0a 01 79 12 04 0a 02 08 01'); // tensor_type { elem_type } with no shape field
  });

  it('writes initializers, metadata, opsets and optional model fields', () => {
    const graph: OnnxGraphSpec = {
      name: 'g',
      nodes: [onnxNode('Add', { inputs: ['x', 'b'], outputs: ['y'] })],
      inputs: [onnxInput('x', 'float32', [1])],
      outputs: [onnxOutput('y', 'float32', [1])],
      initializers: [onnxTensor('b', Float32Array.from([1]), [1])],
    };
    const bytes = hex(
      encodeOnnxModel({
        graph,
        irVersion: 8,
        opsetImports: [{ version: 17 }, { domain: 'com.microsoft', version: 1 }],
        modelVersion: 3,
        producerVersion: '1',
        metadata: { k: 'v' },
      }),
    );
    expect(bytes.startsWith(`08 08 12 0a ${ascii('gradeshift')} 1a 01 31 28 03 3a`)).toBe(true);
    expect(bytes).toContain('2a 0e 0a 01 01 10 01 42 01 62 4a 04 00 00 80 3f'); // initializer = 5
    expect(bytes).toContain(`42 04 0a 00 10 11 42 11 0a 0d ${ascii('com.microsoft')} 10 01`);
    expect(bytes.endsWith('72 06 0a 01 6b 12 01 76')).toBe(true); // metadata_props = 14 { key "k"; value "v" }
  });

  it('rejects a malformed graph before encoding', () => {
    const bad: OnnxGraphSpec = {
      ...ABS_GRAPH,
      nodes: [onnxNode('Abs', { inputs: ['h'], outputs: ['y'] })],
    };
    expect(() => encodeOnnxModel({ graph: bad })).toThrow(
      'node 0 (Abs) reads "h" before it is produced',
    );
    expect(() => encodeOnnxModel({ graph: ABS_GRAPH, opsetImports: [] })).toThrow(
      /at least one operator set/,
    );
    const badDim: OnnxGraphSpec = { ...ABS_GRAPH, inputs: [onnxInput('x', 'float32', [-1])] };
    expect(() => encodeOnnxModel({ graph: badDim })).toThrow(
      'value "x" dims[0] must be a non-negative integer (got -1)',
    );
  });
});
