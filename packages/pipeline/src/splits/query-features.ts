/**
 * Query features for topic clustering: a hashed bag of character trigrams, L2-normalised. Trigrams are robust
 * to the misspellings common in search logs (`dewalt` / `dewlat` share most trigrams), and hashing keeps the
 * dimension fixed without a vocabulary.
 * @see https://en.wikipedia.org/wiki/Feature_hashing
 */

/** A sparse vector: ascending indices and their values. */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float64Array;
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units. @see http://www.isthe.com/chongo/tech/comp/fnv/ */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Hashed character-trigram counts of ` text ` (one space of padding marks word starts and ends), by code
 * point, L2-normalised. An empty text gives the zero vector.
 * @param text - an already normalised query
 * @param dims - number of hash buckets
 * @throws RangeError when `dims` is not a positive integer
 */
export function hashedTrigrams(text: string, dims: number): SparseVector {
  if (!Number.isInteger(dims) || dims < 1)
    throw new RangeError(`dims must be a positive integer (got ${dims})`);
  const chars = Array.from(` ${text} `);
  const counts = new Map<number, number>();
  if (text.length > 0) {
    for (let i = 0; i + 3 <= chars.length; i++) {
      const bucket = fnv1a(chars.slice(i, i + 3).join('')) % dims;
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }
  }
  const entries = [...counts].sort((a, b) => a[0] - b[0]);
  let norm = 0;
  for (const [, c] of entries) norm += c * c;
  norm = Math.sqrt(norm);
  return {
    indices: Uint32Array.from(entries, ([i]) => i),
    values: Float64Array.from(entries, ([, c]) => c / norm),
  };
}
