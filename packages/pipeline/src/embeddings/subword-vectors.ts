/**
 * Vectors for hashed char n-gram buckets, derived from pretrained word vectors without any training.
 *
 * Design: bucket b's vector is the mean of the pretrained vectors of the words (at most `maxWordsPerBucket`,
 * the most frequent in source order) that contain an n-gram hashing to b. An unknown token's vector is the mean
 * of its non-empty buckets. A misspelling such as "brakcet" keeps most n-grams of "bracket" ("<br", "bra",
 * "<bra", "et>"), and those buckets average words that share them, so its vector lands in the neighbourhood of
 * the intended word rather than at zero. fastText learns its n-gram vectors jointly with the words; here the
 * word vectors are frozen (GloVe), so the buckets are fitted to them by this averaging (the closed-form
 * least-squares answer if each bucket had to predict the words that contain it).
 */
import { charNgramIds } from '@gradeshift/core';

import type { SubwordSettings, SubwordVectors, WordVectors } from './types';

/** Default of {@link SubwordSettings.maxWordsPerBucket}. */
export const DEFAULT_MAX_WORDS_PER_BUCKET = 64;

/**
 * Derives bucket vectors from word vectors (see the module comment).
 * @param words - the word vectors (typically pruned to the corpus vocabulary)
 * @param settings - bucket layout (equal to the vocabulary's `subwords`) and the per-bucket cap
 * @returns B × D bucket vectors and the number of words in each
 * @throws RangeError for a bad setting or a vectors array of the wrong length
 * @see Bojanowski et al. 2017, "Enriching Word Vectors with Subword Information", https://arxiv.org/abs/1607.04606
 */
export function deriveSubwordVectors(
  words: WordVectors,
  settings: SubwordSettings,
): SubwordVectors {
  const { buckets, minN, maxN, maxWordsPerBucket } = settings;
  const d = words.dims;
  if (words.vectors.length !== words.words.length * d) {
    throw new RangeError(
      `words.vectors must have ${words.words.length}×${d} entries (got ${words.vectors.length})`,
    );
  }
  if (!Number.isInteger(maxWordsPerBucket) || maxWordsPerBucket < 1) {
    throw new RangeError(
      `settings.maxWordsPerBucket must be a positive integer (got ${maxWordsPerBucket})`,
    );
  }
  // Float64 sums: a bucket adds up to maxWordsPerBucket vectors.
  const sums = new Float64Array(buckets * d);
  const counts = new Uint32Array(buckets);
  words.words.forEach((word, r) => {
    // A word counts once per bucket even when it holds the n-gram twice.
    for (const b of new Set(charNgramIds(word, { buckets, minN, maxN }))) {
      if ((counts[b] ?? 0) >= maxWordsPerBucket) continue;
      counts[b] = (counts[b] ?? 0) + 1;
      for (let k = 0; k < d; k++)
        sums[b * d + k] = (sums[b * d + k] ?? 0) + (words.vectors[r * d + k] ?? 0);
    }
  });
  const vectors = new Float32Array(buckets * d);
  for (let b = 0; b < buckets; b++) {
    const c = counts[b] ?? 0;
    if (c === 0) continue;
    for (let k = 0; k < d; k++) vectors[b * d + k] = (sums[b * d + k] ?? 0) / c;
  }
  return { buckets, minN, maxN, maxWordsPerBucket, dims: d, vectors, counts };
}

/**
 * The vector of a token from its n-gram buckets: the mean over its non-empty buckets (fastText's OOV rule
 * over the derived buckets).
 * @param subwords - bucket vectors
 * @param token - any token
 * @returns a D-vector, or undefined when none of its buckets has a vector
 * @example subwordVector(table.subwords, 'brakcet') // close to the vector of "bracket"
 */
export function subwordVector(subwords: SubwordVectors, token: string): Float32Array | undefined {
  const { buckets, minN, maxN, dims: d } = subwords;
  const acc = new Float64Array(d);
  let used = 0;
  for (const b of charNgramIds(token, { buckets, minN, maxN })) {
    if ((subwords.counts[b] ?? 0) === 0) continue;
    used++;
    for (let k = 0; k < d; k++) acc[k] = (acc[k] ?? 0) + (subwords.vectors[b * d + k] ?? 0);
  }
  if (used === 0) return undefined;
  return Float32Array.from(acc, (v) => v / used);
}
