/**
 * @file A chunk's output on the shared folder. One line per pair:
 * `expected TAB p(top grade) TAB query (JSON) TAB row-before-rank TAB row-after-rank`, and for an evaluation's
 * chunk (`exactValues`) `TAB [grade probabilities…, then each OOD score's score and percentile]` (JSON, exact: the
 * metrics are computed from these, the row holds them rounded to 1e-6), the two numbers exact
 * (shortest round-trip decimal) so the producer ranks each query's pairs across chunks exactly as the single
 * process does, and the row text cut where the rank goes (JSON escapes tabs and newlines, so neither occurs
 * inside). The file is named
 * by the job id and the sha256 of its bytes and written atomically: a chunk scored twice (a stalled worker that
 * was only slow) writes the same bytes under the same name, and the producer reads the one file the completed
 * job names, checking its hash.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

import { writeFileAtomic } from '../io/atomic-write';
import type { ChunkJobResult } from './chunk-job';

/** One scored pair as a chunk line's parts. */
export interface ChunkRow {
  readonly expected: number;
  readonly top: number;
  readonly query: string;
  readonly head: string;
  /** Ends with a newline. */
  readonly tail: string;
  /** An evaluation's exact values (a JSON array), written as a sixth field. */
  readonly exact?: string;
}

/**
 * Writes a chunk's rows to `<dir>/<jobId>.<sha256 prefix>.part` atomically.
 * @returns the file name, the sha256 of its bytes and the row count
 */
export function writeChunkFile(
  dir: string,
  jobId: string,
  rows: Iterable<ChunkRow>,
): ChunkJobResult {
  const lines: string[] = [];
  for (const r of rows) {
    const row = `${r.expected}\t${r.top}\t${JSON.stringify(r.query)}\t${r.head}\t`;
    // The tail ends the line: the exact values go between it and its newline.
    lines.push(
      r.exact === undefined ? `${row}${r.tail}` : `${row}${r.tail.slice(0, -1)}\t${r.exact}\n`,
    );
  }
  const bytes = Buffer.from(lines.join(''), 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `${jobId}.${sha256.slice(0, 16)}.part`;
  writeFileAtomic(join(dir, file), bytes);
  return { file, sha256, pairs: lines.length };
}

/**
 * The lines of a file without their newlines, read 64 KiB at a time.
 * @param onBytes - sees every byte read (e.g. to hash the file)
 */
export function* fileLines(path: string, onBytes?: (bytes: Uint8Array) => void): Generator<string> {
  const fd = openSync(path, 'r');
  // 64 KiB: the text decoded from a block stays a young-generation string (V8 allocates strings over 128 KiB
  // in the large-object space, freed only by a full collection: 1 MiB blocks let the heap grow by hundreds of MB).
  const block = Buffer.alloc(1 << 16);
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  try {
    for (let n = readSync(fd, block); n > 0; n = readSync(fd, block)) {
      const bytes = block.subarray(0, n);
      onBytes?.(bytes);
      const parts = (rest + decoder.decode(bytes, { stream: true })).split('\n');
      rest = parts.pop() ?? '';
      yield* parts;
    }
    rest += decoder.decode();
  } finally {
    closeSync(fd);
  }
  if (rest.length > 0) yield rest;
}

/**
 * Reads a chunk's lines one at a time (64 KiB of the file in memory), checking its hash and row count once the
 * last line is read: a caller that writes rows as they come writes them to a temporary file, or reads the chunk
 * once before (the merge's first pass does).
 * @param dir - the parts folder
 * @param result - what the job returned
 * @returns the lines, each split into its five fields (six with exact values)
 * @throws Error naming the file when its bytes or row count are not what the job returned
 */
export function* readChunkFile(dir: string, result: ChunkJobResult): Generator<string[]> {
  const path = join(dir, result.file);
  const hash = createHash('sha256');
  let rows = 0;
  for (const line of fileLines(path, (bytes) => hash.update(bytes))) {
    rows++;
    const fields = line.split('\t');
    if (fields.length !== 5 && fields.length !== 6)
      throw new Error(`${path}:${rows}: expected 5 tab-separated fields (6 with exact values)`);
    yield fields;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== result.sha256)
    throw new Error(`${path}: sha256 ${sha256} differs from the job's ${result.sha256}`);
  if (rows !== result.pairs)
    throw new Error(`${path}: ${rows} rows, the job reported ${result.pairs}`);
}
