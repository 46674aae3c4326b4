import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { isDataError, type DataError } from '../data/data-error';
import { evaluatePredictions } from './evaluate-predictions';
import { readPredictionFile } from './read-predictions';

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

const PYTHON = '/usr/bin/python3';

/** Writes `rows` as a float32 `.npy` with NumPy (Debian's 1.24): np.save(p, np.array(rows, dtype=np.float32)). */
function npy(name: string, rows: readonly (readonly number[])[]): string {
  const path = join(dir, name);
  const script =
    'import json, sys, numpy as np\nnp.save(sys.argv[1], np.array(json.loads(sys.argv[2]), dtype=np.float32))';
  execFileSync(PYTHON, ['-c', script, path, JSON.stringify(rows)]);
  return path;
}

/** Eight reference queries with every grade; logits and 2-D embeddings that follow the grade (exact in float32). */
const refRows = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((q) =>
  [0, 1, 2].map((g) => ({
    query: `r${q}`,
    item: `i${g}`,
    grade: g,
    logits: [g === 0 ? 1 : 0, g === 1 ? 1 : 0, g === 2 ? 1 : 0],
    embedding: [g + (q % 4) / 8, 1 - g / 4 + (q % 3) / 16],
  })),
);
const evalRows = [0, 1, 2, 3].flatMap((q) =>
  [0, 1, 2].map((g) => ({
    query: `e${q}`,
    item: `j${g}`,
    grade: g,
    logits: [0.5, g / 2, 1 - g / 4],
    embedding: [3 - g + q / 8, g / 2],
  })),
);
const strip = (rows: readonly { embedding: number[] }[]) =>
  rows.map(({ embedding: _, ...rest }) => rest);

describe.skipIf(!existsSync(PYTHON))('evaluatePredictions with .npy embeddings', () => {
  it('gives the same evaluation as embeddings inline in the JSONL', async () => {
    const inline = await evaluatePredictions({
      predictions: write('eval-inline.jsonl', evalRows),
      reference: write('ref-inline.jsonl', refRows),
      resamples: 20,
    });
    const sidecar = await evaluatePredictions({
      predictions: write('eval-bare.jsonl', strip(evalRows)),
      reference: write('ref-bare.jsonl', strip(refRows)),
      embeddings: npy(
        'eval.npy',
        evalRows.map((r) => r.embedding),
      ),
      referenceEmbeddings: npy(
        'ref.npy',
        refRows.map((r) => r.embedding),
      ),
      resamples: 20,
    });
    expect(Object.keys(sidecar.detection).sort()).toEqual([
      'energy',
      'knn',
      'mahalanobis',
      'max_logit',
      'msp',
    ]);
    expect(sidecar.detection).toEqual(inline.detection);
    expect(sidecar.ood).toEqual(inline.ood);
    expect(sidecar.metrics.macro_f1).toEqual(inline.metrics.macro_f1);
  });

  it('refuses an embedding width that differs from the reference, and rows that differ from the pairs', async () => {
    const predictions = write('eval-bare2.jsonl', strip(evalRows));
    const reference = write('ref-bare2.jsonl', strip(refRows));
    const referenceEmbeddings = npy(
      'ref2.npy',
      refRows.map((r) => r.embedding),
    );
    const attempt = (embeddings: string) =>
      evaluatePredictions({
        predictions,
        reference,
        embeddings,
        referenceEmbeddings,
        resamples: 5,
      }).then(
        () => undefined,
        (e: unknown) => e as DataError,
      );
    const wide = npy(
      'wide.npy',
      evalRows.map((r) => [...r.embedding, 0]),
    );
    const e1 = await attempt(wide);
    expect(isDataError(e1, 'EMBEDDING_WIDTH')).toBe(true);
    expect(e1?.message).toContain(`embedding width 3 here, 2 in the reference ${reference}`);
    expect(e1?.hint).toMatch(/same encoder and output layer/);
    const short = npy(
      'short.npy',
      evalRows.slice(1).map((r) => r.embedding),
    );
    const e2 = await attempt(short);
    expect(isDataError(e2, 'EMBEDDING_WIDTH')).toBe(true);
    expect(e2?.message).toContain(
      `${short}: the matrix has 11 rows but ${predictions} has 12 pairs`,
    );
  });

  it('evaluates predictions given in memory as it evaluates the file', async () => {
    const predictions = write('eval-mem.jsonl', evalRows);
    const reference = write('ref-mem.jsonl', refRows);
    const fromFiles = await evaluatePredictions({ predictions, reference, resamples: 20 });
    const inMemory = await evaluatePredictions({
      predictions: await readPredictionFile(predictions),
      reference: await readPredictionFile(reference),
      resamples: 20,
    });
    expect(inMemory.detection).toEqual(fromFiles.detection);
    expect(inMemory.metrics).toEqual(fromFiles.metrics);
  });
});
