import { assertFiniteNumber, type MatrixLike } from '@gradeshift/core/math';

import { rowMax } from '../logit-scores/logit-detector';

/**
 * Free energy per row, `E(z; T) = −T · log Σ_c exp(z_c / T)` (Liu et al. 2020). In-distribution samples have
 * lower energy, so E itself is the OOD score (higher = more OOD); the paper's confidence is −E.
 * Computed as `−(m + T · log Σ_c exp((z_c − m) / T))` with m = max z: every exp is in (0, 1], and z / T is never
 * formed, so neither huge logits nor a tiny T can overflow. Matches `-T * scipy.special.logsumexp(z / T, axis=1)`
 * (wetliu/energy_ood `-(T * torch.logsumexp(output / T, dim=1))`).
 * @param logits - n × K finite logits
 * @param temperature - T > 0 @default 1
 * @returns n energies
 * @throws RangeError when T is not a finite positive number
 * @see https://arxiv.org/abs/2010.03759
 */
export function energyScores(logits: MatrixLike, temperature = 1): Float64Array {
  assertTemperature(temperature);
  const { rows, cols, data } = logits;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const m = rowMax(data, i * cols, cols);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(((data[i * cols + j] ?? m) - m) / temperature);
    out[i] = -(m + temperature * Math.log(s));
  }
  return out;
}

/** Throws a RangeError unless `temperature` is a finite number > 0. */
export function assertTemperature(temperature: number): void {
  assertFiniteNumber(temperature, 'temperature');
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0 (got ${temperature})`);
}
