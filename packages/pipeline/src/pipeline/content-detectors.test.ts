/**
 * Content-space detectors on a synthetic shift with a known answer: ID pairs about one topic (directions
 * near e₁) with familiar words (low surprisal), far-OOD pairs about another topic (near e₂) with unseen words.
 * Fitted on ID train only, every content score must rank the far pairs above ID test, and the fused score
 * must be the mean of the members' ID-validation percentiles (the pair surprisal is not a member).
 */
import { evaluateOod, fitPercentileCalibration } from '@gradeshift/ood';
import { createRng } from '@gradeshift/core/math';
import type { ContentFeatures } from '@gradeshift/core';
import { describe, expect, it } from 'vitest';

import {
  CONTENT_SCORE_NAMES,
  fitContentDetectors,
  FUSED_MEMBERS,
  scoreContent,
} from './content-detectors';

const D = 6;

function synthetic(n: number, topic: number, surprisal: number, seed: number): ContentFeatures {
  const rng = createRng(seed);
  const data = new Float64Array(n * 2 * D);
  for (let i = 0; i < n; i++) {
    for (let side = 0; side < 2; side++) {
      const row = new Float64Array(D).map(() => 0.15 * rng.normal());
      row[topic] = (row[topic] ?? 0) + 1;
      const norm = Math.sqrt(row.reduce((a, v) => a + v * v, 0));
      for (let j = 0; j < D; j++) data[i * 2 * D + side * D + j] = (row[j] ?? 0) / norm;
    }
  }
  return {
    content: { rows: n, cols: 2 * D, data },
    surprisal: Float64Array.from({ length: n }, () => surprisal + 0.5 * rng.normal()),
    pairSurprisal: Float64Array.from({ length: n }, () => surprisal + 0.4 * rng.normal()),
  };
}

describe('content detectors on a synthetic shift', () => {
  it('separate another topic with unseen words from ID traffic, fitted on ID only', async () => {
    const train = { content: synthetic(400, 0, 2, 1) };
    const validation = { content: synthetic(200, 0, 2, 2) };
    const test = { content: synthetic(200, 0, 2, 3) };
    const far = { content: synthetic(200, 1, 5, 4) };
    const detectors = await fitContentDetectors(train, { seed: 0 });
    const reference = await scoreContent(detectors, validation);
    const idScores = await scoreContent(detectors, test, { reference });
    const farScores = await scoreContent(detectors, far, { reference });
    for (const name of CONTENT_SCORE_NAMES) {
      const { auroc } = evaluateOod({ idScores: idScores[name], oodScores: farScores[name] });
      expect(auroc, name).toBeGreaterThan(0.95);
    }
    // Fused = mean of the members' percentiles among the ID-validation scores.
    const percentiles = FUSED_MEMBERS.map((m) =>
      fitPercentileCalibration(reference[m]).percentiles(farScores[m]),
    );
    const expected = Array.from(
      { length: 200 },
      (_, i) => percentiles.reduce((a, p) => a + (p[i] ?? 0), 0) / percentiles.length,
    );
    expect(Array.from(farScores.fused)).toBeDeepCloseTo(expected, { abs: 1e-12 });
    // The pair surprisal is read as prepared and is not a fused member (selection reads the members).
    expect(FUSED_MEMBERS).not.toContain('pair_surprisal');
    expect(farScores.pair_surprisal).toEqual(far.content.pairSurprisal);
  });

  it('keeps ID test at chance against fresh ID rows (no shift, no signal)', async () => {
    const detectors = await fitContentDetectors({ content: synthetic(400, 0, 2, 5) });
    const reference = await scoreContent(detectors, { content: synthetic(300, 0, 2, 6) });
    const a = await scoreContent(detectors, { content: synthetic(300, 0, 2, 7) }, { reference });
    const b = await scoreContent(detectors, { content: synthetic(300, 0, 2, 8) }, { reference });
    for (const name of CONTENT_SCORE_NAMES) {
      const { auroc } = evaluateOod({ idScores: a[name], oodScores: b[name] });
      expect(auroc, name).toBeGreaterThan(0.4);
      expect(auroc, name).toBeLessThan(0.6);
    }
  });

  it('refuses a split prepared without content features or without the pair surprisal', async () => {
    await expect(fitContentDetectors({})).rejects.toThrow(/no content features/);
    const { pairSurprisal: _, ...old } = synthetic(50, 0, 2, 9);
    const detectors = await fitContentDetectors({ content: synthetic(100, 0, 2, 10) });
    await expect(scoreContent(detectors, { content: old })).rejects.toThrow(/no pair surprisal/);
  });
});
