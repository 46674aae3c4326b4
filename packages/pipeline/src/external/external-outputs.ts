/** The outputs of a predictions file as the metrics, the decision rule and the detectors read them. */
import { createMatrix, logSoftmax, softmax, type Matrix } from '@gradeshift/core/math';

import type { SplitOutputs } from '../stages/infer';
import type { ExternalOutputs } from './external-detectors';
import type { PredictionFile } from './read-predictions';

/** Probabilities, logits, expected and arg-max grades of a file's outputs. */
export function outputsOf(file: PredictionFile): SplitOutputs & ExternalOutputs {
  const n = file.dataset.pairs.length;
  const k = file.shape.grades;
  const given: Matrix = { rows: n, cols: k, data: file.values };
  // Probabilities stand in as logits through their logarithm (softmax of log p is p), floored away from log 0.
  const logits =
    file.shape.output === 'logits'
      ? given
      : {
          rows: n,
          cols: k,
          data: Float64Array.from(file.values, (p) => Math.log(Math.max(p, 1e-12))),
        };
  const probs = file.shape.output === 'logits' ? softmax(logits) : softmax(logSoftmax(logits));
  const expected = new Float64Array(n);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = probs.data[i * k + c] ?? 0;
      expected[i] = (expected[i] ?? 0) + c * p;
      if (p > (probs.data[i * k + best] ?? 0)) best = c;
    }
    predicted[i] = best;
  }
  const w = file.shape.embeddingWidth;
  const embeddings =
    w === null || file.embeddings === null ? null : { rows: n, cols: w, data: file.embeddings };
  return {
    logits,
    probs,
    expected,
    predicted,
    // The decision rule and the metrics read no features; the detectors read `embeddings`.
    features: createMatrix(n, 0),
    embeddings,
    labels: Int32Array.from(file.dataset.pairs, (p) => p.grade),
  };
}
