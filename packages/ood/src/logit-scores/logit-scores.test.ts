import { readFileSync } from 'node:fs';

import { matrixFromRows } from '@gradeshift/core/math';
import { describe, expect, it } from 'vitest';

import { isOodError } from '../errors';
import { fitMaxLogit, maxLogitScores } from './max-logit';
import { fitMsp, mspScores } from './msp';

interface Golden {
  logits: number[][];
  msp: number[];
  maxLogit: number[];
}
const golden = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/detectors.json', import.meta.url),
    'utf8',
  ),
) as Golden;
const logits = matrixFromRows(golden.logits);

describe('MSP and max-logit scores', () => {
  it('msp = −scipy.special.softmax(z, axis=1).max(axis=1)', () => {
    expect(mspScores(logits)).toBeDeepCloseTo(golden.msp, { abs: 1e-15, rel: 1e-14 });
  });

  it('max-logit = −numpy.max(z, axis=1)', () => {
    expect(maxLogitScores(logits)).toEqual(Float64Array.from(golden.maxLogit));
  });

  it('hand-worked: uniform logits give MSP −1/K; MSP is shift-invariant, max-logit is not', () => {
    expect(mspScores(matrixFromRows([[5, 5, 5, 5]]))[0]).toBe(-0.25);
    const shifted = matrixFromRows(golden.logits.map((r) => r.map((v) => v + 100)));
    expect(mspScores(shifted)).toBeDeepCloseTo(golden.msp, { abs: 1e-12 });
    expect(maxLogitScores(shifted)).toBeDeepCloseTo(
      golden.maxLogit.map((v) => v - 100),
      { abs: 1e-12 },
    );
  });
});

describe('fitMsp / fitMaxLogit', () => {
  it('take K from the logits or from numClasses, and refuse a disagreement', async () => {
    expect((await fitMsp({ logits })).toJSON()).toEqual({ kind: 'msp', version: 1, numClasses: 3 });
    expect((await fitMaxLogit({}, { numClasses: 4 })).toJSON()).toEqual({
      kind: 'max-logit',
      version: 1,
      numClasses: 4,
    });
    const error: unknown = await fitMsp({ logits }, { numClasses: 4 }).catch((e: unknown) => e);
    expect(isOodError(error, 'SHAPE_MISMATCH')).toBe(true);
    await expect(fitMaxLogit()).rejects.toThrow(TypeError);
  });

  it('score through the detector, rejecting NaN and a wrong width', async () => {
    const msp = await fitMsp({ logits });
    expect(await msp.score({ logits })).toBeDeepCloseTo(golden.msp, { abs: 1e-15, rel: 1e-14 });
    const maxLogit = await fitMaxLogit({ logits });
    expect(await maxLogit.score({ logits })).toEqual(Float64Array.from(golden.maxLogit));
    await expect(msp.score({ logits: matrixFromRows([[Infinity, 0, 0]]) })).rejects.toThrow(
      RangeError,
    );
    const error: unknown = await maxLogit
      .score({ logits: matrixFromRows([[1, 2, 3, 4]]) })
      .catch((e: unknown) => e);
    expect(isOodError(error, 'SHAPE_MISMATCH')).toBe(true);
  });
});
