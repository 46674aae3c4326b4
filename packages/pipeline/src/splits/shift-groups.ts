/**
 * Shift strategies: give every query group a domain name (a category, a department or a topic cluster) and
 * decide which domains are held out as the shifted, out-of-distribution side. A domain is chosen per query,
 * never per pair, so that all splits stay query-disjoint:
 * - `category`: the most frequent category among the query's pairs that have one (ties: the alphabetically
 *   first; `(none)` when none has one);
 * - `department`: each item title is matched against the taxonomy, and the query takes the most frequent
 *   department among its items, ignoring the fallback (`other`) unless no item matched (ties: taxonomy order);
 * - `query-cluster`: seeded k-means on hashed character trigrams of the normalised query, clusters renumbered
 *   by size (0 the largest; ties by first appearance).
 */
import type { LabeledPair } from '../data/dataset';
import { HOMEDEPOT_TAXONOMY } from './homedepot-taxonomy';
import { sparseKMeans } from './kmeans';
import { hashedTrigrams } from './query-features';
import type { QueryGroup } from './query-groups';
import { createDepartmentMatcher } from './taxonomy';
import type { CategoryShift, DepartmentShift, QueryClusterShift, ShiftStrategy } from './types';

/** The domain of each query group and the held-out domains. */
export interface ShiftAssignment {
  /** Domain name of each query group (same order as the groups). */
  readonly groupOf: readonly string[];
  /** Held-out domain names. */
  readonly heldOut: readonly string[];
  /** Every domain name the strategy knows, in its natural order. */
  readonly domains: readonly string[];
}

function majority(
  counts: ReadonlyMap<string, number>,
  order: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const name of order) {
    const c = counts.get(name) ?? 0;
    if (c > bestCount) {
      best = name;
      bestCount = c;
    }
  }
  return best;
}

function checkHeldOut(
  heldOut: readonly string[],
  known: readonly string[],
  what: 'category' | 'department',
): void {
  for (const h of heldOut) {
    if (!known.includes(h)) {
      const shown = known.slice(0, 40).join(', ') + (known.length > 40 ? ', …' : '');
      throw new RangeError(
        `held-out ${what} "${h}" does not occur (${what === 'category' ? 'categories' : 'departments'}: ${shown})`,
      );
    }
  }
}

function byCategory(
  pairs: readonly LabeledPair[],
  groups: readonly QueryGroup[],
  shift: CategoryShift,
): ShiftAssignment {
  const none = '(none)';
  const all = new Set<string>();
  for (const p of pairs) if (p.category !== undefined) all.add(p.category);
  if (all.size === 0)
    throw new RangeError(
      "the 'category' shift needs a category column, and no pair has a category (map columns.category, or use 'department' or 'query-cluster')",
    );
  const domains = [...all].sort();
  const groupOf = groups.map((g) => {
    const counts = new Map<string, number>();
    for (const i of g.pairIndices) {
      const c = pairs[i]?.category ?? none;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    return majority(counts, domains) ?? none;
  });
  const heldOut = shift.heldOut.map((h) => h.normalize('NFC').trim());
  checkHeldOut(heldOut, domains, 'category');
  return { groupOf, heldOut, domains: groupOf.includes(none) ? [...domains, none] : domains };
}

function byDepartment(
  pairs: readonly LabeledPair[],
  groups: readonly QueryGroup[],
  shift: DepartmentShift,
): ShiftAssignment {
  const taxonomy = shift.taxonomy ?? HOMEDEPOT_TAXONOMY;
  const matcher = createDepartmentMatcher(taxonomy);
  const memo = new Map<string, string>();
  const departmentOf = (item: string): string => {
    let d = memo.get(item);
    if (d === undefined) {
      d = matcher.match(item);
      memo.set(item, d);
    }
    return d;
  };
  const named = matcher.ids.filter((id) => id !== taxonomy.fallback);
  const groupOf = groups.map((g) => {
    const counts = new Map<string, number>();
    for (const i of g.pairIndices) {
      const d = departmentOf(pairs[i]?.item ?? '');
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    return majority(counts, named) ?? taxonomy.fallback;
  });
  const heldOut = shift.heldOut ?? taxonomy.defaultHeldOut;
  checkHeldOut(heldOut, matcher.ids, 'department');
  return { groupOf, heldOut, domains: matcher.ids };
}

function byQueryCluster(
  groups: readonly QueryGroup[],
  shift: QueryClusterShift,
  seed: number,
): ShiftAssignment {
  const { k } = shift;
  const dims = shift.dims ?? 1024;
  for (const c of shift.heldOutClusters) {
    if (!Number.isInteger(c) || c < 0 || c >= k)
      throw new RangeError(`heldOutClusters must be integers in [0, ${k}) (got ${c})`);
  }
  const points = groups.map((g) => hashedTrigrams(g.key, dims));
  const km = sparseKMeans(points, {
    k,
    dims,
    seed,
    ...(shift.maxIterations === undefined ? {} : { maxIterations: shift.maxIterations }),
  });
  const size = new Array<number>(k).fill(0);
  const first = new Array<number>(k).fill(Infinity);
  km.assignments.forEach((c, i) => {
    size[c] = (size[c] ?? 0) + 1;
    first[c] = Math.min(first[c] ?? Infinity, i);
  });
  const order = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => (size[b] ?? 0) - (size[a] ?? 0) || (first[a] ?? 0) - (first[b] ?? 0),
  );
  const rank = new Array<number>(k);
  order.forEach((c, r) => (rank[c] = r));
  const domains = Array.from({ length: k }, (_, r) => `cluster-${r}`);
  const groupOf = Array.from(km.assignments, (c) => `cluster-${rank[c] ?? c}`);
  return { groupOf, heldOut: shift.heldOutClusters.map((c) => `cluster-${c}`), domains };
}

/**
 * Assigns every query group a domain and names the held-out domains.
 * @throws RangeError for a held-out domain that does not occur, a `category` shift without categories, or a
 *   cluster count the data cannot support
 */
export function assignShiftGroups(
  pairs: readonly LabeledPair[],
  groups: readonly QueryGroup[],
  options: { readonly shift: ShiftStrategy; readonly seed: number },
): ShiftAssignment {
  const { shift } = options;
  switch (shift.kind) {
    case 'category':
      return byCategory(pairs, groups, shift);
    case 'department':
      return byDepartment(pairs, groups, shift);
    case 'query-cluster':
      return byQueryCluster(groups, shift, options.seed);
  }
}
