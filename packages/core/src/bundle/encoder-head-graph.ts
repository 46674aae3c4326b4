/**
 * The encoder backbone's grade head as its own small ONNX graph, node for node `forwardGradeHead` over the head's
 * input blocks: inputs the pooled query and item embeddings (`query_embedding`, `item_embedding`, [B, dim]) and,
 * when the head reads them, the term-match features (`lexical`, [B, F]); the blocks (q, d, q ⊙ d, |q − d|,
 * cos(q, d) = q·d of normalised embeddings) are concatenated, standardised, and run through the ReLU hidden layer
 * (`hidden`, the relevance space) to the grade logits and probabilities (`logits`, `probs`).
 */
import { onnxAttr, onnxInput, onnxOutput } from '../model/onnx/builders';
import { encodeOnnxModel } from '../model/onnx/encode-model';
import type { GradeHeadParams } from '../encoder/grade-head';
import { createGraphBuilder, type GraphBuilder } from './graph-builder';
import { SCORER_ONNX_OPSET } from './onnx-names';

/** A block of the head's input built from the query embedding q and the item embedding d. */
export type EncoderHeadBlock = 'q' | 'd' | 'product' | 'difference' | 'cosine';

/** The layout of the head's input. */
export interface EncoderHeadLayout {
  /** Width of one embedding. */
  readonly dim: number;
  readonly blocks: readonly EncoderHeadBlock[];
  /** Term-match features after the blocks (0 for none). */
  readonly lexical: number;
}

/** Names of the head graph's inputs and outputs. */
export const ENCODER_HEAD_ONNX = Object.freeze({
  query: 'query_embedding',
  item: 'item_embedding',
  lexical: 'lexical',
  hidden: 'hidden',
  logits: 'logits',
  probs: 'probs',
});

/** The value of one block. */
function blockValue(g: GraphBuilder, block: EncoderHeadBlock): string {
  const { query: q, item: d } = ENCODER_HEAD_ONNX;
  switch (block) {
    case 'q':
      return q;
    case 'd':
      return d;
    case 'product':
      return g.op('Mul', { inputs: [q, d], output: 'block_product' });
    case 'difference':
      return g.op('Abs', {
        inputs: [g.op('Sub', { inputs: [q, d], output: 'block_sub' })],
        output: 'block_difference',
      });
    case 'cosine':
      return g.op(
        'ReduceSum',
        {
          inputs: [g.op('Mul', { inputs: [q, d], output: 'cosine_terms' }), g.axes(1)],
          output: 'block_cosine',
        },
        { keepdims: onnxAttr.int(1) },
      );
  }
}

/**
 * The head's ONNX model bytes (opset 18).
 * @throws RangeError when the layout's width differs from the head's inputs
 */
export function encoderHeadOnnx(head: GradeHeadParams, layout: EncoderHeadLayout): Uint8Array {
  const width =
    layout.blocks.reduce((w, b) => w + (b === 'cosine' ? 1 : layout.dim), 0) + layout.lexical;
  if (width !== head.inputs)
    throw new RangeError(`the layout gives ${width} inputs, the head takes ${head.inputs}`);
  const g = createGraphBuilder();
  const names = ENCODER_HEAD_ONNX;
  const parts = layout.blocks.map((b) => blockValue(g, b));
  if (layout.lexical > 0) parts.push(names.lexical);
  const x = g.op('Concat', { inputs: parts, output: 'features' }, { axis: onnxAttr.int(1) });
  g.floats('mean', head.mean, [head.inputs]);
  g.floats('scale', head.scale, [head.inputs]);
  const centred = g.op('Sub', { inputs: [x, 'mean'], output: 'centred' });
  const z = g.op('Mul', { inputs: [centred, 'scale'], output: 'standardised' });
  g.floats('w1', head.w1, [head.hidden, head.inputs]);
  g.floats('b1', head.b1, [head.hidden]);
  g.floats('w2', head.w2, [head.grades, head.hidden]);
  g.floats('b2', head.b2, [head.grades]);
  const linear = { transB: onnxAttr.int(1) };
  const pre = g.op('Gemm', { inputs: [z, 'w1', 'b1'], output: 'hidden_pre' }, linear);
  g.op('Relu', { inputs: [pre], output: names.hidden });
  g.op('Gemm', { inputs: [names.hidden, 'w2', 'b2'], output: names.logits }, linear);
  g.op('Softmax', { inputs: [names.logits], output: names.probs }, { axis: onnxAttr.int(-1) });
  return encodeOnnxModel({
    graph: {
      name: 'gradeshift_encoder_head',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [
        onnxInput(names.query, 'float32', ['batch', layout.dim]),
        onnxInput(names.item, 'float32', ['batch', layout.dim]),
        ...(layout.lexical > 0
          ? [onnxInput(names.lexical, 'float32', ['batch', layout.lexical])]
          : []),
      ],
      outputs: [
        onnxOutput(names.logits, 'float32', ['batch', head.grades]),
        onnxOutput(names.probs, 'float32', ['batch', head.grades]),
        onnxOutput(names.hidden, 'float32', ['batch', head.hidden]),
      ],
      docString:
        'gradeshift encoder backbone grade head: grade logits, probabilities and the hidden layer',
    },
    opsetImports: [{ domain: '', version: SCORER_ONNX_OPSET }],
  });
}
