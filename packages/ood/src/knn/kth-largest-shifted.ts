import type { NumericArray } from '@gradeshift/core/math';

/** One row of a row-major block: the entries `values[offset + j]`. */
export interface BlockRow {
  values: NumericArray;
  offset: number;
}

/** Moves `v` down from the root of the min-heap `heap` (its root slot is free) to where it belongs. */
function siftDown(heap: Float64Array, v: number, from = 0): void {
  const k = heap.length;
  let i = from;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= k) break;
    const right = left + 1;
    const l = heap[left] ?? Infinity;
    const r = right < k ? (heap[right] ?? Infinity) : Infinity;
    const child = r < l ? right : left;
    const c = r < l ? r : l;
    if (c >= v) break;
    heap[i] = c;
    i = child;
  }
  heap[i] = v;
}

/**
 * First j ≥ `from` with `values[offset + j] − shift[j] > bound`, or shift.length. Kept apart from the heap update
 * (and fed one reused context object): V8 runs this tight loop about 2.5× faster than one with the sift in its body.
 * Four entries per test while no entry of the four passes (a quarter of the loop's branches; the same test for each
 * entry, so the same j).
 */
function firstAbove(scan: BlockRow & { shift: Float64Array }, from: number, bound: number): number {
  const { values, offset, shift } = scan;
  const n = shift.length;
  let j = from;
  for (; j + 3 < n; j += 4) {
    const o = offset + j;
    if (
      (values[o] ?? 0) - (shift[j] ?? 0) > bound ||
      (values[o + 1] ?? 0) - (shift[j + 1] ?? 0) > bound ||
      (values[o + 2] ?? 0) - (shift[j + 2] ?? 0) > bound ||
      (values[o + 3] ?? 0) - (shift[j + 3] ?? 0) > bound
    )
      break;
  }
  for (; j < n; j++) if ((values[offset + j] ?? 0) - (shift[j] ?? 0) > bound) return j;
  return n;
}

/**
 * The k-th largest of `g_j = row.values[row.offset + j] − shift[j]` over j ∈ [0, shift.length), where k = heap.length:
 * a partial selection that reads the row once and never copies it. A min-heap holds the k largest values seen so
 * far, so every other entry costs one comparison with its root; in random order only about k·ln(n/k) entries enter
 * the heap, and even an adversarial (ascending) order stays O(n log k), unlike quickselect's O(n²).
 * The row may be Float32 (a float32 gemm's block); g is computed in Float64.
 * @param row - the block and the offset of the row
 * @param shift - n values subtracted entry-wise (n ≥ k)
 * @param heap - scratch of length k (1 ≤ k ≤ n), overwritten
 * @returns the k-th largest g (duplicates counted)
 * @throws RangeError when k is not in [1, n]
 * @see https://en.wikipedia.org/wiki/Selection_algorithm (heap-based partial selection)
 */
export function kthLargestShifted(row: BlockRow, shift: Float64Array, heap: Float64Array): number {
  const { values, offset } = row;
  const n = shift.length;
  const k = heap.length;
  if (k < 1 || k > n) throw new RangeError(`k must be an integer in [1, ${n}] (got ${k})`);
  for (let j = 0; j < k; j++) heap[j] = (values[offset + j] ?? 0) - (shift[j] ?? 0);
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(heap, heap[i] ?? 0, i);
  let root = heap[0] ?? 0;
  const scan = { values, offset, shift };
  for (let j = firstAbove(scan, k, root); j < n; j = firstAbove(scan, j + 1, root)) {
    siftDown(heap, (values[offset + j] ?? 0) - (shift[j] ?? 0));
    root = heap[0] ?? 0;
  }
  return root;
}
