/**
 * Sparse term vectors with sorted keys (the terms themselves, or integer term ids in the terms' order):
 * sublinear TF-IDF weighting with L2 normalisation, and the dot product of two such vectors by a linear merge
 * (their cosine, since both have unit norm).
 */
import { slabFloat64, slabInt32 } from './typed-slab';

/**
 * A sparse vector: distinct keys in ascending order and one value per key. Keys are terms (code-unit order) or
 * the ids of one term table (numeric order, e.g. `CharNgramIndex`); two vectors are comparable only when their
 * keys are of the same kind and from the same table.
 */
export interface SparseVector {
  readonly keys: readonly string[] | Int32Array;
  readonly values: Float64Array;
}

/** Divides the weights by their Euclidean norm √squares, in place (left as they are when it is 0). */
function normalizeInPlace(weights: Float64Array, squares: number): Float64Array {
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) / norm;
  return weights;
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
  const values = slabFloat64(weights.length);
  values.set(weights);
  return { keys, values: normalizeInPlace(values, squares) };
}

/**
 * {@link tfidfVector} of terms given as ids: the same weights and order when ids rank the terms in code-unit
 * order, without strings (e.g. the ids of `CharNgramIndex.ngramIds`).
 * @param ids - one id per occurrence, in any order; sorted in place
 * @param idf - the weight of each id
 * @example tfidfVectorOfIds(Int32Array.of(1, 0, 0), Float64Array.of(1, 1)).keys // Int32Array [0, 1]
 */
export function tfidfVectorOfIds(ids: Int32Array, idf: Float64Array): SparseVector {
  ids.sort();
  let distinct = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) distinct++;
  const keys = slabInt32(distinct);
  const values = slabFloat64(distinct);
  let squares = 0;
  let k = 0;
  for (let start = 0; start < ids.length;) {
    const id = ids[start] ?? 0;
    let end = start + 1;
    while (end < ids.length && ids[end] === id) end++;
    const w = (1 + Math.log(end - start)) * (idf[id] ?? Number.NaN);
    keys[k] = id;
    values[k++] = w;
    squares += w * w;
    start = end;
  }
  return { keys, values: normalizeInPlace(values, squares) };
}

/**
 * Σ a_k·b_k over the keys the two vectors share (a linear merge of the sorted keys); 0 when either is empty.
 * @example sparseDot({ keys: ['a', 'b'], values: Float64Array.of(0.6, 0.8) }, { keys: ['b'], values: Float64Array.of(1) }) // 0.8
 */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  if (a.keys.length === 0 || b.keys.length === 0) return 0;
  const aKeys = a.keys;
  const bKeys = b.keys;
  if (aKeys instanceof Int32Array || bKeys instanceof Int32Array) {
    if (!(isIdKeyed(a) && isIdKeyed(b)))
      throw new TypeError(
        'sparseDot needs two vectors keyed alike (both by terms or both by term ids)',
      );
    // The vectors themselves, not new { keys, values } wrappers: no allocation per pair.
    return sparseDotIds(a, b);
  }
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < aKeys.length && j < bKeys.length) {
    const x = aKeys[i] ?? '';
    const y = bKeys[j] ?? '';
    if (x === y) dot += (a.values[i++] ?? 0) * (b.values[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot;
}

type IdKeyedVector = SparseVector & { readonly keys: Int32Array };

function isIdKeyed(v: SparseVector): v is IdKeyedVector {
  return v.keys instanceof Int32Array;
}

function sparseDotIds(a: IdKeyedVector, b: IdKeyedVector): number {
  const { keys: aKeys, values: aValues } = a;
  const { keys: bKeys, values: bValues } = b;
  let i = 0;
  let j = 0;
  let dot = 0;
  while (i < aKeys.length && j < bKeys.length) {
    const x = aKeys[i] ?? 0;
    const y = bKeys[j] ?? 0;
    if (x === y) dot += (aValues[i++] ?? 0) * (bValues[j++] ?? 0);
    else if (x < y) i++;
    else j++;
  }
  return dot;
}
