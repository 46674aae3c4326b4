/**
 * @file A chunk job: a range of the input's pairs, named by reference (the shared file, the range's bytes and
 * their sha256), never the rows themselves; and what a worker returns: the chunk's output file and its sha256.
 */
import type { LoadPairsOptions } from '../data/load-dataset';

/** The load options a job carries: those of `loadPairs` that are plain data. */
export type ChunkLoadOptions = Omit<LoadPairsOptions, 'onProgress' | 'label'>;

/** Where a chunk lies in the input: its pairs, and the bytes that hold them (cut where a record starts). */
export interface ChunkRange {
  /** Pairs `start` (inclusive) to `end` (exclusive), counted from 0 among the file's pairs. */
  readonly start: number;
  readonly end: number;
  /** Bytes `byteStart` (inclusive, where the chunk's first pair's record starts) to `byteEnd` (exclusive). */
  readonly byteStart: number;
  readonly byteEnd: number;
  /** The line `byteStart` begins (1-based, as the parser counts lines). */
  readonly firstLine: number;
  /** sha256 of the range's bytes as the producer read them: a worker that reads other bytes fails the chunk. */
  readonly sha256: string;
  /** Lines of rows the producer skipped for an id seen in an earlier row (with `onError: 'skip'`). */
  readonly skipLines: readonly number[];
}

/** What a worker needs to score one chunk. */
export interface ChunkJobData extends ChunkRange {
  /** The pairs file (absolute path on the shared folder). */
  readonly input: string;
  /** The whole file's sha256 as the producer read it (provenance; the worker checks its range's). */
  readonly inputSha256: string;
  /** CSV with a header: the header's fields (the worker reads its range only). */
  readonly header?: readonly string[];
  /** How the file is read (format, columns, error policy, limits). */
  readonly load: ChunkLoadOptions;
  /** The model bundle folder (absolute path on the shared folder). */
  readonly modelDir: string;
  /** sha256 of the bundle's manifest.json and model.onnx: a worker with another bundle fails the chunk. */
  readonly modelSha256: string;
  /** Folder where the chunk's output goes (absolute, shared). */
  readonly partsDir: string;
  /**
   * Each output line carries its pair's exact grade probabilities and OOD values too (`chunk-file.ts`): an
   * evaluation's metrics are computed from them, not from the rounded values of the scored rows.
   */
  readonly exactValues?: boolean;
}

/** What a worker returns for a chunk. */
export interface ChunkJobResult {
  /** The output's file name inside `partsDir`: `<job id>.<sha256 prefix>.part`. */
  readonly file: string;
  /** sha256 of the output's bytes. */
  readonly sha256: string;
  /** Pairs in the output (`end − start`). */
  readonly pairs: number;
}

/** Pairs per model run of the bundle scorer; chunk boundaries fall on its multiples (same runs, same bits). */
export const MODEL_BATCH = 128;

/** Pairs per chunk by default: about 1.5 s of scoring on one core. */
export const DEFAULT_CHUNK_PAIRS = 16_384;

/**
 * Checks a chunk size.
 * @throws RangeError unless `chunkPairs` is a positive multiple of {@link MODEL_BATCH}: a chunk boundary inside a
 * model run would change which pairs share a run, and so the last bits of some scores
 */
export function checkChunkPairs(chunkPairs: number): number {
  if (
    !Number.isSafeInteger(chunkPairs) ||
    chunkPairs < MODEL_BATCH ||
    chunkPairs % MODEL_BATCH !== 0
  )
    throw new RangeError(
      `chunk size must be a multiple of ${MODEL_BATCH} pairs (got ${chunkPairs})`,
    );
  return chunkPairs;
}

/** The job id of chunk `index` of scoring run `runId` (BullMQ ids may not contain `:`). */
export function chunkJobId(runId: string, index: number): string {
  return `${runId}-${String(index).padStart(6, '0')}`;
}
