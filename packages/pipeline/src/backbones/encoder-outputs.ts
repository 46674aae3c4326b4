/**
 * What an encoder run writes beside its evaluations: the teacher file (the head's grade probabilities for every
 * ID-train pair and every pool pair, for distillation) and the evaluated splits as in-memory prediction files
 * (logits + one feature space as the embedding), the shape `evaluatePredictionFiles` reads.
 */
import type { Dataset, LabeledPair } from '../data/dataset';
import type { PredictionFile } from '../external/read-predictions';
import { writeLinesAtomic } from '../io/atomic-write';
import type { BackboneScores, BackboneSpace } from './backbone';

/** Probabilities of one row of logits (max subtracted before exp). */
export function softmaxRow(logits: Float32Array, row: number, k: number): number[] {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, logits[row * k + c] ?? 0);
  const e = Array.from({ length: k }, (_, c) => Math.exp((logits[row * k + c] ?? 0) - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** One block of teacher rows: a split's pairs and their scores. */
export interface TeacherBlock {
  readonly split: 'id_train' | 'pool';
  readonly pairs: readonly { id: string; query: string; item: string; grade?: number }[];
  readonly scores: BackboneScores;
}

/**
 * Writes the teacher file (temp + rename): one JSON line per pair,
 * `{"split", "id", "query", "item", "grade"?, "probs"}`, the field names of the external predictions format
 * (`grade` only where the label is known: ID train; the pool's labels stay hidden).
 * @returns the rows written
 */
export function writeTeacherFile(path: string, blocks: readonly TeacherBlock[]): number {
  let rows = 0;
  function* lines(): Generator<string> {
    for (const { split, pairs, scores } of blocks)
      for (const [i, p] of pairs.entries()) {
        const probs = softmaxRow(scores.logits, i, scores.grades);
        const grade = p.grade === undefined ? {} : { grade: p.grade };
        rows++;
        yield `${JSON.stringify({ split, id: p.id, query: p.query, item: p.item, ...grade, probs })}\n`;
      }
  }
  writeLinesAtomic(path, lines());
  return rows;
}

/**
 * A split's scores as an in-memory prediction file whose embedding is one feature space; the dataset keeps the
 * source's scale and rating range, so RMSE is on the same grade axis as the pipeline's.
 */
export function predictionFileOf(
  name: string,
  split: { pairs: readonly LabeledPair[]; scores: BackboneScores; space: BackboneSpace },
  source: Dataset,
): PredictionFile {
  const { pairs, scores, space } = split;
  const dataset: Dataset = {
    pairs,
    issues: [],
    source: { ...source.source, path: name, rows: pairs.length, skipped: 0, truncated: 0 },
    scale: source.scale,
    ...(source.ratingRange === undefined ? {} : { ratingRange: source.ratingRange }),
    ...(source.ratingEdges === undefined ? {} : { ratingEdges: source.ratingEdges }),
  };
  return {
    dataset,
    shape: { file: name, grades: scores.grades, output: 'logits', embeddingWidth: space.dim },
    values: Float64Array.from(scores.logits),
    embeddings: Float64Array.from(space.data),
  };
}
