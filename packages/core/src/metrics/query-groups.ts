/**
 * Groups per-sample query ids into contiguous index lists (a CSR layout), shared by the per-query metrics
 * and the query-level bootstrap.
 */

/** A query identifier: a number (finite) or a string. `1` and `'1'` are different queries. */
export type QueryId = number | string;

/** Samples grouped by query: the samples of query `q` are `indices[offsets[q] .. offsets[q + 1])`. */
export interface QueryGroups {
  /** Query ids in order of first appearance; group `q` has id `ids[q]`. */
  readonly ids: readonly QueryId[];
  /** Q + 1 offsets into `indices`. */
  readonly offsets: Uint32Array;
  /** Sample indices grouped by query; input order is kept within a query. */
  readonly indices: Uint32Array;
  /** The group index of each sample (length n). */
  readonly groupOf: Uint32Array;
}

/**
 * Groups samples by query id in O(n) (counting sort). Queries need not be contiguous in the input.
 * @param queryIds - one id per sample
 * @throws RangeError for an empty input or an id that is neither a finite number nor a string
 * @example groupByQuery(['a', 'b', 'a']) // ids ['a', 'b'], offsets [0, 2, 3], indices [0, 2, 1]
 */
export function groupByQuery(queryIds: ArrayLike<QueryId>): QueryGroups {
  const n = queryIds.length;
  if (n === 0) throw new RangeError('queryIds must not be empty');
  const index = new Map<QueryId, number>();
  const ids: QueryId[] = [];
  const groupOf = new Uint32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = queryIds[i];
    if (!(typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)))) {
      throw new RangeError(
        `queryIds[${i}] must be a string or a finite number (got ${String(id)})`,
      );
    }
    let g = index.get(id);
    if (g === undefined) {
      g = ids.length;
      index.set(id, g);
      ids.push(id);
      counts.push(0);
    }
    groupOf[i] = g;
    counts[g] = (counts[g] ?? 0) + 1;
  }
  const q = ids.length;
  const offsets = new Uint32Array(q + 1);
  for (let g = 0; g < q; g++) offsets[g + 1] = (offsets[g] ?? 0) + (counts[g] ?? 0);
  const cursor = offsets.slice(0, q);
  const indices = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] ?? 0;
    const at = cursor[g] ?? 0;
    indices[at] = i;
    cursor[g] = at + 1;
  }
  return { ids, offsets, indices, groupOf };
}
