/**
 * A pool of unlabelled pairs scored through a served model in chunks of mixed queries (`scoreBatch`, one ONNX
 * run per model batch): the hidden features, grade probabilities, expected and predicted grades, and every OOD
 * score with its ID percentile, as flat columns ready for the selection strategies.
 */
import type { MatrixLike } from '@gradeshift/core/math';
import type { UnlabeledPair } from '@gradeshift/pipeline';

import type { ScorerModel } from '../models/model-kinds';
import { throwIfAborted } from './dataset-source';

/** Pairs per `scoreBatch` call (progress and cancellation points). */
const CHUNK = 1024;

/** A scored pool, row i = pairs[i]. */
export interface ScoredPool {
  readonly features: MatrixLike;
  readonly probs: MatrixLike;
  readonly expected: Float64Array;
  readonly predicted: Int32Array;
  /** Raw score and ID percentile per OOD score name. */
  readonly ood: ReadonlyMap<string, { score: Float64Array; percentile: Float64Array }>;
}

/**
 * Scores a pool.
 * @param model - the leased model
 * @param options - the pairs, a progress callback (rows done, total) and the job's abort signal
 */
export async function scorePool(
  model: ScorerModel,
  options: {
    pairs: readonly UnlabeledPair[];
    progress: (done: number, total: number) => void;
    signal: AbortSignal;
  },
): Promise<ScoredPool> {
  const { pairs, progress, signal } = options;
  const n = pairs.length;
  const k = model.manifest.grades.length;
  const h = model.manifest.scorer.hidden2;
  const features = new Float64Array(n * h);
  const probs = new Float64Array(n * k);
  const expected = new Float64Array(n);
  const predicted = new Int32Array(n);
  const ood = new Map<string, { score: Float64Array; percentile: Float64Array }>();
  for (let start = 0; start < n; start += CHUNK) {
    throwIfAborted(signal);
    const chunk = pairs.slice(start, start + CHUNK);
    const result = await model.scorer.scoreBatch(chunk, { features: true });
    for (let j = 0; j < chunk.length; j++) {
      const row = start + j;
      for (let c = 0; c < h; c++) features[row * h + c] = result.features?.[j * h + c] ?? 0;
      for (let c = 0; c < k; c++) probs[row * k + c] = result.probs[j * k + c] ?? 0;
      expected[row] = result.expected[j] ?? 0;
      predicted[row] = result.predicted[j] ?? 0;
      for (const [name, o] of Object.entries(result.ood)) {
        let column = ood.get(name);
        if (column === undefined) {
          column = { score: new Float64Array(n), percentile: new Float64Array(n) };
          ood.set(name, column);
        }
        column.score[row] = o.score[j] ?? 0;
        column.percentile[row] = o.percentile[j] ?? 0;
      }
    }
    progress(start + chunk.length, n);
  }
  return {
    features: { rows: n, cols: h, data: features },
    probs: { rows: n, cols: k, data: probs },
    expected,
    predicted,
    ood,
  };
}
