/**
 * Sentence embeddings from a transformer's last hidden states: the mean over the tokens the attention
 * mask keeps, then L2-normalised, as sentence-transformers pools all-MiniLM-L6-v2 (`Pooling` with
 * `pooling_mode_mean_tokens`, then `Normalize`). Used when an encoder exports only `last_hidden_state`.
 */
import { CoreError } from '../errors';

/** Options of {@link meanPool}. */
export interface MeanPoolOptions {
  /** `[batch, sequence, hidden]` of the states. */
  readonly dims: readonly [number, number, number];
  /** Divide each row by its L2 norm (floored at 1e-12, as torch.nn.functional.normalize). @default true */
  readonly normalize?: boolean;
}

/**
 * Masked mean of `[batch, sequence, hidden]` states.
 * @param hidden - row-major last hidden states.
 * @param mask - row-major `[batch, sequence]` attention mask (0 or 1).
 * @param options - the states' dims and whether to normalise.
 * @returns `[batch, hidden]` embeddings.
 * @example meanPool(Float32Array.from([1, 2, 3, 4]), BigInt64Array.from([1n, 0n]), { dims: [1, 2, 2] })
 */
export function meanPool(
  hidden: Float32Array,
  mask: BigInt64Array,
  options: MeanPoolOptions,
): Float32Array {
  const { dims } = options;
  const [batch, sequence, width] = dims;
  if (hidden.length !== batch * sequence * width || mask.length !== batch * sequence)
    throw new CoreError(
      'SHAPE_MISMATCH',
      `meanPool: states ${hidden.length} and mask ${mask.length} do not fit [${dims.join(', ')}]`,
    );
  const out = new Float32Array(batch * width);
  const sum = new Float64Array(width); // accumulate in Float64
  for (let b = 0; b < batch; b++) {
    sum.fill(0);
    let count = 0;
    for (let s = 0; s < sequence; s++) {
      if (mask[b * sequence + s] === 0n) continue;
      count++;
      const offset = (b * sequence + s) * width;
      for (let h = 0; h < width; h++) sum[h] = (sum[h] ?? 0) + (hidden[offset + h] ?? 0);
    }
    let norm = 0;
    for (let h = 0; h < width; h++) {
      const mean = (sum[h] ?? 0) / Math.max(count, 1e-9);
      sum[h] = mean;
      norm += mean * mean;
    }
    const scale = options.normalize === false ? 1 : 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let h = 0; h < width; h++) out[b * width + h] = (sum[h] ?? 0) * scale;
  }
  return out;
}
