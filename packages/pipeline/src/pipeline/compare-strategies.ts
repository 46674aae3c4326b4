/**
 * The selection comparison of `runPipeline`: every strategy × seed from the same stage-1 model and detectors,
 * each through stages 2 and 3, with the stage-2 accuracy per OOD test query for the paired comparison.
 */
import { runSelection, type SelectionInputs, type SelectionOutcome } from '../stages/select-stage';
import { validationDecision, quickMetrics } from './decision-rule';
import {
  fineTuneOnSelection,
  stageMetrics,
  type AlphaPoint,
  type StageMetrics,
} from './fine-tune-on-selection';
import { selectionBudget, selectionInputsOf, type StrategyRunsOptions } from './selection-inputs';

/** One strategy × seed through stages 2 and 3. */
export interface StrategyRun {
  readonly selection: SelectionOutcome;
  readonly alpha: number;
  readonly alphaSweep: AlphaPoint[];
  readonly metrics: { stage2: StageMetrics; stage3: StageMetrics };
  /** Stage-2 accuracy per OOD test query (queries in first-appearance order), for the paired comparison. */
  readonly oodPerQuery: Float64Array;
}

/** Options of {@link compareStrategies}. */
export interface CompareStrategiesOptions extends StrategyRunsOptions {
  readonly seeds: readonly number[];
  readonly budgetFraction: number;
  /** The stage-1 model's selection inputs, when already computed (the budget curve shares them). */
  readonly inputs?: SelectionInputs | undefined;
}

/** Accuracy of each query's pairs, queries in first-appearance order. */
export function perQueryAccuracy(
  queries: readonly string[],
  labels: Int32Array,
  predicted: Int32Array,
): { readonly queries: string[]; readonly values: Float64Array } {
  const index = new Map<string, number>();
  const hits: number[] = [];
  const counts: number[] = [];
  queries.forEach((q, i) => {
    let g = index.get(q);
    if (g === undefined) {
      g = hits.length;
      index.set(q, g);
      hits.push(0);
      counts.push(0);
    }
    hits[g] = (hits[g] ?? 0) + (labels[i] === predicted[i] ? 1 : 0);
    counts[g] = (counts[g] ?? 0) + 1;
  });
  return {
    queries: [...index.keys()],
    values: Float64Array.from(hits, (h, g) => h / (counts[g] ?? 1)),
  };
}

async function runStrategy(
  options: CompareStrategiesOptions,
  selection: SelectionOutcome,
): Promise<StrategyRun> {
  const { data, stage1, gemm, progress } = options;
  const { strategy, seed } = selection;
  const tuned = await fineTuneOnSelection({
    data,
    stage1,
    picked: selection.picked,
    loss: options.loss,
    seed,
    gemm,
    stage: `stage2 ${strategy} seed ${seed}`,
    ...(options.hyperparameters === undefined ? {} : { hyperparameters: options.hyperparameters }),
    ...(progress === undefined ? {} : { progress }),
  });
  const s2 = tuned.stage2.params;
  const { decision } = await validationDecision(s2, data.idValidation, gemm);
  const oodOut = await quickMetrics(s2, data.oodTest, { gemm, decision });
  return {
    oodPerQuery: perQueryAccuracy(data.oodTest.queries, data.oodTest.labels, oodOut.predicted)
      .values,
    selection,
    alpha: tuned.alpha,
    alphaSweep: tuned.alphaSweep,
    metrics: {
      stage2: await stageMetrics(s2, data, gemm),
      stage3: await stageMetrics(tuned.stage3, data, gemm),
    },
  };
}

/**
 * Runs every strategy × seed at the same budget from one stage-1 model.
 * @returns the runs by strategy, one per seed in seed order
 */
export async function compareStrategies(
  options: CompareStrategiesOptions,
): Promise<Record<string, StrategyRun[]>> {
  const { data, strategies, seeds, progress } = options;
  progress?.({ stage: 'select', message: 'fitting the content detectors on ID train' });
  const inputs = options.inputs ?? (await selectionInputsOf(data, options.stage1, options.gemm));
  const budget = selectionBudget(options.budgetFraction, data.pool.pairs.length);
  const runs: Record<string, StrategyRun[]> = {};
  const total = strategies.length * seeds.length;
  for (const strategy of strategies) {
    for (const seed of seeds) {
      const done = Object.values(runs).flat().length;
      progress?.({ stage: 'select', message: `${strategy}, seed ${seed}`, done, total });
      const selection = await runSelection(inputs, { strategy, budget, seed });
      (runs[strategy] ??= []).push(await runStrategy(options, selection));
    }
  }
  return runs;
}
