/**
 * `gradeshift score`: a file of (query, item) pairs scored with a model bundle (or an encoder bundle,
 * `score-encoder-bundle.ts`), one JSONL row per pair in file
 * order: id, line, query, item, grade probabilities, expected and predicted grade (with its name), the rank among
 * the query's pairs, and each OOD score with its ID percentile and flag. Written atomically, or streamed to stdout.
 */
import {
  isCrossEncoderBundle,
  scoreCrossEncoderBundlePairs,
} from '../backbones/score-cross-encoder-bundle';
import { isEncoderBundle, scoreEncoderBundlePairs } from '../backbones/score-encoder-bundle';
import type { UnlabeledPair } from '../data/dataset';
import { loadPairs, type LoadPairsOptions } from '../data/load-dataset';
import { writeLinesAtomic } from '../io/atomic-write';
import type { ProgressSink } from '../stages/progress';
import { scoreBundlePairs, type ScoredPairs } from './score-bundle-pairs';

/** Options for {@link scoreFile}. */
export interface ScoreFileOptions {
  /** The bundle folder. */
  modelDir: string;
  /** The pairs file. */
  path: string;
  /** Column mapping, format, error policy and limits of the pairs file. */
  load: LoadPairsOptions;
  /** The output path, or `{ write }` for a stream such as stdout. */
  out: string | { write(text: string): unknown };
  /**
   * Scoring threads: chunks of 8,192 pairs are scored in that many worker threads, each holding the bundle, when
   * each gets at least two chunks; 0 (or a smaller file) scores on the calling thread. @default min(2, cores)
   */
  threads?: number;
  progress?: ProgressSink;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * One scored pair's output row cut around its rank, `head + rank + tail` being the row: the rank is known only
 * once every pair of the query is scored, which on a queue is after the chunks come back.
 * @param pair - the pair as loaded (id, line, query, item)
 * @param scored - the scores of the pairs `pair` is among
 * @param i - the pair's index in `scored`
 * @returns the row's text before and after the rank, the tail ending in a newline
 */
export function scoredRowParts(
  pair: UnlabeledPair,
  scored: ScoredPairs,
  i: number,
): { head: string; tail: string } {
  const k = scored.grades.length;
  const ood: Record<string, { score: number; percentile: number; flag: boolean }> = {};
  for (const [name, o] of scored.ood)
    ood[name] = {
      score: round(o.score[i] ?? 0),
      percentile: round(o.percentile[i] ?? 0),
      flag: o.flag[i] === 1,
    };
  const predicted = scored.predicted[i] ?? 0;
  const head = JSON.stringify({
    id: pair.id,
    line: pair.line,
    query: pair.query,
    item: pair.item,
    probs: Array.from(scored.probs.subarray(i * k, (i + 1) * k), round),
    expected: round(scored.expected[i] ?? 0),
    predicted,
    predicted_name: scored.grades[predicted] ?? null,
  });
  // JSON.stringify without spacing is the concatenation of its members: this is the whole object's text.
  return { head: `${head.slice(0, -1)},"rank":`, tail: `,"ood":${JSON.stringify(ood)}}\n` };
}

function* rows(
  file: Awaited<ReturnType<typeof loadPairs>>,
  scored: ScoredPairs,
): Generator<string> {
  for (let i = 0; i < file.pairs.length; i++) {
    const pair = file.pairs[i];
    if (pair === undefined) continue;
    const { head, tail } = scoredRowParts(pair, scored, i);
    yield `${head}${scored.rank[i] ?? 0}${tail}`;
  }
}

/**
 * Scores a pairs file with a bundle.
 * @param options - bundle, file and mapping, output
 * @returns the number of pairs scored and the issues skipped (with `onError: 'skip'`)
 * @throws BundleError for a bundle that does not load; DataError for a bad file (with its line)
 */
export async function scoreFile(
  options: ScoreFileOptions,
): Promise<{ pairs: number; skipped: number }> {
  const { progress } = options;
  const file = await loadPairs(options.path, {
    ...options.load,
    ...(progress === undefined
      ? {}
      : {
          onProgress: (rows: number) =>
            progress({ stage: 'load', message: 'reading rows', done: rows }),
        }),
  });
  const settings = {
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(progress === undefined ? {} : { progress }),
  };
  const scored = isEncoderBundle(options.modelDir)
    ? await scoreEncoderBundlePairs(options.modelDir, file.pairs, settings)
    : isCrossEncoderBundle(options.modelDir)
      ? await scoreCrossEncoderBundlePairs(options.modelDir, file.pairs, settings)
      : await scoreBundlePairs(options.modelDir, file.pairs, settings);
  if (typeof options.out === 'string') writeLinesAtomic(options.out, rows(file, scored));
  else for (const line of rows(file, scored)) options.out.write(line);
  return { pairs: file.pairs.length, skipped: file.issues.length };
}
