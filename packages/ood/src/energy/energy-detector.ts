import type { DetectorFitInput, FittedStateBase, OodDetector } from '../detector';
import { createLogitDetector, settled } from '../logit-scores/logit-detector';
import { resolveNumClasses } from '../logit-scores/num-classes';
import { assertTemperature, energyScores } from './energy-score';

/** Format version of {@link EnergyState}. */
export const ENERGY_STATE_VERSION = 1;

/** The fitted state of an energy detector: the temperature and K. */
export interface EnergyState extends FittedStateBase<'energy'> {
  readonly version: typeof ENERGY_STATE_VERSION;
  /** Temperature T > 0. */
  temperature: number;
  /** Number of classes K (logit width). */
  numClasses: number;
}

/** Options for {@link fitEnergy}. */
export interface FitEnergyOptions {
  /** Temperature T > 0; the paper's code sweeps T and finds large T hurts. @default 1 */
  temperature?: number;
  /** K, needed when `input.logits` is absent. @default logits.cols */
  numClasses?: number;
}

/**
 * Builds an energy detector from its state (used by {@link fitEnergy} and `loadDetector`).
 * @param state - `{ kind: 'energy', version, temperature, numClasses }`
 * @see https://arxiv.org/abs/2010.03759
 */
export function createEnergyDetector(state: EnergyState): OodDetector<EnergyState> {
  const { temperature, numClasses } = state;
  return createLogitDetector(
    { kind: 'energy', version: ENERGY_STATE_VERSION, temperature, numClasses },
    (logits) => energyScores(logits, temperature),
  );
}

/**
 * "Fits" the energy OOD detector of Liu, Wang, Owens & Li (NeurIPS 2020): it records T and K; the score is the
 * free energy `E = −T · logsumexp(z / T)` (see {@link energyScores}), higher = more OOD.
 * @param input - optional ID logits, whose width fixes K
 * @param options - temperature and K
 * @throws RangeError for a non-positive temperature
 * @example
 * const detector = await fitEnergy({}, { numClasses: 3, temperature: 1 });
 * const scores = await detector.score({ logits });
 * @see https://arxiv.org/abs/2010.03759
 * @see https://github.com/wetliu/energy_ood
 */
export function fitEnergy(
  input: DetectorFitInput = {},
  options: FitEnergyOptions = {},
): Promise<OodDetector<EnergyState>> {
  return settled(() => {
    const { temperature = 1 } = options;
    assertTemperature(temperature);
    const numClasses = resolveNumClasses(input, options.numClasses);
    return createEnergyDetector({
      kind: 'energy',
      version: ENERGY_STATE_VERSION,
      temperature,
      numClasses,
    });
  });
}
