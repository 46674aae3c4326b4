/**
 * @file The producer's one pass over the pairs file: every row read and checked as `gradeshift score` reads it,
 * nothing kept but the counts, the file's sha256 and, every `chunkPairs` pairs, where the next chunk starts (byte
 * offset, line, pair index); each chunk's bytes are hashed on the way, so a worker reads its range alone and
 * knows it holds the bytes the producer saw.
 */
import { datasetFormatOf } from '../data/check-file-columns';
import type { DataIssue } from '../data/data-issue';
import { readPairFile } from '../data/load-dataset';
import type { DatasetSource } from '../data/dataset';
import { ByteCutter } from './byte-cutter';
import type { ChunkLoadOptions, ChunkRange } from './chunk-job';

/** The pairs between two progress reports, and between two hashings of the bytes behind the parser. */
const STEP = 1024;

/** What the pass found. */
export interface CutPairFile {
  /** Pairs in the file. */
  readonly pairs: number;
  readonly issues: readonly DataIssue[];
  readonly source: DatasetSource;
  /** CSV with a header: its fields, which each worker resolves the columns from. */
  readonly header?: readonly string[];
  /** The chunks, in input order. */
  readonly chunks: readonly ChunkRange[];
}

/**
 * Reads the pairs file once and cuts it into chunks of `chunkPairs` pairs.
 * @param path - the pairs file
 * @param load - how it is read (as `gradeshift score` reads it)
 * @param cut - pairs per chunk (checked by the caller), and a sink of the rows read so far
 * @throws DataError as `loadPairs` does
 */
export async function cutPairFile(
  path: string,
  load: ChunkLoadOptions,
  cut: { readonly chunkPairs: number; readonly onProgress?: (rows: number) => void },
): Promise<CutPairFile> {
  const { chunkPairs, onProgress } = cut;
  const format = datasetFormatOf(path, load.format, path);
  const cutter = new ByteCutter(format === 'csv');
  const starts: { start: number; byteStart: number; firstLine: number; skipLines: number[] }[] = [];
  let header: readonly string[] | undefined;
  let count = 0;
  const onPair = (_: unknown, line: number): void => {
    const offset = cutter.lineStart(line);
    if (count % chunkPairs === 0) {
      cutter.cut(offset);
      starts.push({ start: count, byteStart: offset, firstLine: line, skipLines: [] });
    } else if (count % STEP === 0) cutter.hashTo(offset);
    count++;
  };
  // A duplicate id is an issue only given the rows before it, which the worker does not read: it skips that line.
  const onIssue = (issue: DataIssue): void => {
    if (issue.code === 'DUPLICATE_ID') starts.at(-1)?.skipLines.push(issue.line);
  };
  const file = await readPairFile(
    path,
    { ...load, ...(onProgress === undefined ? {} : { onProgress }), progressEvery: STEP * 10 },
    {
      collect: { keep: false, onPair, onIssue },
      read: {
        // Texts decoded from 64 KiB stay young-generation strings; 1 MiB ones go to V8's large-object space and
        // pile up until a full collection (about 130 MB more peak RSS at a million pairs).
        chunkBytes: 1 << 16,
        onBytes: (bytes) => cutter.bytes(bytes),
        onHeader: (fields) => (header = [...fields]),
      },
    },
  );
  const size = cutter.end();
  const chunks = starts.map((s, i) => ({
    ...s,
    end: starts[i + 1]?.start ?? count,
    byteEnd: starts[i + 1]?.byteStart ?? size,
    sha256: cutter.sha256[i] ?? '',
  }));
  return {
    pairs: count,
    issues: file.issues,
    source: file.source,
    ...(header === undefined ? {} : { header }),
    chunks,
  };
}
