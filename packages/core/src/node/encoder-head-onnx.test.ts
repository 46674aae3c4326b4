/**
 * The encoder head's ONNX graph in onnxruntime-node against `forwardGradeHead` on the same weights and inputs:
 * logits and the hidden layer to float32 precision, probabilities summing to 1, every block and the lexical
 * features in the head's input order.
 */
import { describe, expect, it } from 'vitest';

import { encoderHeadOnnx, type EncoderHeadBlock } from '../bundle/encoder-head-graph';
import { createGradeHead, forwardGradeHead, type PairFeatureSource } from '../encoder/grade-head';
import { createRng } from '../math/prng';
import { createTensor } from '../model/tensor';
import { createNodeBackend } from './create-node-backend';

const DIM = 6;
const ROWS = 5;
const LEXICAL = 3;
const BLOCKS: readonly EncoderHeadBlock[] = ['q', 'd', 'product', 'difference', 'cosine'];

function unitRows(rng: ReturnType<typeof createRng>): Float32Array {
  const x = Float32Array.from({ length: ROWS * DIM }, () => rng.normal());
  for (let r = 0; r < ROWS; r++) {
    const row = x.subarray(r * DIM, (r + 1) * DIM);
    const norm = Math.hypot(...row);
    for (let k = 0; k < DIM; k++) row[k] = row[k]! / norm;
  }
  return x;
}

describe('encoderHeadOnnx', () => {
  it('computes what forwardGradeHead computes', async () => {
    const rng = createRng(4);
    const q = unitRows(rng);
    const d = unitRows(rng);
    const lexical = Float32Array.from({ length: ROWS * LEXICAL }, () => rng.next());
    const inputs = 4 * DIM + 1 + LEXICAL;
    const source: PairFeatureSource = {
      rows: ROWS,
      cols: inputs,
      fill(i, out) {
        const a = Array.from(q.subarray(i * DIM, (i + 1) * DIM));
        const b = Array.from(d.subarray(i * DIM, (i + 1) * DIM));
        out.set([
          ...a,
          ...b,
          ...a.map((v, k) => Math.fround(v * b[k]!)),
          ...a.map((v, k) => Math.abs(Math.fround(v - b[k]!))),
          a.reduce((s, v, k) => s + v * b[k]!, 0),
          ...lexical.subarray(i * LEXICAL, (i + 1) * LEXICAL),
        ]);
      },
    };
    const head = createGradeHead(
      { inputs, hidden: 7, grades: 3 },
      {
        mean: Float64Array.from({ length: inputs }, () => Math.fround(rng.normal() * 0.1)),
        scale: Float64Array.from({ length: inputs }, () => Math.fround(1 + rng.next())),
      },
      rng,
    );
    head.b1.set(Array.from({ length: 7 }, () => Math.fround(rng.normal() * 0.1)));
    for (const t of [head.w1, head.w2]) t.set(Array.from(t, (v) => Math.fround(v)));
    const expected = await forwardGradeHead(head, {
      source,
      rows: Array.from({ length: ROWS }, (_, i) => i),
    });
    const session = await createNodeBackend({ intraOpNumThreads: 1 }).createSession(
      encoderHeadOnnx(head, { dim: DIM, blocks: BLOCKS, lexical: LEXICAL }),
    );
    try {
      const out = await session.run({
        query_embedding: createTensor('float32', q, [ROWS, DIM]),
        item_embedding: createTensor('float32', d, [ROWS, DIM]),
        lexical: createTensor('float32', lexical, [ROWS, LEXICAL]),
      });
      expect(Array.from(out['logits']!.data as Float32Array)).toBeDeepCloseTo(
        Array.from(expected.logits),
        { abs: 1e-4, rel: 1e-4 },
      );
      expect(Array.from(out['hidden']!.data as Float32Array)).toBeDeepCloseTo(
        Array.from(expected.hidden),
        { abs: 1e-4, rel: 1e-4 },
      );
      const probs = out['probs']!.data as Float32Array;
      for (let r = 0; r < ROWS; r++)
        expect(probs[3 * r]! + probs[3 * r + 1]! + probs[3 * r + 2]!).toBeCloseTo(1, 6);
    } finally {
      await session.dispose();
    }
  });

  it('refuses a layout whose width is not the head input', () => {
    const head = createGradeHead(
      { inputs: 10, hidden: 2, grades: 3 },
      { mean: new Float64Array(10), scale: new Float64Array(10).fill(1) },
      createRng(1),
    );
    expect(() => encoderHeadOnnx(head, { dim: 4, blocks: ['q', 'd'], lexical: 0 })).toThrow(
      /the layout gives 8 inputs, the head takes 10/,
    );
  });
});
