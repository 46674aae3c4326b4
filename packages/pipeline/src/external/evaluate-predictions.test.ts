import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { isDataError } from '../data/data-error';
import { evaluatePredictions } from './evaluate-predictions';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-evaluate-predictions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, rows: readonly object[]): string {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

const THRESHOLDS = { kind: 'thresholds', edges: [1.75, 2.33], range: [1, 3] } as const;

// Every reference query has a pair with top probability 0.55, so either half's lowest top probability is 0.55.
const reference = write(
  'ref.jsonl',
  [0, 1, 2, 3].flatMap((q) => [
    { query: `r${q}`, item: 'x', grade: 1, probs: [0.55, 0.3, 0.15] },
    { query: `r${q}`, item: 'y', grade: 2, probs: [0.2, 0.6, 0.2] },
    { query: `r${q}`, item: 'z', grade: 3, probs: [0.1, 0.2, 0.7] },
  ]),
);
const evaluated = write('eval.jsonl', [
  { query: 'a', item: 'p', grade: 3, probs: [0.1, 0.15, 0.75] },
  { query: 'a', item: 'q', grade: 1, probs: [0.65, 0.25, 0.1] },
  { query: 'b', item: 'r', grade: 2, probs: [0.5, 0.4, 0.1] },
  { query: 'b', item: 's', grade: 2.5, probs: [0.2, 0.5, 0.3] },
]);

describe('evaluatePredictions', () => {
  it('measures probabilities without embeddings: MSP only, ratings on the grade axis for RMSE', async () => {
    const r = await evaluatePredictions({
      predictions: evaluated,
      reference,
      mapping: THRESHOLDS,
      resamples: 50,
    });
    expect(r.pairs).toBe(4);
    expect(r.queries).toBe(2);
    // Arg-max grades 2, 0, 0, 1 against true grades 2, 0, 1, 2.
    expect(r.metrics.argmax?.accuracy.value ?? r.metrics.accuracy.value).toBeCloseTo(0.5, 12);
    // Expected grades 1.65, 0.45, 0.6, 1.1 against ratings on [0, 2]: 2, 0, 1, 1.5.
    // numpy: np.sqrt(np.mean((np.array([1.65,0.45,0.6,1.1]) - np.array([2,0,1,1.5]))**2))
    expect(r.metrics.rmse.value).toBeCloseTo(0.40155946010522525, 12);
    expect(Object.keys(r.ood)).toEqual(['msp']);
    // MSP = −max p: the calibration half's scores −0.55, −0.6, −0.7 (twice); threshold −0.55 (6 of 6 kept).
    expect(r.ood['msp']?.threshold).toBeCloseTo(-0.55, 12);
    expect(r.ood['msp']?.flag_rate).toBe(0.5);
    // sklearn 1.2.1: roc_auc_score([1]*6+[0]*4, [0.55,0.6,0.7]*2+[0.75,0.65,0.5,0.5]) = 0.5833333333333334
    expect(r.detection['msp']?.auroc).toBeCloseTo(0.5833333333333334, 12);
    expect(r.detection['msp']?.fprAtTpr).toBe(0.5);
  });

  it('refuses a reference whose fitting half lacks a grade when Mahalanobis needs it', async () => {
    const rows = [0, 1, 2, 3].flatMap((q) => [
      { query: `r${q}`, item: 'x', grade: q < 2 ? 0 : 2, logits: [1, 0, 0], embedding: [q, 1] },
      { query: `r${q}`, item: 'y', grade: q < 2 ? 0 : 2, logits: [0, 0, 1], embedding: [1, q] },
    ]);
    const ref = write('ref-two-grades.jsonl', rows);
    const error = await evaluatePredictions({
      predictions: ref,
      reference: ref,
      resamples: 10,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDataError(error, 'BAD_PREDICTION')).toBe(true);
    expect((error as Error).message).toMatch(
      /ref-two-grades\.jsonl: Mahalanobis cannot be fitted on the reference's fitting half/,
    );
  });
});
