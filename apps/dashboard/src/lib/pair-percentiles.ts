/**
 * Where a pair's OOD scores fall among the run's ID test pairs: per detector the share of ID test scores at or
 * below the pair's (core's `idPercentiles`, the rule the selection's fused percentile uses), from the test rows
 * the Detectors view caches.
 */
import { idPercentiles } from '@gradeshift/core';

import type { TestRows } from './test-rows';

/** Per detector, the pair's ID test percentile (null without ID test scores). */
export function pairPercentiles(
  rows: TestRows,
  ood: Readonly<Record<string, number>>,
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, score] of Object.entries(ood)) {
    const column = rows.scores[name];
    const id =
      column === undefined
        ? []
        : Array.from(column).filter((s, i) => rows.split[i] === 'id' && Number.isFinite(s));
    out[name] =
      id.length === 0 || !Number.isFinite(score)
        ? null
        : (idPercentiles(
            id.sort((a, b) => a - b),
            [score],
          )[0] ?? null);
  }
  return out;
}
