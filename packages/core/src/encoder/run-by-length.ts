/**
 * Runs encodings through a model in batches of similar length (less padding to compute), and puts each
 * output row back at its input's position.
 */
import { CoreError } from '../errors';
import type { SubwordEncoding } from '../subword/subword-tokenizer';

/**
 * A runner's batch size, checked.
 * @param batchSize - rows per run. @default 32
 * @throws CoreError `INVALID_ARGUMENT` unless a whole number ≥ 1
 */
export function checkBatchSize(batchSize = 32): number {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new CoreError(
      'INVALID_ARGUMENT',
      `batchSize must be a whole number ≥ 1, got ${batchSize}`,
    );
  return batchSize;
}

/** One per-row output of a batch: `rows × dim`, row-major. */
export interface BatchOutput {
  readonly dim: number;
  readonly data: Float32Array;
}

/**
 * Sorts the encodings by length, runs `runBatch` on each slice of `batchSize`, and scatters every output
 * back into input order.
 * @param encodings - the inputs, in order.
 * @param batchSize - rows per run (≥ 1).
 * @param runBatch - runs one batch; returns the same number of outputs for every batch, `batch.length` rows each.
 * @returns one `encodings.length × dim` matrix per output of `runBatch`
 * @example const [logits] = await runByLength(encodings, 32, async (batch) => [await run(batch)]);
 */
export async function runByLength(
  encodings: readonly SubwordEncoding[],
  batchSize: number,
  runBatch: (batch: readonly SubwordEncoding[]) => Promise<readonly BatchOutput[]>,
): Promise<BatchOutput[]> {
  const order = encodings
    .map((encoding, row) => ({ encoding, row }))
    .sort((a, b) => a.encoding.ids.length - b.encoding.ids.length);
  let outputs: { dim: number; data: Float32Array }[] = [];
  for (let start = 0; start < order.length; start += batchSize) {
    const slice = order.slice(start, start + batchSize);
    const batch = await runBatch(slice.map((entry) => entry.encoding));
    if (start === 0)
      outputs = batch.map((o) => ({
        dim: o.dim,
        data: new Float32Array(encodings.length * o.dim),
      }));
    batch.forEach((o, i) => {
      const out = outputs[i];
      if (out === undefined) return;
      slice.forEach((entry, k) =>
        out.data.set(o.data.subarray(k * o.dim, (k + 1) * o.dim), entry.row * o.dim),
      );
    });
  }
  return outputs;
}
