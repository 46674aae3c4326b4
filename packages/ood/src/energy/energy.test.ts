import { readFileSync } from 'node:fs';

import { matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { isOodError } from '../errors';
import { fitEnergy } from './energy-detector';
import { energyScores } from './energy-score';

interface Golden {
  logits: number[][];
  energy: { temperature: number; scores: number[] }[];
}
const golden = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/detectors.json', import.meta.url),
    'utf8',
  ),
) as Golden;
const logits = matrixFromRows(golden.logits);

describe('energyScores', () => {
  for (const { temperature, scores } of golden.energy) {
    it(`T = ${temperature}: −T·scipy.special.logsumexp(z / T, axis=1), huge logits included`, () => {
      expect(energyScores(logits, temperature)).toBeDeepCloseTo(scores, { abs: 1e-12, rel: 1e-14 });
    });
  }

  it('hand-worked: z = [0, 0], T = 1 → −log 2; a tiny T tends to −max z without overflow', () => {
    expect(energyScores(matrixFromRows([[0, 0]]))[0]).toBeCloseTo(-Math.LN2, 15);
    // z / T would be 3e300 here; the max-shifted form never builds it.
    expect(energyScores(matrixFromRows([[3, 1]]), 1e-300)[0]).toBe(-3);
  });

  it('rejects a non-positive or non-finite temperature', () => {
    expect(() => energyScores(logits, 0)).toThrow(RangeError);
    expect(() => energyScores(logits, Number.NaN)).toThrow(RangeError);
  });
});

describe('fitEnergy', () => {
  it('records T and K; higher score = more OOD (a confident row has lower energy)', async () => {
    const detector = await fitEnergy({ logits }, { temperature: 2.5 });
    expect(detector.toJSON()).toEqual({
      kind: 'energy',
      version: 1,
      temperature: 2.5,
      numClasses: 3,
    });
    const [confident, flat] = await detector.score({
      logits: matrixFromRows([
        [10, 0, 0],
        [0, 0, 0],
      ]),
    });
    expect(confident!).toBeLessThan(flat!);
  });

  it('rejects NaN logits (RangeError), a wrong width (SHAPE_MISMATCH) and a missing K', async () => {
    const detector = await fitEnergy({}, { numClasses: 3 });
    await expect(detector.score({ logits: matrixFromRows([[0, Number.NaN, 1]]) })).rejects.toThrow(
      RangeError,
    );
    const error: unknown = await detector
      .score({ logits: matrixFromRows([[0, 1]]) })
      .catch((e: unknown) => e);
    expect(isOodError(error, 'SHAPE_MISMATCH')).toBe(true);
    expect(String(error)).toMatch(/3 columns.*got 2/);
    await expect(fitEnergy({})).rejects.toThrow(TypeError);
    await expect(fitEnergy({}, { numClasses: 3, temperature: -1 })).rejects.toThrow(RangeError);
    await expect(detector.score({ features: logits })).rejects.toThrow(/needs input\.logits/);
  });
});
