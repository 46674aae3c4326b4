/**
 * Sparse term vectors with sorted string keys: sublinear TF-IDF weighting with L2 normalisation, and the dot
 * product of two such vectors by a linear merge (their cosine, since both have unit norm).
 */

/** A sparse vector: distinct keys in ascending code-unit order and one value per key. */
export interface SparseVector {
  readonly keys: readonly string[];
  readonly values: Float64Array;
}

/**
 * The L2-normalised sublinear TF-IDF vector of a bag of terms: weight (1 + ln tf)·idf per distinct term, then
 * divided by the Euclidean norm. Terms whose `idf` is `undefined` are left out (outside the fitted vocabulary).
 * An empty bag, or one with no weighted term, gives the empty vector.
 * @param terms - the terms, duplicates counted as term frequency
 * @param idf - weight of a term, or `undefined` to drop it
 * @example tfidfVector(['a', 'a', 'b'], () => 1).values // (1 + ln 2, 1) / √((1 + ln 2)² + 1)
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.feature_extraction.text.TfidfTransformer.html (`sublinear_tf=True`, `norm='l2'`)
 */
export function tfidfVector(
  terms: readonly string[],
  idf: (term: string) => number | undefined,
): SparseVector {
  // Sorting a copy groups equal terms into runs (term frequency = run length) already in key order. The
  // default sort compares UTF-16 code units, the order `<` uses in sparseDot, and runs natively.
  const sorted = [...terms].sort();
  const keys: string[] = [];
  const weights: number[] = [];
  let squares = 0;
  for (let start = 0; start < sorted.length;) {
    const term = sorted[start] ?? '';
    let end = start + 1;
    while (end < sorted.length && sorted[end] === term) end++;
    const weight = idf(term);
    if (weight !== undefined) {
      const w = (1 + Math.log(end - start)) * weight;
      keys.push(term);
      weights.push(w);
      squares += w * w;
    }
    start = end;
  }
  const norm = Math.sqrt(squares);
  const values = Float64Array.from(weights, (w) => (norm > 0 ? w / norm : w));
  return { keys, values };
}

/**
 * Σ a_k·b_k over the keys the two vectors share (a linear merge of the sorted keys); 0 when either is empty.
 * @example sparseDot({ keys: ['a', 'b'], values: Float64Array.of(0.6, 0.8) }, { keys: ['b'], values: Float64Array.of(1) }) // 0.8
 */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < a.keys.length && j < b.keys.length) {
    const x = a.keys[i] ?? '';
    const y = b.keys[j] ?? '';
    if (x === y) dot += (a.values[i++] ?? 0) * (b.values[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot;
}
