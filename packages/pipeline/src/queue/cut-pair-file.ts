/**
 * @file The producer's one pass over the pairs file: every row read and checked as `gradeshift score` reads it,
 * nothing kept but the counts, the file's sha256 and, every `chunkPairs` pairs, where the next chunk starts (byte
 * offset, line, pair index); each chunk's bytes are hashed on the way, so a worker reads its range alone and
 * knows it holds the bytes the producer saw.
 */
import { datasetFormatOf } from '../data/check-file-columns';
import type { DataIssue } from '../data/data-issue';
import { readDatasetFile, readPairFile, type LoadDatasetOptions } from '../data/load-dataset';
import type { Dataset, DatasetSource, LabeledPair, UnlabeledPair } from '../data/dataset';
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
  /** With labels read: the grade scale and rating mapping they are on. */
  readonly scale?: Pick<Dataset, 'scale' | 'ratingRange' | 'ratingEdges'>;
}

/** Options of {@link cutPairFile}. */
export interface CutOptions {
  /** Pairs per chunk (checked by the caller). */
  readonly chunkPairs: number;
  /** A sink of the rows read so far. */
  readonly onProgress?: (rows: number) => void;
  /**
   * Read the labels too, as `loadDataset` reads them (every label checked, each pair handed to `onPair` in input
   * order): an evaluation's pass. The chunks' `load` still names the pair columns alone.
   */
  readonly labels?: {
    readonly options: LoadDatasetOptions;
    readonly onPair: (pair: LabeledPair) => void;
  };
}

/**
 * Reads the pairs file once and cuts it into chunks of `chunkPairs` pairs.
 * @param path - the pairs file
 * @param load - how it is read (as `gradeshift score` reads it)
 * @param cut - pairs per chunk, progress, and the labels to read too
 * @throws DataError as `loadPairs` does (`loadDataset`, with labels)
 */
export async function cutPairFile(
  path: string,
  load: ChunkLoadOptions,
  cut: CutOptions,
): Promise<CutPairFile> {
  const { chunkPairs, onProgress, labels } = cut;
  const format = datasetFormatOf(path, load.format, path);
  const cutter = new ByteCutter(format === 'csv');
  const starts: { start: number; byteStart: number; firstLine: number; skipLines: number[] }[] = [];
  let header: readonly string[] | undefined;
  let count = 0;
  const onPair = (pair: LabeledPair | UnlabeledPair, line: number): void => {
    const offset = cutter.lineStart(line);
    if (count % chunkPairs === 0) {
      cutter.cut(offset);
      starts.push({ start: count, byteStart: offset, firstLine: line, skipLines: [] });
    } else if (count % STEP === 0) cutter.hashTo(offset);
    count++;
    if (labels !== undefined) labels.onPair(pair as LabeledPair);
  };
  // A duplicate id is an issue only given the rows before it, which the worker does not read: it skips that line.
  const onIssue = (issue: DataIssue): void => {
    if (issue.code === 'DUPLICATE_ID') starts.at(-1)?.skipLines.push(issue.line);
  };
  const pass = {
    collect: { keep: false, onPair, onIssue },
    read: {
      // Texts decoded from 64 KiB stay young-generation strings; 1 MiB ones go to V8's large-object space and
      // pile up until a full collection (about 130 MB more peak RSS at a million pairs).
      chunkBytes: 1 << 16,
      onBytes: (bytes: Uint8Array) => cutter.bytes(bytes),
      onHeader: (fields: readonly string[]) => (header = [...fields]),
    },
  };
  const reading = { ...(onProgress === undefined ? {} : { onProgress }), progressEvery: STEP * 10 };
  let scale: CutPairFile['scale'];
  let file: { issues: readonly DataIssue[]; source: DatasetSource };
  if (labels === undefined) file = await readPairFile(path, { ...load, ...reading }, pass);
  else {
    const dataset = await readDatasetFile(path, { ...labels.options, ...reading }, pass);
    const { ratingRange, ratingEdges } = dataset;
    scale = {
      scale: dataset.scale,
      ...(ratingRange === undefined ? {} : { ratingRange }),
      ...(ratingEdges === undefined ? {} : { ratingEdges }),
    };
    file = dataset;
  }
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
    ...(scale === undefined ? {} : { scale }),
  };
}
