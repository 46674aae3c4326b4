/**
 * The tiny 2-layer model shared by the browser harness and the Node side of the e2e test:
 * probs = softmax(relu(features·W1 + b1)·W2 + b2), with seeded weights, built with the ONNX writer.
 * Imports only platform-neutral code, so it bundles for the browser and runs in Node alike.
 */
import { createRng } from '@gradeshift/core/math';
import {
  encodeOnnxModel,
  onnxAttr,
  onnxInput,
  onnxNode,
  onnxOutput,
  onnxTensor,
} from '@gradeshift/core/web';

/** Sizes of the tiny model: `d` features, `h` hidden units, `k` grades. */
export const TINY = Object.freeze({ d: 4, h: 5, k: 3 });

/** Rows the e2e test scores. */
export const TINY_ROWS = 8;

/** `n` draws of N(0, scale²); weights use scale 0.5 so the softmax is not saturated and probabilities are informative. */
function draw(n: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** The model's ONNX bytes. */
export function buildTinyModel(): Uint8Array {
  const { d, h, k } = TINY;
  return encodeOnnxModel({
    graph: {
      name: 'tiny-ranker',
      nodes: [
        onnxNode('MatMul', { inputs: ['features', 'w1'], outputs: ['z1'] }),
        onnxNode('Add', { inputs: ['z1', 'b1'], outputs: ['a1'] }),
        onnxNode('Relu', { inputs: ['a1'], outputs: ['h1'] }),
        onnxNode('MatMul', { inputs: ['h1', 'w2'], outputs: ['z2'] }),
        onnxNode('Add', { inputs: ['z2', 'b2'], outputs: ['logits'] }),
        onnxNode('Softmax', { inputs: ['logits'], outputs: ['probs'] }, { axis: onnxAttr.int(-1) }),
      ],
      initializers: [
        onnxTensor('w1', draw(d * h, 11, 0.5), [d, h]),
        onnxTensor('b1', draw(h, 12, 0.5), [h]),
        onnxTensor('w2', draw(h * k, 13, 0.5), [h, k]),
        onnxTensor('b2', draw(k, 14, 0.5), [k]),
      ],
      inputs: [onnxInput('features', 'float32', ['batch', d])],
      outputs: [
        onnxOutput('logits', 'float32', ['batch', k]),
        onnxOutput('probs', 'float32', ['batch', k]),
      ],
    },
  });
}

/** `n` seeded feature rows, row-major `n × d`. */
export function tinyFeatures(n: number): Float32Array {
  return draw(n * TINY.d, 21);
}
