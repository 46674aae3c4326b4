/**
 * @file The producer's last step: the chunks' outputs joined in input order into the final file, each pair
 * ranked among its query's pairs across all chunks (pass 1 reads the exact expected grades and top-grade
 * probabilities, pass 2 writes the rows with their ranks), written atomically: the same bytes as
 * `gradeshift score` in one process.
 */
import { writeLinesAtomic } from '../io/atomic-write';
import { rankPairsWithinQueries } from '../pipeline/score-bundle-pairs';
import { readChunkFile } from './chunk-file';
import type { ChunkJobResult } from './chunk-job';

/** Text pieces of about 1 MiB, so a million rows are a few hundred writes. */
function* batched(lines: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const line of lines) {
    buffer.push(line);
    length += line.length;
    if (length >= size) {
      yield buffer.join('');
      buffer = [];
      length = 0;
    }
  }
  if (buffer.length > 0) yield buffer.join('');
}

/** Options of {@link mergeChunks}. */
export interface MergeChunksOptions {
  /** The parts folder. */
  readonly partsDir: string;
  /** Each chunk's result, in input order. */
  readonly chunks: readonly ChunkJobResult[];
  /** The input's pairs (their queries), in input order. */
  readonly pairs: readonly { query: string }[];
  /** The output path, or `{ write }` for a stream such as stdout. */
  readonly out: string | { write(text: string): unknown };
}

/**
 * Merges chunk outputs into the scored file.
 * @throws Error when a chunk file is missing, altered (sha256) or holds another number of rows
 */
export function mergeChunks(options: MergeChunksOptions): void {
  const { partsDir, chunks, pairs } = options;
  const n = pairs.length;
  const expected = new Float64Array(n);
  const top = new Float64Array(n);
  let at = 0;
  for (const chunk of chunks)
    for (const fields of readChunkFile(partsDir, chunk)) {
      expected[at] = Number(fields[0]);
      top[at] = Number(fields[1]);
      at++;
    }
  if (at !== n) throw new Error(`the chunks hold ${at} rows, the input ${n} pairs`);
  const rank = new Int32Array(n);
  rankPairsWithinQueries(pairs, { expected, top }, rank);
  function* rows(): Generator<string> {
    let i = 0;
    for (const chunk of chunks)
      for (const fields of readChunkFile(partsDir, chunk))
        yield `${fields[2] ?? ''}${rank[i++] ?? 0}${fields[3] ?? ''}\n`;
  }
  if (typeof options.out === 'string') writeLinesAtomic(options.out, batched(rows()));
  else for (const text of batched(rows())) options.out.write(text);
}
