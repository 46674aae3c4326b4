/**
 * predictions.jsonl: one row per scored test or pool pair — id, split, query, item, true grade (0-based; null
 * for pool pairs whose label was never revealed), grade probabilities, expected grade, every detector's OOD
 * score, the slice (department) of its query, and for pool pairs whether distribution-aware selection picked them, and why. `predicted` is the grade
 * under the evaluation's decision rule (`ModelEvaluation.decision`), `argmax` the most probable grade.
 */
import { decideGrades } from '@gradeshift/core';

import { writeLinesAtomic } from '../io/atomic-write';
import { normalizeQuery } from '../splits/query-groups';
import type { SplitOutputs } from '../stages/infer';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import type { SelectionOutcome } from '../stages/select-stage';
import type { ModelEvaluation } from './evaluate-model';
import { DETECTOR_NAMES, type DetectorScores } from './model-detectors';
import type { Neighbour } from './nearest-training';

/** Inputs of {@link writePredictions}. */
export interface PredictionInputs {
  data: PreparedData;
  evaluation: ModelEvaluation;
  pool: { outputs: SplitOutputs; scores: DetectorScores };
  selection: SelectionOutcome | undefined;
  /** The nearest training pairs of each row, per split (`nearestTrainingPairs`). */
  neighbours?: ReadonlyMap<PreparedSplit<unknown>, readonly Neighbour[][]> | undefined;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function* rows(
  split: PreparedSplit<{ id: string; query: string; item: string }>,
  scored: {
    outputs: SplitOutputs;
    predicted: Int32Array;
    scores: DetectorScores;
    labeled: boolean;
  },
  context: {
    /** Pool picks by pool index (pool rows only). */
    picks: ReadonlyMap<number, { rank: number; reason: unknown; grade: number }> | undefined;
    /** The slice (department) of each normalised query. */
    domainOf: ReadonlyMap<string, string>;
    /** Where each pool pair came from (pool rows only). */
    origins?: readonly string[] | undefined;
    /** The nearest training pairs of each row. */
    neighbours?: readonly Neighbour[][] | undefined;
  },
): Generator<string> {
  const { picks, domainOf, origins, neighbours } = context;
  const k = scored.outputs.probs.cols;
  for (let i = 0; i < split.pairs.length; i++) {
    const pair = split.pairs[i];
    if (pair === undefined) continue;
    const probs = Array.from(scored.outputs.probs.data.subarray(i * k, (i + 1) * k), round);
    const ood = Object.fromEntries(DETECTOR_NAMES.map((d) => [d, round(scored.scores[d][i] ?? 0)]));
    const pick = picks?.get(i);
    const row: Record<string, unknown> = {
      id: pair.id,
      split: split.name,
      query: pair.query,
      item: pair.item,
      grade: scored.labeled ? (split.labels[i] ?? null) : (pick?.grade ?? null),
      probs,
      expected: round(scored.outputs.expected[i] ?? 0),
      predicted: scored.predicted[i] ?? 0,
      argmax: scored.outputs.predicted[i] ?? 0,
      ood,
      // The same slice as the report's `slices` section (slice-metrics.ts).
      slice: domainOf.get(normalizeQuery(pair.query)) ?? 'other',
    };
    if (origins?.[i] !== undefined) row['origin'] = origins[i];
    if (neighbours?.[i] !== undefined) row['neighbours'] = neighbours[i];
    if (picks !== undefined) {
      row['selected'] = pick !== undefined;
      if (pick !== undefined) row['selection'] = { rank: pick.rank, reason: pick.reason };
    }
    yield `${JSON.stringify(row)}\n`;
  }
}

/** Writes predictions.jsonl atomically. */
export function writePredictions(path: string, inputs: PredictionInputs): void {
  const { data, evaluation, pool, selection } = inputs;
  const picks = new Map(
    (selection?.picked ?? []).map((p) => [
      p.poolIndex,
      { rank: p.rank, reason: p.reason, grade: p.pair.grade },
    ]),
  );
  const domainOf = data.splits.domainOfQuery;
  const near = (split: PreparedSplit<unknown>) => inputs.neighbours?.get(split);
  function* all(): Generator<string> {
    yield* rows(
      data.idTest,
      {
        outputs: evaluation.outputs.id_test,
        predicted: evaluation.predicted.id_test,
        scores: evaluation.scores.id_test,
        labeled: true,
      },
      { picks: undefined, domainOf, neighbours: near(data.idTest) },
    );
    yield* rows(
      data.oodTest,
      {
        outputs: evaluation.outputs.ood_test,
        predicted: evaluation.predicted.ood_test,
        scores: evaluation.scores.ood_test,
        labeled: true,
      },
      { picks: undefined, domainOf, neighbours: near(data.oodTest) },
    );
    const { farTest } = data;
    const far = {
      outputs: evaluation.outputs.far_test,
      predicted: evaluation.predicted.far_test,
      scores: evaluation.scores.far_test,
    };
    if (
      farTest !== undefined &&
      far.outputs !== undefined &&
      far.predicted !== undefined &&
      far.scores !== undefined
    )
      yield* rows(
        farTest,
        { outputs: far.outputs, predicted: far.predicted, scores: far.scores, labeled: true },
        { picks: undefined, domainOf, neighbours: near(farTest) },
      );
    const poolPredicted = decideGrades(pool.outputs.probs, evaluation.decision, {
      expected: pool.outputs.expected,
    });
    yield* rows(
      data.pool,
      { ...pool, predicted: poolPredicted, labeled: false },
      { picks, domainOf, origins: data.splits.poolOrigin, neighbours: near(data.pool) },
    );
  }
  writeLinesAtomic(path, all());
}
