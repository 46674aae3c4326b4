/**
 * `gradeshift evaluate --predictions` end to end, spawned as a user runs it, on small generated files (a
 * reference of 24 queries × 5 pairs, an evaluated file of 10 queries × 5 pairs with shifted embeddings): the
 * report's metrics and OOD figures against scikit-learn, the run recorded in the store, and the refusals.
 *
 * Golden values from scikit-learn 1.2.1 (Debian python3-sklearn) and NumPy 1.24.2, `/usr/bin/python3 golden.py`
 * with golden.py:
 *
 * ```python
 * import numpy as np
 * from sklearn.metrics import accuracy_score, f1_score, ndcg_score, roc_auc_score
 * x = 20261207
 * def nxt():
 *     global x
 *     x = (x * 48271) % 2147483647
 *     return x
 * def gen(side, nq, per):
 *     rows = []
 *     for q in range(nq):
 *         for j in range(per):
 *             g = nxt() % 3
 *             lg = [(nxt() % 2001 - 1000) / 500 for _ in range(3)]
 *             lg[g] += 2 if side == 'ref' else 1
 *             em = [(nxt() % 2001 - 1000) / 1000 for _ in range(4)]
 *             if side == 'eval':
 *                 em[0] += 0.75; em[1] += 0.5
 *             rows.append((f"{side} query {q}", g, np.array(lg), np.array(em)))
 *     return rows
 * ref = gen('ref', 24, 5); ev = gen('eval', 10, 5)
 * def fnv(s):
 *     h = 0x811c9dc5
 *     for b in s.encode('utf-8'):
 *         h ^= b; h = (h * 0x01000193) & 0xffffffff
 *     return h
 * keys = sorted(set(r[0] for r in ref), key=lambda k: (fnv(f"0:{k}"), k))
 * fitk = set(keys[: (len(keys) + 1) // 2])
 * fit = [r for r in ref if r[0] in fitk]; cal = [r for r in ref if r[0] not in fitk]
 * L = lambda rows: np.array([r[2] for r in rows]); E = lambda rows: np.array([r[3] for r in rows])
 * sm = lambda z: np.exp(z - z.max(1, keepdims=True)) / np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)
 * lse = lambda z: z.max(1) + np.log(np.exp(z - z.max(1, keepdims=True)).sum(1))
 * P = sm(L(ev)); y = np.array([r[1] for r in ev]); pred = P.argmax(1); expg = P @ np.arange(3)
 * print('fit', len(fit), len(fitk), 'cal', len(cal), len(keys) - len(fitk))
 * print('argmax_accuracy', accuracy_score(y, pred)); print('argmax_macro_f1', f1_score(y, pred, average='macro'))
 * print('rmse', np.sqrt(np.mean((expg - y) ** 2)))
 * qs = [r[0] for r in ev]
 * nd = [ndcg_score([y[[i for i in range(len(ev)) if qs[i] == q]]], [expg[[i for i in range(len(ev)) if qs[i] == q]]], k=10) for q in dict.fromkeys(qs)]
 * print('ndcg@10', np.mean(nd))
 * def knn(bank, z, k):
 *     nb = bank / np.linalg.norm(bank, axis=1, keepdims=True); nz = z / np.linalg.norm(z, axis=1, keepdims=True)
 *     d = np.sqrt(np.maximum(((nz[:, None, :] - nb[None, :, :]) ** 2).sum(2), 0))
 *     return np.sort(d, 1)[:, k - 1]
 * scores = {
 *   'msp': (-sm(L(cal)).max(1), -P.max(1)),
 *   'energy': (-lse(L(cal)), -lse(L(ev))),
 *   'max_logit': (-L(cal).max(1), -L(ev).max(1)),
 *   'knn': (knn(E(fit), E(cal), min(50, len(fit))), knn(E(fit), E(ev), min(50, len(fit)))),
 * }
 * for name, (i, o) in scores.items():
 *     thr = np.sort(i)[int(np.ceil(0.95 * len(i))) - 1]
 *     auroc = roc_auc_score(np.r_[np.ones(len(i)), np.zeros(len(o))], -np.r_[i, o])
 *     print(name, 'auroc', auroc, 'fpr95', np.mean(o <= thr), 'flag_rate', np.mean(o > thr))
 * ```
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openRunStore, parseRunReport, type EvaluationReport } from '@gradeshift/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { gradeshift, step, type Outcome } from './run-gradeshift';

const GRADE_NAMES = ['irrelevant', 'weak', 'strong'];

/** The generator of golden.py (MINSTD, exact in doubles), written as JSONL lines. */
function generate(): { reference: string[]; evaluated: string[] } {
  let x = 20261207;
  const next = (): number => (x = (x * 48271) % 2147483647);
  const gen = (side: 'ref' | 'eval', queries: number, per: number): string[] => {
    const lines: string[] = [];
    for (let q = 0; q < queries; q++)
      for (let j = 0; j < per; j++) {
        const g = next() % 3;
        const logits = [0, 1, 2].map(() => ((next() % 2001) - 1000) / 500);
        logits[g] = (logits[g] ?? 0) + (side === 'ref' ? 2 : 1);
        const embedding = [0, 1, 2, 3].map(() => ((next() % 2001) - 1000) / 1000);
        if (side === 'eval') {
          embedding[0] = (embedding[0] ?? 0) + 0.75;
          embedding[1] = (embedding[1] ?? 0) + 0.5;
        }
        // The true grade as a name on even items, as a 0-based index on odd ones.
        const grade = j % 2 === 0 ? GRADE_NAMES[g] : g;
        lines.push(
          JSON.stringify({
            query: `${side} query ${q}`,
            item: `item ${j}`,
            grade,
            logits,
            embedding,
          }),
        );
      }
    return lines;
  };
  return { reference: gen('ref', 24, 5), evaluated: gen('eval', 10, 5) };
}

describe('gradeshift evaluate --predictions', () => {
  let dir: string;
  let ok: Outcome;
  let report: EvaluationReport;
  const write = (name: string, lines: readonly string[]): string => {
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
    return name;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-external-'));
    const { reference, evaluated } = generate();
    write('ref.jsonl', reference);
    write('eval.jsonl', evaluated);
    ok = await step(dir, [
      'evaluate',
      '--predictions',
      'eval.jsonl',
      '--reference',
      'ref.jsonl',
      '--out',
      'runs/ext',
      '--resamples',
      '200',
    ]);
    const path = join(dir, 'runs/ext/report.json');
    const parsed = parseRunReport(JSON.parse(readFileSync(path, 'utf8')), path);
    if (parsed.kind !== 'evaluation') throw new Error('expected an evaluation report');
    report = parsed;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the graded metrics as scikit-learn computes them', () => {
    const m = report.splits['external'];
    expect(m?.n).toBe(50);
    expect(m?.queries).toBe(10);
    expect(m?.argmax?.accuracy.value).toBeCloseTo(0.7, 12);
    expect(m?.argmax?.macro_f1.value).toBeCloseTo(0.6892352382548461, 12);
    expect(m?.rmse.value).toBeCloseTo(0.71250341497835, 10);
    expect(m?.['ndcg@10'].value).toBeCloseTo(0.9193708816171406, 10);
    // Query-bootstrap intervals around each value.
    for (const name of ['accuracy', 'macro_f1', 'rmse', 'ndcg@10'] as const) {
      const e = m?.[name];
      expect(e?.lo ?? Number.NaN).toBeLessThanOrEqual(e?.value ?? Number.NaN);
      expect(e?.hi ?? Number.NaN).toBeGreaterThanOrEqual(e?.value ?? Number.NaN);
      expect((e?.hi ?? 0) - (e?.lo ?? 0)).toBeGreaterThan(0);
    }
    // The decision rule was fitted on the reference, and the decision figures follow its confusion matrix.
    expect(report.external?.decision.fit?.split).toBe('reference');
    expect(report.external?.decision.fit?.n).toBe(120);
    const cm = m?.confusion ?? [];
    const correct = cm.reduce((s, row, i) => s + (row[i] ?? 0), 0);
    expect(m?.accuracy.value).toBeCloseTo(correct / 50, 12);
  });

  it('fits the detectors on half the reference queries and calibrates them on the other half', () => {
    const ext = report.external;
    expect(ext?.output).toBe('logits');
    expect(ext?.embedding_width).toBe(4);
    expect(ext?.reference_split.fit).toEqual({ pairs: 60, queries: 12 });
    expect(ext?.reference_split.calibration).toEqual({ pairs: 60, queries: 12 });
    expect(ext?.reference_split.method).toMatch(/FNV-1a/);
    expect(ext?.knn_k).toBe(50);
    expect(Object.keys(report.ood_flag_rate).sort()).toEqual([
      'energy',
      'knn',
      'mahalanobis',
      'max_logit',
      'msp',
    ]);
    const golden = {
      msp: { auroc: 0.6033333333333333, fpr: 0.88, flag: 0.12 },
      energy: { auroc: 0.6023333333333334, fpr: 0.86, flag: 0.14 },
      max_logit: { auroc: 0.6128333333333333, fpr: 0.86, flag: 0.14 },
      knn: { auroc: 0.6066666666666666, fpr: 1.0, flag: 0.0 },
    };
    for (const [name, g] of Object.entries(golden)) {
      const d = ext?.ood_detection[name];
      expect(d?.auroc, name).toBeCloseTo(g.auroc, 12);
      expect(d?.fprAtTpr, name).toBeCloseTo(g.fpr, 12);
      expect([d?.nId, d?.nOod]).toEqual([60, 50]);
      expect(report.ood_flag_rate[name]?.flag_rate, name).toBeCloseTo(g.flag, 12);
      expect(report.ood_thresholds[name]).toBe(d?.threshold);
    }
    const maha = ext?.ood_detection['mahalanobis'];
    expect(maha?.auroc).toBeGreaterThan(0.5);
  });

  it('writes predictions.jsonl, prints the summary and records the run', () => {
    const rows = readFileSync(join(dir, 'runs/ext/predictions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; grade: number; probs: number[]; ood: object });
    expect(rows).toHaveLength(50);
    expect(rows[1]).toMatchObject({ line: 2, grade: expect.any(Number) });
    expect(Object.keys(rows[0]?.ood ?? {})).toHaveLength(5);
    expect(ok.stdout).toMatch(/^50 pairs evaluated/);
    expect(ok.stdout).toMatch(/msp +12\.0% +\(threshold .*\) +AUROC 0\.603 +FPR@95 88\.0%/);
    const store = openRunStore(join(dir, 'runs/runs.sqlite'));
    try {
      const runs = store.listRuns({});
      expect(runs.map((r) => [r.kind, r.status])).toEqual([['evaluate', 'succeeded']]);
      expect(report.run.id).toBe(runs[0]?.id);
    } finally {
      store.close();
    }
  });

  it('refuses an embedding width differing from the reference, a bad row and a missing reference', async () => {
    const { evaluated } = generate();
    const narrow = evaluated.map((l, i) => {
      const row = JSON.parse(l) as { embedding: number[] };
      return JSON.stringify({
        ...row,
        embedding: i === 0 ? row.embedding.slice(0, 3) : row.embedding,
      });
    });
    write('narrow.jsonl', narrow);
    const args = ['evaluate', '--reference', 'ref.jsonl', '--out', 'runs/bad'];
    let out = await gradeshift(dir, [...args, '--predictions', 'narrow.jsonl']);
    expect(out.code).toBe(65);
    expect(out.stderr).toContain(
      'narrow.jsonl:1: the embedding width differs from the reference: 3 numbers here, 4 in the reference',
    );
    expect(out.stderr).toMatch(/same encoder and output layer/);

    const badProbs = [
      JSON.stringify({
        query: 'q',
        item: 'i',
        grade: 0,
        logits: [1, 2, 3],
        embedding: [1, 2, 3, 4],
      }),
      JSON.stringify({ query: 'q', item: 'j', grade: 0, logits: [1, 2], embedding: [1, 2, 3, 4] }),
    ];
    write('short.jsonl', badProbs);
    out = await gradeshift(dir, [...args, '--predictions', 'short.jsonl']);
    expect(out.code).toBe(65);
    expect(out.stderr).toContain('short.jsonl:2: `logits` has 2 numbers, expected 3');

    out = await gradeshift(dir, ['evaluate', '--predictions', 'eval.jsonl']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--predictions needs --reference <file>');

    out = await gradeshift(dir, [...args, '--predictions', 'missing.jsonl']);
    expect(out.code).toBe(66);

    write('one-query.jsonl', generate().reference.slice(0, 5));
    out = await gradeshift(dir, [
      'evaluate',
      '--predictions',
      'eval.jsonl',
      '--reference',
      'one-query.jsonl',
      '--out',
      'runs/bad2',
    ]);
    expect(out.code).toBe(65);
    expect(out.stderr).toContain('one-query.jsonl: the reference holds 1 distinct query');
  }, 120_000);
});
