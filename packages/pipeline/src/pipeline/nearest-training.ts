/**
 * The nearest training pairs of each scored pair, for the pair detail an analyst opens: in the content space
 * (pooled query and item directions), among a seeded sample of ID-train pairs. The similarity is the mean of the
 * query-direction and item-direction cosines (each half of a content row is a unit vector), in [−1, 1].
 */
import type { MatrixLike } from '@gradeshift/core/math';
import { createRng, selectRows, shuffledIndices, type Gemm } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';

import type { LabeledPair } from '../data/dataset';
import type { PreparedSplit } from '../stages/prepare';

/** ID-train pairs the neighbours are drawn from (a seeded sample). */
export const NEIGHBOUR_BANK = 4096;
/** Neighbours kept per pair. */
export const NEIGHBOURS = 3;
/** Rows multiplied against the bank at once (bounds the product's memory: rows × bank doubles). */
const CHUNK = 2048;

/** One nearest training pair. */
export interface Neighbour {
  readonly id: string;
  readonly query: string;
  readonly item: string;
  readonly grade: number;
  /** Mean of the query and item direction cosines. */
  readonly similarity: number;
}

/** The {@link NEIGHBOURS} largest entries of one product row, best first (lowest index on ties). */
function topK(row: ArrayLike<number>, offset: number, width: number): number[] {
  const k = NEIGHBOURS;
  const best: number[] = [];
  for (let j = 0; j < width; j++) {
    const v = row[offset + j] ?? -Infinity;
    if (best.length === k && v <= (row[offset + (best[k - 1] ?? 0)] ?? -Infinity)) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && v > (row[offset + (best[at - 1] ?? 0)] ?? -Infinity)) at--;
    best.splice(at, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}

async function nearestOf(
  content: MatrixLike,
  bank: { rows: MatrixLike; pairs: readonly LabeledPair[] },
  gemm: Gemm,
): Promise<Neighbour[][]> {
  const out: Neighbour[][] = [];
  for (let start = 0; start < content.rows; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, content.rows - start) }, (_, i) => start + i);
    const product = await gemm.gemm(selectRows(content, rows), bank.rows, { transB: true });
    const width = product.cols;
    for (let r = 0; r < rows.length; r++)
      out.push(
        topK(product.data, r * width, width).map((j) => {
          const pair = bank.pairs[j];
          return {
            id: pair?.id ?? '',
            query: pair?.query ?? '',
            item: pair?.item ?? '',
            grade: pair?.grade ?? 0,
            similarity: Math.round(((product.data[r * width + j] ?? 0) / 2) * 1e4) / 1e4,
          };
        }),
      );
  }
  return out;
}

/**
 * The nearest ID-train pairs of every row of `splits`.
 * @param train - ID train (its pairs and content rows)
 * @param splits - the splits whose rows get neighbours (with content rows)
 * @param seed - the bank sample's seed
 * @returns per split, per row, up to {@link NEIGHBOURS} neighbours, most similar first; splits without content
 *   rows are left out
 */
export async function nearestTrainingPairs(
  train: PreparedSplit,
  splits: readonly PreparedSplit<unknown>[],
  seed: number,
): Promise<Map<PreparedSplit<unknown>, Neighbour[][]>> {
  const found = new Map<PreparedSplit<unknown>, Neighbour[][]>();
  const trainRows = train.content?.content;
  if (trainRows === undefined || trainRows.rows === 0) return found;
  const picked = Array.from(
    shuffledIndices(trainRows.rows, createRng(seed)).subarray(0, NEIGHBOUR_BANK),
  ).sort((a, b) => a - b);
  const bank = {
    rows: selectRows(trainRows, picked),
    pairs: picked.flatMap((i) => train.pairs[i] ?? []),
  };
  const gemm = createOrtGemm({ dtype: 'float32', backendOptions: { intraOpNumThreads: 1 } });
  try {
    for (const split of splits) {
      const content = split.content?.content;
      if (content !== undefined) found.set(split, await nearestOf(content, bank, gemm));
    }
  } finally {
    await gemm.dispose();
  }
  return found;
}
