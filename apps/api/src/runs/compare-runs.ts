/**
 * Two runs side by side: every stored metric of both with the difference, and a paired test over the queries
 * both runs scored in one split: per-query NDCG@10 of each run's expected grades, compared with core's paired
 * t-test, sign-flip test and bootstrap (the same test report.json uses for the selection comparison).
 */
import { comparePaired, meanNdcg } from '@gradeshift/core';
import type { RunRecord } from '@gradeshift/pipeline';

import type { PredictionRow } from './prediction-rows';
import type { RunDetail } from './run-reader';

/** One metric of both runs. */
export interface ComparedMetric {
  readonly stage: string;
  readonly split: string;
  readonly name: string;
  readonly a: { value: number; lo: number | null; hi: number | null } | null;
  readonly b: { value: number; lo: number | null; hi: number | null } | null;
  /** b − a, when both have it. */
  readonly difference: number | null;
}

/** The paired test over shared queries. */
export interface PairedQueryTest {
  readonly unit: string;
  readonly split: string;
  readonly queries: number;
  readonly meanA: number;
  readonly meanB: number;
  /** Mean of b − a over the shared queries. */
  readonly meanDifference: number;
  readonly tTestP: number;
  readonly signFlipP: number;
  /** 95% paired-bootstrap interval of the mean difference. */
  readonly bootstrapCi: [number, number];
}

/** The comparison. */
export interface RunComparison {
  readonly a: RunRecord;
  readonly b: RunRecord;
  readonly metrics: ComparedMetric[];
  /** null when fewer than two labelled queries are shared; `note` says why. */
  readonly paired: PairedQueryTest | null;
  readonly note: string | null;
}

/** Per-query NDCG@10 of a split's labelled rows, by query text. */
function perQueryNdcg(rows: readonly PredictionRow[], split: string): Map<string, number> {
  const kept = rows.filter((r) => r.split === split && r.grade !== null);
  if (kept.length === 0) return new Map();
  const result = meanNdcg(
    {
      scores: kept.map((r) => r.expected),
      labels: kept.map((r) => r.grade ?? 0),
      queryIds: kept.map((r) => r.query),
    },
    { k: 10 },
  );
  return new Map(result.queryIds.map((q, i) => [String(q), result.perQuery[i] ?? 0]));
}

interface Side {
  detail: RunDetail;
  rows: readonly PredictionRow[];
}

function metricTable(a: RunDetail, b: RunDetail): ComparedMetric[] {
  const key = (m: { stage: string; split: string; name: string }) =>
    `${m.stage}\u0000${m.split}\u0000${m.name}`;
  const table = new Map<string, ComparedMetric>();
  const put = (side: 'a' | 'b', metrics: RunDetail['metrics']) => {
    for (const m of metrics) {
      const k = key(m);
      const row = table.get(k) ?? {
        stage: m.stage,
        split: m.split,
        name: m.name,
        a: null,
        b: null,
        difference: null,
      };
      table.set(k, { ...row, [side]: { value: m.value, lo: m.lo ?? null, hi: m.hi ?? null } });
    }
  };
  put('a', a.metrics);
  put('b', b.metrics);
  return [...table.values()].map((row) => ({
    ...row,
    difference: row.a !== null && row.b !== null ? row.b.value - row.a.value : null,
  }));
}

/**
 * Compares two runs.
 * @param a - the first run and its rows
 * @param b - the second run and its rows
 * @param options - the split whose queries are paired
 */
export function compareRuns(a: Side, b: Side, options: { split: string }): RunComparison {
  const { split } = options;
  const na = perQueryNdcg(a.rows, split);
  const nb = perQueryNdcg(b.rows, split);
  const shared = [...na.keys()].filter((q) => nb.has(q));
  const base = { a: a.detail.run, b: b.detail.run, metrics: metricTable(a.detail, b.detail) };
  if (shared.length < 2) {
    return {
      ...base,
      paired: null,
      note: `the runs share ${shared.length} labelled ${split} queries; the paired test needs at least 2`,
    };
  }
  const va = Float64Array.from(shared, (q) => na.get(q) ?? 0);
  const vb = Float64Array.from(shared, (q) => nb.get(q) ?? 0);
  const c = comparePaired(vb, va, { signFlip: { seed: 0 }, bootstrap: { seed: 0 } });
  const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;
  return {
    ...base,
    paired: {
      unit: `query of ${split} scored by both runs; value = NDCG@10 of the run's expected grades`,
      split,
      queries: shared.length,
      meanA: mean(va),
      meanB: mean(vb),
      meanDifference: c.meanDifference,
      tTestP: c.tTest.pValue,
      signFlipP: c.signFlip.pValue,
      bootstrapCi: [c.bootstrap.lower, c.bootstrap.upper],
    },
    note: null,
  };
}
