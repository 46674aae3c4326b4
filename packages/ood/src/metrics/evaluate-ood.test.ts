import { readFileSync } from 'node:fs';

import { createRng } from '@gradeshift/core/math';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { thresholdAtTpr } from '../calibration/threshold-at-tpr';
import { detectionError } from './detection-error';
import { evaluateOod } from './evaluate-ood';

interface OodCase {
  name: string;
  id_scores: number[];
  ood_scores: number[];
  tpr: number;
  auroc: number;
  aupr_in: number;
  aupr_out: number;
  threshold: number;
  tpr_achieved: number;
  fpr_at_tpr: number;
  detection_error: number;
  knn_code_fpr?: number;
}
const GOLDEN = JSON.parse(
  readFileSync(
    new URL('../../../../tests/fixtures/golden/ood-metrics.json', import.meta.url),
    'utf8',
  ),
) as { ood: OodCase[] };

describe('evaluateOod', () => {
  it('matches sklearn and the numpy rank-threshold rule', () => {
    for (const c of GOLDEN.ood) {
      const r = evaluateOod({ idScores: c.id_scores, oodScores: c.ood_scores, tpr: c.tpr });
      expect(r, c.name).toBeDeepCloseTo(
        {
          auroc: c.auroc, // roc_auc_score(is_id, -scores)
          auprIn: c.aupr_in, // average_precision_score(is_id, -scores)
          auprOut: c.aupr_out, // average_precision_score(is_ood, scores)
          fprAtTpr: c.fpr_at_tpr, // np.mean(ood <= np.sort(id)[ceil(tpr*n) - 1])
          tpr: c.tpr,
          tprAchieved: c.tpr_achieved, // np.mean(id <= threshold)
          threshold: c.threshold, // np.sort(id)[ceil(tpr*n) - 1]
          detectionError: c.detection_error, // min(0.5*(1 - tpr) + 0.5*fpr) over roc_curve(is_id, -scores)
          nId: c.id_scores.length,
          nOod: c.ood_scores.length,
        },
        { abs: 1e-14, rel: 0 },
      );
    }
  });

  it('agrees with the KNN code (threshold = known[round(0.05·n)], novel > threshold) when 0.05·n is whole and there are no ties', () => {
    const checked = GOLDEN.ood.filter(
      (c) => c.knn_code_fpr !== undefined && c.name !== 'integer-scores',
    );
    expect(checked.length).toBeGreaterThanOrEqual(2);
    for (const c of checked) {
      expect(evaluateOod({ idScores: c.id_scores, oodScores: c.ood_scores }).fprAtTpr, c.name).toBe(
        c.knn_code_fpr,
      );
    }
  });

  it('reports the threshold thresholdAtTpr returns', () => {
    for (const c of GOLDEN.ood) {
      expect(
        evaluateOod({ idScores: c.id_scores, oodScores: c.ood_scores, tpr: c.tpr }).threshold,
      ).toBe(thresholdAtTpr(c.id_scores, c.tpr));
    }
  });

  it('is 1 / 0 / 0 for a perfect detector and ½ for identical distributions', () => {
    // hand-worked: every OOD score above every ID score
    const perfect = evaluateOod({ idScores: [0, 1, 2, 3], oodScores: [5, 6] });
    expect([
      perfect.auroc,
      perfect.auprIn,
      perfect.auprOut,
      perfect.fprAtTpr,
      perfect.detectionError,
    ]).toEqual([1, 1, 1, 0, 0]);
    const same = evaluateOod({ idScores: [1, 1, 1], oodScores: [1, 1] });
    expect([same.auroc, same.fprAtTpr, same.detectionError]).toEqual([0.5, 1, 0.5]);
  });

  it('AUROC flips to 1 − AUROC when ID and OOD swap (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 1, maxLength: 30 }),
        (a, b) => {
          const ab = evaluateOod({ idScores: a, oodScores: b });
          const ba = evaluateOod({ idScores: b, oodScores: a });
          expect(ab.auroc).toBeCloseTo(1 - ba.auroc, 12);
          expect(ab.tprAchieved).toBeGreaterThanOrEqual(0.95);
          expect(ab.detectionError).toBeLessThanOrEqual(0.5);
          expect(ab.detectionError).toBeGreaterThanOrEqual(0);
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects bad input naming the argument', () => {
    expect(() => evaluateOod({ idScores: [], oodScores: [1] })).toThrow(
      'idScores must not be empty',
    );
    expect(() => evaluateOod({ idScores: [1], oodScores: [] })).toThrow(
      'oodScores must not be empty',
    );
    expect(() => evaluateOod({ idScores: [1, Number.NaN], oodScores: [1] })).toThrow(
      'idScores[1] must be finite',
    );
    expect(() => evaluateOod({ idScores: [1], oodScores: [Infinity] })).toThrow(
      'oodScores[0] must be finite',
    );
    expect(() => evaluateOod({ idScores: [1], oodScores: [2], tpr: 0 })).toThrow(
      'tpr must be in (0, 1]',
    );
  });
});

describe('detectionError', () => {
  it('finds the best threshold of two separated blobs', () => {
    const rng = createRng(1);
    const id = Array.from({ length: 300 }, () => rng.normal());
    const ood = Array.from({ length: 300 }, () => rng.normal() + 10);
    const { error, threshold } = detectionError(id, ood);
    expect(error).toBe(0);
    expect(threshold).toBe(Math.max(...id));
  });

  it('returns ½ and the largest score when nothing beats chance', () => {
    // OOD entirely below ID: keeping anything adds false positives before true ones
    expect(detectionError([5, 6], [1, 2])).toEqual({ error: 0.5, threshold: 6 });
  });
});
