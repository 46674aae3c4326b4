/**
 * @file An evaluation's chunks read back by the producer, in input order: the grade probabilities, expected and
 * decided grades and OOD values of every pair, exact (each line's sixth field; `chunk-file.ts`), as one
 * `ScoredPairs` for the metrics; then, one chunk at a time, the lines of predictions.jsonl. The pairs' texts are
 * never all held: they are read again from each chunk's rows as its lines are written.
 */
import type { BundleManifest } from '@gradeshift/core';

import type { LabeledPair } from '../data/dataset';
import { predictionRows } from '../pipeline/evaluate-bundle';
import type { ScoredPairs } from '../pipeline/score-bundle-pairs';
import { readChunkFile } from './chunk-file';
import type { ChunkJobResult } from './chunk-job';

/** The scored values an evaluation reads: `ScoredPairs` without the ranks. */
export type EvaluatedScores = Pick<ScoredPairs, 'probs' | 'expected' | 'predicted' | 'ood'>;

/** The fields of a scored row (`scoreFile`'s JSONL) an evaluation reads. */
interface ScoredRow {
  readonly id: string;
  readonly line: number;
  readonly query: string;
  readonly item: string;
  readonly predicted: number;
  readonly ood: Readonly<Record<string, { readonly flag: boolean }>>;
}

/** A chunk line's row (its rank is not needed: 0 stands in) and exact values. */
function* evaluatedLines(
  partsDir: string,
  chunk: ChunkJobResult,
): Generator<{ expected: number; row: ScoredRow; exact: readonly (number | null)[] }> {
  for (const fields of readChunkFile(partsDir, chunk)) {
    const [expected = '', , , head = '', tail = '', exact] = fields;
    if (exact === undefined) throw new Error(`${chunk.file}: a line without exact values`);
    yield {
      expected: Number(expected),
      row: JSON.parse(`${head}0${tail}`) as ScoredRow,
      exact: JSON.parse(exact) as (number | null)[],
    };
  }
}

/** The OOD columns of n pairs, in the order of the rows' `ood`, each with the bundle's threshold. */
function oodColumns(names: readonly string[], n: number, manifest: BundleManifest) {
  return new Map(
    names.map((name) => [
      name,
      {
        score: new Float64Array(n),
        percentile: new Float64Array(n),
        flag: new Uint8Array(n),
        threshold: manifest.ood[name]?.threshold.value ?? Number.NaN,
      },
    ]),
  );
}

/**
 * Reads an evaluation's chunks into one set of exact scores, in input order.
 * @param partsDir - the run's parts folder
 * @param chunks - each chunk's result, in input order
 * @param shape - the pairs in the input and the bundle's manifest (grades, OOD thresholds)
 * @throws Error when a chunk file is missing, altered, or holds another number of rows than the input
 */
export function readEvaluatedChunks(
  partsDir: string,
  chunks: readonly ChunkJobResult[],
  shape: { readonly pairs: number; readonly manifest: BundleManifest },
): EvaluatedScores {
  const { pairs: n, manifest } = shape;
  const k = manifest.grades.length;
  const probs = new Float64Array(n * k);
  const expected = new Float64Array(n);
  const predicted = new Int32Array(n);
  let ood: EvaluatedScores['ood'] | undefined;
  let g = 0;
  for (const chunk of chunks)
    for (const line of evaluatedLines(partsDir, chunk)) {
      if (g >= n) throw new Error(`the chunks hold more rows than the input's ${n} pairs`);
      ood ??= oodColumns(Object.keys(line.row.ood), n, manifest);
      const { exact, row } = line;
      for (let j = 0; j < k; j++) probs[g * k + j] = exact[j] ?? Number.NaN;
      expected[g] = line.expected;
      predicted[g] = row.predicted;
      let at = k;
      for (const [name, o] of ood) {
        // JSON writes a non-finite score as null; NaN is written back as null too.
        o.score[g] = exact[at++] ?? Number.NaN;
        o.percentile[g] = exact[at++] ?? Number.NaN;
        o.flag[g] = row.ood[name]?.flag === true ? 1 : 0;
      }
      g++;
    }
  if (g !== n) throw new Error(`the chunks hold ${g} rows, the input ${n} pairs`);
  return { probs, expected, predicted, ood: ood ?? oodColumns([], n, manifest) };
}

/** Rows `start` to `end` of `scored` (`k` grades), as views. */
function scoresOf(
  scored: EvaluatedScores,
  [start, end]: readonly [number, number],
  k: number,
): EvaluatedScores {
  const ood: EvaluatedScores['ood'] = new Map();
  for (const [name, o] of scored.ood)
    ood.set(name, {
      score: o.score.subarray(start, end),
      percentile: o.percentile.subarray(start, end),
      flag: o.flag.subarray(start, end),
      threshold: o.threshold,
    });
  return {
    probs: scored.probs.subarray(start * k, end * k),
    expected: scored.expected.subarray(start, end),
    predicted: scored.predicted.subarray(start, end),
    ood,
  };
}

/**
 * predictions.jsonl of an evaluation on the queue, one chunk at a time: each chunk's pairs (id, line, texts)
 * read from its rows, their grades from `grades`, their values from `scored`.
 * @param partsDir - the run's parts folder
 * @param chunks - each chunk's result, in input order
 * @param values - every pair's scores and grade, in input order, and the number of grades
 */
export function* evaluatedPredictionRows(
  partsDir: string,
  chunks: readonly ChunkJobResult[],
  values: { readonly scored: EvaluatedScores; readonly grades: Int32Array; readonly k: number },
): Generator<string> {
  const { scored, grades, k } = values;
  let start = 0;
  for (const chunk of chunks) {
    const pairs: LabeledPair[] = [];
    for (const { row } of evaluatedLines(partsDir, chunk)) {
      const { id, line, query, item } = row;
      pairs.push({ id, line, query, item, grade: grades[start + pairs.length] ?? 0 });
    }
    const end = start + pairs.length;
    yield* predictionRows(pairs, scoresOf(scored, [start, end], k), k);
    start = end;
  }
}
