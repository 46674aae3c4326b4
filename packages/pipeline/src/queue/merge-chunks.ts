/**
 * @file The producer's last step: the chunks' outputs joined in input order into the final file, each pair
 * ranked among its query's pairs across all chunks, written atomically: the same bytes as `gradeshift score` in
 * one process. Nothing holds the whole file: one chunk's output is read at a time, and ranking goes through
 * scratch files in the parts folder.
 *
 * 1. Each pair's (index, exact expected grade, exact p(top grade), query) goes to one of B bucket files chosen by
 *    a hash of its query, B = ⌈pairs / {@link BUCKET_PAIRS}⌉, so every query's pairs share one bucket, in input
 *    order.
 * 2. One bucket at a time, the pairs are grouped by query and ranked (expected grade, then p(top grade), then
 *    input order: `rankPairsWithinQueries`); the ranks go to a file of 32-bit ranks at each pair's index.
 * 3. The chunks are read again in input order and each row written with its rank.
 *
 * Memory is bounded by 1 MiB of a chunk's output plus one bucket (about {@link BUCKET_PAIRS} pairs, more only when one query
 * alone has more pairs than that).
 */
import {
  appendFileSync,
  closeSync,
  openSync,
  readSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

import { rankByExpectedGrade } from '@gradeshift/core';

import { writeLinesAtomic } from '../io/atomic-write';
import { fileLines, readChunkFile } from './chunk-file';
import type { ChunkJobResult } from './chunk-job';

/** Pairs per bucket file: about 40 MB of bucket text and 28 MB of arrays while a bucket is ranked. */
export const BUCKET_PAIRS = 1 << 20;
/**
 * Bucket lines buffered before they are appended to their files: few, so they die young (65,536 buffered lines
 * outlived the young generation and raised the producer's peak RSS by about 200 MB at a million pairs).
 */
const FLUSH_LINES = 1 << 12;

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

/** FNV-1a over the UTF-16 code units of `text`. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Pass 1: each pair's index, scores and query into its query's bucket file. @returns the pairs per bucket */
function writeBuckets(
  partsDir: string,
  chunks: readonly ChunkJobResult[],
  paths: readonly string[],
): number[] {
  const b = paths.length;
  const counts = paths.map(() => 0);
  let buffers: string[][] = paths.map(() => []);
  let buffered = 0;
  const flush = (): void => {
    buffers.forEach(
      (lines, i) => lines.length > 0 && appendFileSync(paths[i] ?? '', lines.join('')),
    );
    buffers = paths.map(() => []);
    buffered = 0;
  };
  for (const path of paths) writeFileSync(path, '');
  let g = 0;
  for (const chunk of chunks)
    for (const [expected, top, query = ''] of readChunkFile(partsDir, chunk)) {
      const i = b === 1 ? 0 : hash32(query) % b;
      buffers[i]?.push(`${g++}\t${expected}\t${top}\t${query}\n`);
      counts[i] = (counts[i] ?? 0) + 1;
      if (++buffered >= FLUSH_LINES) flush();
    }
  flush();
  return counts;
}

/** Writes `ranks[j]` at index `at[j]` of the rank file, one write per run of consecutive indices. */
function writeRanks(fd: number, at: Float64Array, ranks: Int32Array): void {
  for (let j = 0; j < at.length;) {
    let k = j + 1;
    while (k < at.length && at[k] === (at[k - 1] ?? 0) + 1) k++;
    const run = Buffer.alloc((k - j) * 4);
    for (let r = j; r < k; r++) run.writeInt32LE(ranks[r] ?? 0, (r - j) * 4);
    writeSync(fd, run, 0, run.length, (at[j] ?? 0) * 4);
    j = k;
  }
}

/** Pass 2 for one bucket: its pairs grouped by query and ranked, the ranks written at their indices. */
function rankBucket(path: string, count: number, fd: number): void {
  const at = new Float64Array(count);
  const expected = new Float64Array(count);
  const top = new Float64Array(count);
  const group = new Int32Array(count);
  const groups = new Map<string, number>();
  let j = 0;
  for (const line of fileLines(path)) {
    const [g = '', e = '', t = '', query = ''] = line.split('\t');
    let id = groups.get(query);
    if (id === undefined) groups.set(query, (id = groups.size));
    [at[j], expected[j], top[j], group[j]] = [Number(g), Number(e), Number(t), id];
    j++;
  }
  if (j !== count) throw new Error(`${path}: ${j} pairs, ${count} were written`);
  // The pairs of each query, in input order (a counting sort by query).
  const first = new Int32Array(groups.size + 1);
  for (let i = 0; i < count; i++) {
    const q = (group[i] ?? 0) + 1;
    first[q] = (first[q] ?? 0) + 1;
  }
  for (let q = 0; q < groups.size; q++) first[q + 1] = (first[q + 1] ?? 0) + (first[q] ?? 0);
  const order = new Int32Array(count);
  const fill = first.slice(0, groups.size);
  for (let i = 0; i < count; i++) {
    const q = group[i] ?? 0;
    const slot = fill[q] ?? 0;
    order[slot] = i;
    fill[q] = slot + 1;
  }
  const ranks = new Int32Array(count);
  for (let q = 0; q < groups.size; q++) {
    const members = order.subarray(first[q] ?? 0, first[q + 1] ?? 0);
    const e = Float64Array.from(members, (i) => expected[i] ?? 0);
    const t = Float64Array.from(members, (i) => top[i] ?? 0);
    rankByExpectedGrade(e, { tieBreak: t }).forEach((m, position) => {
      ranks[members[m] ?? 0] = position;
    });
  }
  writeRanks(fd, at, ranks);
}

/** Pass 3: the rows in input order with their ranks. */
function* rankedRows(
  partsDir: string,
  chunks: readonly ChunkJobResult[],
  rankPath: string,
): Generator<string> {
  const fd = openSync(rankPath, 'r');
  try {
    let g = 0;
    for (const chunk of chunks) {
      const ranks = Buffer.alloc(chunk.pairs * 4);
      if (readSync(fd, ranks, 0, ranks.length, g * 4) !== ranks.length)
        throw new Error(`${rankPath}: the ranks of pairs ${g}–${g + chunk.pairs - 1} are missing`);
      let j = 0;
      for (const fields of readChunkFile(partsDir, chunk))
        yield `${fields[3] ?? ''}${ranks.readInt32LE(4 * j++)}${fields[4] ?? ''}\n`;
      g += chunk.pairs;
    }
  } finally {
    closeSync(fd);
  }
}

/** Options of {@link mergeChunks}. */
export interface MergeChunksOptions {
  /** The parts folder (the bucket and rank files go there too). */
  readonly partsDir: string;
  /** Each chunk's result, in input order. */
  readonly chunks: readonly ChunkJobResult[];
  /** Pairs in the input. */
  readonly pairs: number;
  /** The output path, or `{ write }` for a stream such as stdout. */
  readonly out: string | { write(text: string): unknown };
  /** Pairs per bucket file. @default BUCKET_PAIRS */
  readonly bucketPairs?: number;
}

/**
 * Merges chunk outputs into the scored file.
 * @throws Error when a chunk file is missing, altered (sha256) or holds another number of rows
 */
export function mergeChunks(options: MergeChunksOptions): void {
  const { partsDir, chunks, pairs } = options;
  const held = chunks.reduce((sum, c) => sum + c.pairs, 0);
  if (held !== pairs) throw new Error(`the chunks hold ${held} rows, the input ${pairs} pairs`);
  const b = Math.max(1, Math.ceil(pairs / (options.bucketPairs ?? BUCKET_PAIRS)));
  const paths = Array.from({ length: b }, (_, i) => join(partsDir, `bucket-${i}.tsv`));
  const rankPath = join(partsDir, 'ranks.i32');
  const counts = writeBuckets(partsDir, chunks, paths);
  const fd = openSync(rankPath, 'w');
  try {
    paths.forEach((path, i) => {
      rankBucket(path, counts[i] ?? 0, fd);
      rmSync(path);
    });
  } finally {
    closeSync(fd);
  }
  const rows = batched(rankedRows(partsDir, chunks, rankPath));
  if (typeof options.out === 'string') writeLinesAtomic(options.out, rows);
  else for (const text of rows) options.out.write(text);
}
