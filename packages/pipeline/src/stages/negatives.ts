/**
 * Negatives the judged data lacks. A judged search data set only holds items a search engine returned for the
 * query, so a model trained on it never sees a plainly unrelated item and grades one optimistically (issue 12).
 * Two kinds, every one labelled irrelevant (grade 0, and the lowest rating when the data has ratings):
 * - easy: the query with a random item of another department that shares no content word with it;
 * - hard (in the spirit of RRADistill's "missing" hard negatives, methods.md §3.1): lexically close items that
 *   are not relevant: an item judged irrelevant for another query sharing a content word with this one
 *   (`judged`), or an item of another department that shares a content word with the query (`shared-word`).
 * No negative repeats a pair the data judged. Same pairs, options and seed → the same negatives.
 */
import { DEFAULT_STOP_WORDS } from '@gradeshift/core';
import { createRng, type Rng } from '@gradeshift/core/math';

import type { LabeledPair } from '../data/dataset';
import { normalizeQuery } from '../splits/query-groups';
import { tokenizeTitle } from '../splits/taxonomy';

/** The kinds of negative. */
export type NegativeKind = 'easy' | 'judged' | 'shared-word';

/** One generated negative: a labelled irrelevant pair and how it was made. */
export interface NegativePair extends LabeledPair {
  readonly kind: NegativeKind;
}

/** Options for {@link buildNegatives}. */
export interface NegativeOptions {
  /** Negatives per judged pair of the input (e.g. 0.2 adds one negative per five judged pairs). */
  readonly ratio: number;
  /** Share of hard negatives among them (the rest are easy); a query without a hard candidate gets an easy one. @default 0.5 */
  readonly hardShare?: number;
  readonly seed: number;
  /**
   * Department of an item title (a taxonomy matcher). Without one, "another department" means "an item of a
   * query sharing no content word with this one". @default undefined
   */
  readonly departmentOf?: (item: string) => string;
  /** Items to draw from. @default the input pairs' items */
  readonly catalogue?: readonly string[];
  /** The raw rating of an irrelevant pair (the low end of the data's rating range), when the data has ratings. @default undefined (no rating) */
  readonly rating?: number;
}

/** Content words of a text: taxonomy tokens of 3+ characters that are neither stop words nor numbers. */
export function contentWords(text: string): Set<string> {
  return new Set(
    tokenizeTitle(text).filter(
      (t) => t.length >= 3 && !/^\d+$/.test(t) && !DEFAULT_STOP_WORDS.has(t),
    ),
  );
}

interface QueryInfo {
  readonly query: string;
  readonly words: ReadonlySet<string>;
  readonly department: string;
  readonly judged: ReadonlySet<string>;
}

/** The queries of `pairs` in first-seen order, with their words, department (majority of items) and judged items. */
function queryInfos(
  pairs: readonly LabeledPair[],
  departmentOf: (item: string) => string,
): QueryInfo[] {
  const byKey = new Map<string, { query: string; items: string[] }>();
  for (const p of pairs) {
    const key = normalizeQuery(p.query);
    const entry = byKey.get(key) ?? { query: p.query, items: [] };
    entry.items.push(p.item);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map(({ query, items }) => {
    const counts = new Map<string, number>();
    for (const item of items) {
      const d = departmentOf(item);
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
    const department = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    return { query, words: contentWords(query), department, judged: new Set(items) };
  });
}

/** Index of word → item positions (items with that content word). */
function wordIndex(items: readonly string[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  items.forEach((item, i) => {
    for (const w of contentWords(item)) {
      const list = index.get(w) ?? [];
      list.push(i);
      index.set(w, list);
    }
  });
  return index;
}

const shares = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => {
  for (const w of a) if (b.has(w)) return true;
  return false;
};

/** Random draws per negative before a kind gives up. */
const DRAWS = 40;

/** Up to {@link DRAWS} random indices in [0, n) until `accept` holds. */
function drawIndex(n: number, rng: Rng, accept: (i: number) => boolean): number | undefined {
  if (n === 0) return undefined;
  for (let t = 0; t < DRAWS; t++) {
    const i = rng.int(n);
    if (accept(i)) return i;
  }
  return undefined;
}

/** Up to {@link DRAWS} random draws from `candidates` until `accept` holds. */
function drawWhere<T>(
  candidates: readonly T[],
  rng: Rng,
  accept: (c: T) => boolean,
): T | undefined {
  const at = drawIndex(candidates.length, rng, (i) => accept(candidates[i] as T));
  return at === undefined ? undefined : candidates[at];
}

/** What the draws read: the catalogue, its word index and departments, the judged-irrelevant items by query word. */
interface Pools {
  readonly catalogue: readonly string[];
  readonly itemWords: readonly ReadonlySet<string>[];
  readonly byWord: ReadonlyMap<string, number[]>;
  readonly irrelevantByWord: ReadonlyMap<string, string[]>;
  readonly departmentOf: (item: string) => string;
  readonly hasDepartments: boolean;
  readonly used: Set<string>;
}

/** Items judged irrelevant, by content word of the query they were judged for. */
function irrelevantByQueryWord(pairs: readonly LabeledPair[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const p of pairs) {
    if (p.grade !== 0) continue;
    for (const w of contentWords(p.query)) {
      const list = index.get(w) ?? [];
      list.push(p.item);
      index.set(w, list);
    }
  }
  return index;
}

/** One negative for `q`: a hard one with probability `hardShare` when one is found, else an easy one. */
function drawNegative(
  q: QueryInfo,
  pools: Pools,
  draw: { rng: Rng; hardShare: number },
): { kind: NegativeKind; item: string } | undefined {
  const { rng } = draw;
  const { catalogue, used } = pools;
  const fresh = (item: string): boolean =>
    !q.judged.has(item) && !used.has(`${q.query}\u0000${item}`);
  const otherDepartment = (item: string): boolean =>
    !pools.hasDepartments || pools.departmentOf(item) !== q.department;
  const words = [...q.words];
  if (rng.next() < draw.hardShare && words.length > 0) {
    const word = words[rng.int(words.length)] ?? '';
    if (rng.next() < 0.5) {
      const item = drawWhere(pools.irrelevantByWord.get(word) ?? [], rng, fresh);
      if (item !== undefined) return { kind: 'judged', item };
    } else {
      const at = drawWhere(pools.byWord.get(word) ?? [], rng, (i) => {
        const c = catalogue[i] ?? '';
        return otherDepartment(c) && fresh(c);
      });
      if (at !== undefined) return { kind: 'shared-word', item: catalogue[at] ?? '' };
    }
  }
  const at = drawIndex(catalogue.length, rng, (i) => {
    const c = catalogue[i] ?? '';
    return otherDepartment(c) && !shares(q.words, pools.itemWords[i] ?? new Set()) && fresh(c);
  });
  return at === undefined ? undefined : { kind: 'easy', item: catalogue[at] ?? '' };
}

/**
 * Builds easy and hard negatives for the queries of `pairs` (see the file comment).
 * @param pairs - judged pairs (e.g. the ID training split: negatives are made from training text only)
 * @param options - how many, the hard share, the seed and the department of an item
 * @returns the negatives, queries taken in turn (ids `neg-<kind>-<n>`, line 0)
 * @throws RangeError for a ratio < 0 or a hard share outside [0, 1]
 * @example buildNegatives(splits.idTrain.pairs, { ratio: 0.2, seed: 0, departmentOf: matcher.match })
 */
export function buildNegatives(
  pairs: readonly LabeledPair[],
  options: NegativeOptions,
): NegativePair[] {
  const { ratio, hardShare = 0.5, seed } = options;
  if (!(ratio >= 0) || !Number.isFinite(ratio))
    throw new RangeError(`options.ratio must be a finite number ≥ 0 (got ${ratio})`);
  if (!(hardShare >= 0 && hardShare <= 1))
    throw new RangeError(`options.hardShare must be in [0, 1] (got ${hardShare})`);
  const catalogue = [...new Set(options.catalogue ?? pairs.map((p) => p.item))];
  const memo = new Map<string, string>();
  const departmentOf = (item: string): string => {
    let d = memo.get(item);
    if (d === undefined) {
      d = options.departmentOf?.(item) ?? '';
      memo.set(item, d);
    }
    return d;
  };
  const pools: Pools = {
    catalogue,
    itemWords: catalogue.map(contentWords),
    byWord: wordIndex(catalogue),
    irrelevantByWord: irrelevantByQueryWord(pairs),
    departmentOf,
    hasDepartments: options.departmentOf !== undefined,
    used: new Set(),
  };
  const queries = queryInfos(pairs, departmentOf);
  const rng = createRng(seed);
  const total = Math.round(ratio * pairs.length);
  const rating = options.rating === undefined ? {} : { rating: options.rating };
  const out: NegativePair[] = [];
  for (let n = 0; n < total && queries.length > 0; n++) {
    const q = queries[n % queries.length];
    const picked = q === undefined ? undefined : drawNegative(q, pools, { rng, hardShare });
    if (q === undefined || picked === undefined) continue;
    pools.used.add(`${q.query}\u0000${picked.item}`);
    const { kind, item } = picked;
    out.push({ id: `neg-${kind}-${n}`, query: q.query, item, grade: 0, ...rating, line: 0, kind });
  }
  return out;
}
