/**
 * Polyak averaging of the weights: an exponential moving average θ̄ ← d_t·θ̄ + (1 − d_t)·θ with a warm-up
 * decay d_t = min(d, (1 + t)/(10 + t)) (t = steps taken), so early steps are not dominated by the initial weights.
 * @see https://doi.org/10.1137/0330046 (Polyak & Juditsky 1992)
 */
import type { TrainableParamName } from '../scorer/param-names';
import type { ScorerParams } from '../scorer/params';

/**
 * The decay d_t after `steps` steps.
 * @example averageDecayAt(0.999, 1) // 2 / 11
 */
export function averageDecayAt(decay: number, steps: number): number {
  return Math.min(decay, (1 + steps) / (10 + steps));
}

/** θ̄ ← d·θ̄ + (1 − d)·θ for each named tensor of `averaged`, θ read from `params`. */
export function averageParamsInPlace(
  averaged: ScorerParams,
  params: ScorerParams,
  update: { readonly names: readonly TrainableParamName[]; readonly decay: number },
): void {
  const d = update.decay;
  for (const name of update.names) {
    const avg = averaged[name].data;
    const cur = params[name].data;
    for (let i = 0; i < avg.length; i++) avg[i] = d * (avg[i] ?? 0) + (1 - d) * (cur[i] ?? 0);
  }
}
