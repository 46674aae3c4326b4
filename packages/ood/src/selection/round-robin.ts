import type { MatrixLike } from '@gradeshift/core/math';

/** Input of {@link pickRoundRobin}. @internal */
export interface RoundRobinOptions {
  /** Candidate positions `0..m-1`, already in preference order. */
  count: number;
  /** Cluster of each candidate position. */
  assignments: Int32Array;
  /** m × d unit-norm features of the candidates (cosine = dot product). */
  unit: MatrixLike;
  budget: number;
  /** Skip a candidate whose cosine to an already-picked one exceeds this. */
  dedupeCosine: number;
}

/** Result of {@link pickRoundRobin}. @internal */
export interface RoundRobinResult {
  /** Picked candidate positions, in pick order. */
  picked: number[];
  /** Candidates skipped as near-duplicates of an earlier pick. */
  skippedDuplicates: number;
}

/**
 * Takes candidates round-robin across clusters, best candidate first within each cluster; clusters are
 * visited in the order of their best candidate. A candidate too similar (cosine > `dedupeCosine`) to one
 * already picked is skipped for good. Stops at `budget` picks or when every cluster is exhausted.
 * @internal
 */
export function pickRoundRobin(options: RoundRobinOptions): RoundRobinResult {
  const { count, assignments, unit, budget, dedupeCosine } = options;
  // Queues per cluster, in candidate order; cluster order follows first appearance.
  const queues = new Map<number, number[]>();
  for (let p = 0; p < count; p++) {
    const c = assignments[p] ?? 0;
    const q = queues.get(c);
    if (q === undefined) queues.set(c, [p]);
    else q.push(p);
  }
  const lists = [...queues.values()];
  const heads = new Array<number>(lists.length).fill(0);
  const picked: number[] = [];
  let skippedDuplicates = 0;
  const d = unit.cols;
  const isNearDuplicate = (p: number): boolean =>
    picked.some((q) => {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += (unit.data[p * d + t] ?? 0) * (unit.data[q * d + t] ?? 0);
      return dot > dedupeCosine;
    });
  let progressed = true;
  while (picked.length < budget && progressed) {
    progressed = false;
    for (const [c, list] of lists.entries()) {
      if (picked.length >= budget) break;
      // Advance this cluster's head past near-duplicates until one candidate is taken.
      let h = heads[c] ?? 0;
      while (h < list.length) {
        const p = list[h] ?? 0;
        h++;
        if (isNearDuplicate(p)) {
          skippedDuplicates++;
          continue;
        }
        picked.push(p);
        progressed = true;
        break;
      }
      heads[c] = h;
    }
  }
  return { picked, skippedDuplicates };
}
