/**
 * @file A chunk's output on the shared folder. One line per pair:
 * `expected TAB p(top grade) TAB query (JSON) TAB row-before-rank TAB row-after-rank`, the two numbers exact
 * (shortest round-trip decimal) so the producer ranks each query's pairs across chunks exactly as the single
 * process does, and the row text cut where the rank goes (JSON escapes tabs and newlines, so neither occurs
 * inside). The file is named
 * by the job id and the sha256 of its bytes and written atomically: a chunk scored twice (a stalled worker that
 * was only slow) writes the same bytes under the same name, and the producer reads the one file the completed
 * job names, checking its hash.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  for (const r of rows)
    lines.push(`${r.expected}\t${r.top}\t${JSON.stringify(r.query)}\t${r.head}\t${r.tail}`);
  const bytes = Buffer.from(lines.join(''), 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `${jobId}.${sha256.slice(0, 16)}.part`;
  writeFileAtomic(join(dir, file), bytes);
  return { file, sha256, pairs: lines.length };
}

/**
 * Reads a chunk's lines, checking its hash and row count.
 * @param dir - the parts folder
 * @param result - what the job returned
 * @returns the lines, each split into its five fields
 * @throws Error naming the file when its bytes or row count are not what the job returned
 */
export function readChunkFile(dir: string, result: ChunkJobResult): string[][] {
  const path = join(dir, result.file);
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== result.sha256)
    throw new Error(`${path}: sha256 ${sha256} differs from the job's ${result.sha256}`);
  const text = bytes.toString('utf8');
  const lines = text.length === 0 ? [] : text.slice(0, -1).split('\n');
  if (lines.length !== result.pairs)
    throw new Error(`${path}: ${lines.length} rows, the job reported ${result.pairs}`);
  return lines.map((line, i) => {
    const fields = line.split('\t');
    if (fields.length !== 5) throw new Error(`${path}:${i + 1}: expected 5 tab-separated fields`);
    return fields;
  });
}
