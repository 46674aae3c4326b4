/**
 * Choosing the encoder backbone's grade head on ID validation only: each setting of a small grid is trained with
 * the graded loss (the default scorer's settings, `DEFAULT_GRADED_LOSS`) and early-stopped on ID-validation
 * macro-F1 under ordinal cut points fitted on ID validation (the decision rule the evaluation fits there); the
 * setting with the best such macro-F1 wins. Test and far-OOD data are never read here.
 */
import { trainGradeHead, type GradeHeadParams } from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';

import type { LabeledPair } from '../data/dataset';
import { createLoss } from '../stages/losses';
import type { ProgressSink } from '../stages/progress';
import type { EncodedPairs } from './encoder-features';

/** One setting of the head. */
export interface HeadSettings {
  readonly hidden: number;
  readonly learningRate: number;
  readonly weightDecay: number;
}

/**
 * The grid tried unless told otherwise. Decoupled weight decay matters most: on Home Depot's ID validation a
 * decay of 1e-4 overfits (0.501–0.503), 0.1 gives 0.513 (macro-F1 under fitted ordinal cut points).
 */
export const DEFAULT_HEAD_GRID: readonly HeadSettings[] = Object.freeze([
  { hidden: 64, learningRate: 1e-3, weightDecay: 0.1 },
  { hidden: 128, learningRate: 1e-3, weightDecay: 0.3 },
  { hidden: 32, learningRate: 1e-3, weightDecay: 0.1 },
]);

/** One tried setting and what ID validation said of it. */
export interface HeadTrial {
  readonly settings: HeadSettings;
  readonly validationMacroF1: number;
  readonly bestEpoch: number;
  readonly epochs: number;
  readonly seconds: number;
}

/** Options of {@link chooseHead}. */
export interface ChooseHeadOptions {
  readonly grid?: readonly HeadSettings[];
  readonly grades: number;
  /** @default 30 */
  readonly epochs?: number;
  /** @default 4 */
  readonly patience?: number;
  /** @default 0 */
  readonly seed?: number;
  /** The head's matrix products. @default jsGemm */
  readonly gemm?: Gemm;
  readonly progress?: ProgressSink;
  readonly signal?: AbortSignal;
}

const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

/** Loss targets: the ratings when every pair has one (as the default scorer trains), else the grades. */
function targetsOf(pairs: readonly LabeledPair[], ratings: Float64Array): Float64Array {
  return ratings.every((r) => Number.isFinite(r))
    ? ratings
    : Float64Array.from(pairs, (p) => p.grade);
}

/**
 * Trains every setting and keeps the best on ID validation.
 * @returns the chosen head and every trial
 */
export async function chooseHead(
  train: { pairs: readonly LabeledPair[]; ratings: Float64Array; encoded: EncodedPairs },
  validation: { pairs: readonly LabeledPair[]; encoded: EncodedPairs },
  options: ChooseHeadOptions,
): Promise<{ head: GradeHeadParams; trials: readonly HeadTrial[]; chosen: number }> {
  const grid = options.grid ?? DEFAULT_HEAD_GRID;
  const trainSet = {
    source: train.encoded.source,
    rows: allRows(train.pairs.length),
    labels: targetsOf(train.pairs, train.ratings),
    groups: train.pairs.map((p) => p.query),
  };
  const validationSet = {
    source: validation.encoded.source,
    rows: allRows(validation.pairs.length),
    grades: Int32Array.from(validation.pairs, (p) => p.grade),
  };
  const trials: HeadTrial[] = [];
  let best: { head: GradeHeadParams; f1: number; index: number } | undefined;
  for (const [index, settings] of grid.entries()) {
    const t0 = Date.now();
    const epochs = options.epochs ?? 30;
    const trained = await trainGradeHead(trainSet, validationSet, {
      ...settings,
      grades: options.grades,
      loss: createLoss('graded'),
      epochs,
      patience: options.patience ?? 4,
      seed: options.seed ?? 0,
      decision: 'ordinal-thresholds',
      ...(options.gemm === undefined ? {} : { gemm: options.gemm }),
      onEpoch: async (e) => {
        options.progress?.({
          stage: 'head',
          message: `setting ${index + 1}/${grid.length} (hidden ${settings.hidden}): validation macro-F1 ${e.validationMacroF1.toFixed(4)}`,
          done: e.epoch,
          total: epochs,
        });
        // Let the event loop run (progress output, an abort) between epochs.
        await new Promise((r) => setImmediate(r));
        options.signal?.throwIfAborted();
      },
    });
    trials.push({
      settings,
      validationMacroF1: trained.validationMacroF1,
      bestEpoch: trained.bestEpoch,
      epochs: trained.history.length,
      seconds: (Date.now() - t0) / 1000,
    });
    if (best === undefined || trained.validationMacroF1 > best.f1)
      best = { head: trained.head, f1: trained.validationMacroF1, index };
  }
  if (best === undefined) throw new RangeError('the head grid is empty');
  return { head: best.head, trials, chosen: best.index };
}
