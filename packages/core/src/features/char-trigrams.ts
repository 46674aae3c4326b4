/**
 * Character-trigram sets as sorted numeric keys, and their Jaccard similarity by a linear merge. A trigram
 * of UTF-16 code units c0 c1 c2 is the key c0·2³² + c1·2¹⁶ + c2 (< 2⁴⁸, exact in a double).
 */

import { slabFloat64 } from './typed-slab';

let scratch = new Float64Array(256);

/**
 * The distinct character trigrams of `text` as sorted keys (an astral character counts as two units).
 * @param text - e.g. the tokens of a text joined by single spaces, with a space at each end
 * @returns sorted, distinct keys (empty for text shorter than 3 units)
 * @example charTrigramKeys(' ab ').length // 2 (' ab', 'ab ')
 */
export function charTrigramKeys(text: string): Float64Array {
  const count = Math.max(0, text.length - 2);
  // Keys are built and sorted in a reused scratch buffer; only the distinct keys are copied out.
  if (scratch.length < count) scratch = new Float64Array(Math.max(count, scratch.length * 2));
  for (let i = 0; i < count; i++) {
    scratch[i] =
      text.charCodeAt(i) * 4294967296 + text.charCodeAt(i + 1) * 65536 + text.charCodeAt(i + 2);
  }
  const keys = scratch.subarray(0, count).sort();
  let k = 0;
  for (let i = 0; i < count; i++) {
    const v = keys[i] ?? 0;
    if (k === 0 || v !== keys[k - 1]) keys[k++] = v;
  }
  const out = slabFloat64(k);
  out.set(keys.subarray(0, k));
  return out;
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted, distinct key sets; 0 when both are empty.
 * @example jaccardSorted(Float64Array.of(1, 2, 3), Float64Array.of(2, 3, 4)) // 0.5
 * @see https://en.wikipedia.org/wiki/Jaccard_index
 */
export function jaccardSorted(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = a.length + b.length - common;
  return union === 0 ? 0 : common / union;
}
