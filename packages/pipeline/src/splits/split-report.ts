/**
 * The split report: for every split the number of pairs and queries, the grade mix (counts and fractions) and
 * the domains (departments, clusters or categories) its pairs' queries belong to.
 */
import type { GradeScale } from '@gradeshift/core';

import type { LabeledPair } from '../data/dataset';
import { normalizeQuery } from './query-groups';
import type { AnySplitName, ShiftStrategy } from './types';

/** Grade counts and fractions, index = grade. */
export interface GradeMix {
  readonly counts: readonly number[];
  readonly fractions: readonly number[];
}

/** One split's summary. */
export interface SplitSummary {
  readonly name: AnySplitName;
  readonly pairs: number;
  readonly queries: number;
  readonly grades: GradeMix;
  /** Pairs per domain of their query, largest first. */
  readonly domains: Readonly<Record<string, number>>;
}

/** The whole report. */
export interface SplitReport {
  readonly strategy: ShiftStrategy['kind'];
  readonly seed: number;
  /** Grade names, index = grade. */
  readonly gradeNames: readonly string[];
  /** Held-out (out-of-distribution) domains. */
  readonly heldOut: readonly string[];
  readonly totalPairs: number;
  readonly totalQueries: number;
  /** Fraction of all pairs on the shifted side (pool + OOD test). */
  readonly oodPairFraction: number;
  /** One summary per split, in the order id_train, id_validation, id_test, pool, ood_test. */
  readonly splits: readonly SplitSummary[];
}

/** Options for {@link summarizeSplit}. */
export interface SummarizeSplitOptions {
  readonly scale: GradeScale;
  /** Domain name of a normalised query. */
  readonly domainOf: (queryKey: string) => string;
}

/** Summarises the pairs of one split (the pool's too: the report is for people, selection never reads it). */
export function summarizeSplit(
  name: AnySplitName,
  pairs: readonly LabeledPair[],
  options: SummarizeSplitOptions,
): SplitSummary {
  const k = options.scale.grades.length;
  const counts = new Array<number>(k).fill(0);
  const queries = new Set<string>();
  const domains = new Map<string, number>();
  for (const p of pairs) {
    counts[p.grade] = (counts[p.grade] ?? 0) + 1;
    const key = normalizeQuery(p.query);
    queries.add(key);
    const d = options.domainOf(key);
    domains.set(d, (domains.get(d) ?? 0) + 1);
  }
  const sorted = [...domains].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    name,
    pairs: pairs.length,
    queries: queries.size,
    grades: { counts, fractions: counts.map((c) => (pairs.length === 0 ? 0 : c / pairs.length)) },
    domains: Object.fromEntries(sorted),
  };
}

/** A plain-text table of the report (one line per split: pairs, queries, grade counts and percentages). */
export function formatSplitReport(report: SplitReport): string {
  const head = ['split', 'pairs', 'queries', ...report.gradeNames]
    .map((h) => h.padStart(14))
    .join('');
  const rows = report.splits.map((s) => {
    const mix = s.grades.counts.map(
      (c, g) => `${c} (${((s.grades.fractions[g] ?? 0) * 100).toFixed(1)}%)`,
    );
    return [s.name, String(s.pairs), String(s.queries), ...mix].map((c) => c.padStart(14)).join('');
  });
  const title = `${report.strategy} shift, seed ${report.seed}, held out: ${report.heldOut.join(', ')} (${(report.oodPairFraction * 100).toFixed(1)}% of pairs)`;
  return [title, head, ...rows].join('\n');
}
