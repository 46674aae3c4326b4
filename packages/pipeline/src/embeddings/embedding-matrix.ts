/**
 * The frozen embedding matrix of the scorer, in the vocabulary's id space: one row per token id, then one per
 * n-gram bucket (rows = size + buckets, the vocabulary's `embeddingRows`).
 */
import { isNumberToken, type Vocabulary } from '@gradeshift/core';

import { subwordVector } from './subword-vectors';
import type { EmbeddingTable } from './types';

/** Result of {@link buildEmbeddingMatrix}. */
export interface EmbeddingMatrix {
  /** size + buckets. */
  readonly rows: number;
  /** D. */
  readonly cols: number;
  /** rows × D, row-major. */
  readonly data: Float32Array;
  /** Token rows with a pretrained vector, with a sub-word vector, and left at zero (incl. `<pad>`, `<unk>`). */
  readonly counts: { readonly pretrained: number; readonly subword: number; readonly zero: number };
}

/**
 * Fills the embedding matrix: a token with a pretrained vector gets it; any other word (a misspelling, a
 * brand) gets the mean of its non-empty n-gram buckets (all of its n-grams, not only the first slots) or
 * stays zero; number tokens, `<pad>` and `<unk>` stay zero (numbers are matched by the term-match
 * features); bucket rows get the bucket vectors.
 * @param vocabulary - the vocabulary (tokens and sub-word layout)
 * @param table - the pruned embedding table
 * @returns the matrix and how each token row was filled
 * @throws RangeError when the vocabulary's sub-word layout differs from the table's
 */
export function buildEmbeddingMatrix(
  vocabulary: Pick<Vocabulary, 'tokens' | 'subwords'>,
  table: EmbeddingTable,
): EmbeddingMatrix {
  const { dims: d, subwords } = table;
  const layout = vocabulary.subwords;
  if (
    layout !== undefined &&
    (layout.buckets !== subwords.buckets ||
      layout.minN !== subwords.minN ||
      layout.maxN !== subwords.maxN)
  ) {
    throw new RangeError(
      `vocabulary.subwords (${layout.buckets} buckets, n ${layout.minN}..${layout.maxN}) must match the table's (${subwords.buckets} buckets, n ${subwords.minN}..${subwords.maxN})`,
    );
  }
  const size = vocabulary.tokens.length;
  const buckets = layout === undefined ? 0 : subwords.buckets;
  const data = new Float32Array((size + buckets) * d);
  const rowOf = new Map(table.words.map((w, i) => [w, i]));
  const counts = { pretrained: 0, subword: 0, zero: 0 };
  vocabulary.tokens.forEach((token, id) => {
    const r = id < 2 ? undefined : rowOf.get(token);
    if (r !== undefined) {
      data.set(table.vectors.subarray(r * d, (r + 1) * d), id * d);
      counts.pretrained++;
      return;
    }
    // Number tokens stay zero: no pretrained word has a digit, so their buckets hold only hash collisions.
    const v = id < 2 || isNumberToken(token) ? undefined : subwordVector(subwords, token);
    if (v === undefined) counts.zero++;
    else {
      data.set(v, id * d);
      counts.subword++;
    }
  });
  if (buckets > 0) data.set(subwords.vectors, size * d);
  return { rows: size + buckets, cols: d, data, counts };
}
