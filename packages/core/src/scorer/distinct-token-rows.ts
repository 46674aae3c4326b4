/**
 * Query token vectors stored once per distinct token: tokens with the same slots (ids and weights) share a
 * row, so frequent words stay in cache when mini-batches visit pairs in random order.
 */

/** A growing U × D Float32 table of distinct token vectors, keyed by a string naming the token's slots. */
export class DistinctTokenRows {
  private readonly rows = new Map<string, number>();
  private vectors: Float32Array;
  private readonly dim: number;

  /**
   * @param expected - tokens expected (sizes the first allocation; the table grows past it)
   * @param dim - D, the vector length
   */
  constructor(expected: number, dim: number) {
    this.dim = dim;
    this.vectors = new Float32Array(Math.max(1, Math.min(expected, 1024)) * dim);
  }

  /** The row of the token named `key`; a new token gets the next row, holding `vector` (rounded to Float32). */
  rowOf(key: string, vector: Float64Array): number {
    let row = this.rows.get(key);
    if (row !== undefined) return row;
    row = this.rows.size;
    this.rows.set(key, row);
    if ((row + 1) * this.dim > this.vectors.length) {
      const grown = new Float32Array(this.vectors.length * 2);
      grown.set(this.vectors);
      this.vectors = grown;
    }
    this.vectors.set(vector, row * this.dim);
    return row;
  }

  /** The U·D vectors, a copy trimmed to the distinct tokens seen. */
  toArray(): Float32Array {
    return this.vectors.slice(0, this.rows.size * this.dim);
  }
}
