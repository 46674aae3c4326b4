import { describe, expect, it } from 'vitest';

import { onnxInput, onnxNode, onnxOutput, onnxTensor } from './builders';
import type { OnnxGraphSpec } from './onnx-types';
import { validateOnnxGraph } from './validate-graph';

const base: OnnxGraphSpec = {
  name: 'g',
  nodes: [
    onnxNode('MatMul', { inputs: ['x', 'w'], outputs: ['h'] }),
    onnxNode('Relu', { inputs: ['h'], outputs: ['y'], name: 'act' }),
  ],
  inputs: [onnxInput('x', 'float32', ['batch', 2])],
  outputs: [onnxOutput('y', 'float32', ['batch', 2])],
  initializers: [onnxTensor('w', new Float32Array(4), [2, 2])],
};

describe('validateOnnxGraph', () => {
  it('accepts a well-formed graph, an initializer listed as an input, and omitted optional inputs', () => {
    expect(() => validateOnnxGraph(base)).not.toThrow();
    expect(() =>
      validateOnnxGraph({ ...base, inputs: [...base.inputs, onnxInput('w', 'float32', [2, 2])] }),
    ).not.toThrow();
    const clip = onnxNode('Clip', { inputs: ['y', '', 'w'], outputs: ['z'] });
    expect(() => validateOnnxGraph({ ...base, nodes: [...base.nodes, clip] })).not.toThrow();
  });

  it('names the node that reads a value before it is produced', () => {
    const swapped = { ...base, nodes: [base.nodes[1]!, base.nodes[0]!] };
    expect(() => validateOnnxGraph(swapped)).toThrow(
      'node 0 "act" (Relu) reads "h" before it is produced',
    );
  });

  it('rejects redefined values, unproduced outputs and empty names', () => {
    const twice = {
      ...base,
      nodes: [...base.nodes, onnxNode('Relu', { inputs: ['x'], outputs: ['h'] })],
    };
    expect(() => validateOnnxGraph(twice)).toThrow(
      'node 2 (Relu) redefines value "h" (ONNX values are assigned once)',
    );
    expect(() => validateOnnxGraph({ ...base, outputs: [onnxOutput('z', 'float32')] })).toThrow(
      'graph output 0 "z" is not produced by any node, input or initializer',
    );
    expect(() => validateOnnxGraph({ ...base, inputs: [onnxInput('', 'float32')] })).toThrow(
      'graph input 0 must have a non-empty name',
    );
    expect(() =>
      validateOnnxGraph({ ...base, nodes: [{ opType: '', inputs: [], outputs: ['q'] }] }),
    ).toThrow('node 0 must have a non-empty opType');
  });
});
