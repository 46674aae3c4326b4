/**
 * The run's 2-D map (`map.json`): the content rows of ID test, near OOD, far OOD and the pool projected on the two
 * principal axes of ID train, once at pipeline time, each point with its fused OOD score's ID percentile and, for
 * labelled splits, the decided grade's distance to the true grade. Ids are those of predictions.jsonl.
 */
import { fitPercentileCalibration } from '@gradeshift/ood';

import type { MapGroup } from '../contract/shift-schema';
import type { PreparedData, PreparedSplit } from '../stages/prepare';
import type { ModelEvaluation } from './evaluate-model';
import type { DetectorScores } from './model-detectors';
import { computeShiftMap, writeShiftMap, type ShiftMapGroupInput } from './shift-map';

/** One split's map input. */
function groupOf(
  split: PreparedSplit<{ id: string }> | undefined,
  scores: DetectorScores | undefined,
  context: {
    readonly calibrate: (fused: Float64Array) => Float64Array;
    readonly predicted?: Int32Array | undefined;
  },
): ShiftMapGroupInput | undefined {
  if (split?.content === undefined || scores === undefined) return undefined;
  const { predicted } = context;
  return {
    ids: split.pairs.map((p) => p.id),
    content: split.content.content,
    fusedPercentile: context.calibrate(scores.fused),
    error:
      predicted === undefined
        ? null
        : Float64Array.from(predicted, (g, i) => Math.abs(g - (split.labels[i] ?? 0))),
  };
}

/**
 * Computes and writes `<outDir>/map.json`.
 * @returns the file name to record in report.json's `map`, or null when ID train has no content rows
 */
export function writeRunMap(
  outDir: string,
  inputs: {
    readonly data: PreparedData;
    readonly evaluation: ModelEvaluation;
    readonly poolScores: DetectorScores;
    readonly seed: number;
  },
): string | null {
  const { data, evaluation } = inputs;
  const fit = data.idTrain.content?.content;
  if (fit === undefined) return null;
  const calibration = fitPercentileCalibration(evaluation.scores.id_validation.fused);
  const calibrate = (fused: Float64Array) => calibration.percentiles(fused);
  const { scores, predicted } = evaluation;
  const groups: Partial<Record<MapGroup, ShiftMapGroupInput>> = {};
  const add = (name: MapGroup, group: ShiftMapGroupInput | undefined) => {
    if (group !== undefined) groups[name] = group;
  };
  add('id_test', groupOf(data.idTest, scores.id_test, { calibrate, predicted: predicted.id_test }));
  add('near', groupOf(data.oodTest, scores.ood_test, { calibrate, predicted: predicted.ood_test }));
  add('far', groupOf(data.farTest, scores.far_test, { calibrate, predicted: predicted.far_test }));
  add('pool', groupOf(data.pool, inputs.poolScores, { calibrate }));
  writeShiftMap(outDir, computeShiftMap({ fit, groups, seed: inputs.seed }));
  return 'map.json';
}
