/**
 * Pads a batch of encodings into the three int64 tensors a BERT-shaped ONNX encoder takes
 * (`input_ids`, `attention_mask`, `token_type_ids`), right-padded to the longest encoding, as Python
 * `tokenizers` pads a batch (`enable_padding()`).
 */
import { CoreError } from '../errors';
import type { SubwordEncoding } from './subword-tokenizer';

/** A padded batch: row-major `[batch, sequence]` int64 arrays. */
export interface PackedEncodings {
  readonly batch: number;
  readonly sequence: number;
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

/**
 * Packs encodings into padded int64 arrays.
 * @param encodings - one or more encodings.
 * @param padId - the tokenizer's pad id (`tokenizer.special.pad`).
 * @example packEncodings([tokenizer.encode('drill'), tokenizer.encode('hammer')], tokenizer.special.pad)
 */
export function packEncodings(
  encodings: readonly SubwordEncoding[],
  padId: number,
): PackedEncodings {
  if (encodings.length === 0)
    throw new CoreError('INVALID_ARGUMENT', 'packEncodings needs at least one encoding');
  let sequence = 0;
  for (const encoding of encodings) sequence = Math.max(sequence, encoding.ids.length);
  const size = encodings.length * sequence;
  const inputIds = new BigInt64Array(size).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(size);
  const tokenTypeIds = new BigInt64Array(size);
  encodings.forEach((encoding, row) => {
    const offset = row * sequence;
    for (let i = 0; i < encoding.ids.length; i++) {
      inputIds[offset + i] = BigInt(encoding.ids[i] ?? padId);
      attentionMask[offset + i] = BigInt(encoding.attentionMask[i] ?? 0);
      tokenTypeIds[offset + i] = BigInt(encoding.typeIds[i] ?? 0);
    }
  });
  return { batch: encodings.length, sequence, inputIds, attentionMask, tokenTypeIds };
}
