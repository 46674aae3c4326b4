/**
 * Token vectors from id slots: E = Σ_s w_s·Emb[id_s] (a known word's row, or the mean of an unknown
 * word's hashed n-gram bucket rows).
 * @internal
 */

/** Where one token's slots live and where its vector goes. @internal */
export interface TokenSlotRef {
  /** First slot of the token in `ids` / `weights`. */
  readonly slot: number;
  /** First entry of the token's vector in `out`. */
  readonly offset: number;
}

/** The id slots of a batch and the embedding table they index. @internal */
export interface TokenSource {
  readonly ids: Int32Array;
  readonly weights: Float32Array;
  readonly table: Float32Array | Float64Array;
  /** D. */
  readonly dim: number;
  /** S. */
  readonly slots: number;
}

/**
 * Writes the token's vector into `out` at `ref.offset` (D entries, overwritten) and returns whether the
 * token is real (some slot weight > 0). Ids were range-checked at the batch's entry guard.
 * @internal
 */
export function gatherToken(source: TokenSource, ref: TokenSlotRef, out: Float64Array): boolean {
  const { ids, weights, table, dim, slots } = source;
  const o = ref.offset;
  out.fill(0, o, o + dim);
  let real = false;
  for (let s = 0; s < slots; s++) {
    const w = weights[ref.slot + s] ?? 0;
    if (w === 0) continue;
    real = true;
    const e = (ids[ref.slot + s] ?? 0) * dim;
    for (let k = 0; k < dim; k++) out[o + k] = (out[o + k] ?? 0) + w * (table[e + k] ?? 0);
  }
  return real;
}

/**
 * Σ_c a[aOffset + c]·b[bOffset + c] over `n` entries, with four partial sums: a single running sum is a chain of
 * dependent additions that runs at one add per FP latency (≈ 4 cycles); four independent ones overlap.
 * @internal
 */
export function dotFloat32(
  a: Float64Array,
  b: Float32Array,
  at: { aOffset: number; bOffset: number; n: number },
): number {
  const { aOffset: ao, bOffset: bo, n } = at;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let c = 0;
  for (; c + 3 < n; c += 4) {
    s0 += (a[ao + c] ?? 0) * (b[bo + c] ?? 0);
    s1 += (a[ao + c + 1] ?? 0) * (b[bo + c + 1] ?? 0);
    s2 += (a[ao + c + 2] ?? 0) * (b[bo + c + 2] ?? 0);
    s3 += (a[ao + c + 3] ?? 0) * (b[bo + c + 3] ?? 0);
  }
  for (; c < n; c++) s0 += (a[ao + c] ?? 0) * (b[bo + c] ?? 0);
  return s0 + s1 + (s2 + s3);
}

/**
 * Scales the D entries at `offset` to unit length, v / (‖v‖ + ε); an all-zero vector stays 0.
 * @internal
 */
export function normalizeInPlace(
  v: Float64Array,
  offset: number,
  options: { dim: number; epsilon: number },
): void {
  const { dim, epsilon } = options;
  let ss = 0;
  for (let k = 0; k < dim; k++) ss += (v[offset + k] ?? 0) ** 2;
  const inv = 1 / (Math.sqrt(ss) + epsilon);
  for (let k = 0; k < dim; k++) v[offset + k] = (v[offset + k] ?? 0) * inv;
}
