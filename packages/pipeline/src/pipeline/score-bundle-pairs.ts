/**
 * Scoring many (query, item) pairs with a model bundle: pairs of any queries share the ONNX graph's forward
 * passes, chunks of pairs are spread over scoring threads when there are several, and ranks are computed per
 * query afterwards, so a file in any order scores in one pass.
 */
import { rankByExpectedGrade, type BundleBatchScores, type BundleScorer } from '@gradeshift/core';

import type { UnlabeledPair } from '../data/dataset';
import type { ScoringThreads } from '../scoring-threads/start-scoring-threads';
import type { ProgressSink } from '../stages/progress';
import { openPairScorer } from './open-pair-scorer';

/** Pair indices grouped by query, queries in first-appearance order. */
export function groupByQuery(pairs: readonly { query: string }[]): number[][] {
  const groups = new Map<string, number[]>();
  pairs.forEach((p, i) => {
    const list = groups.get(p.query);
    if (list === undefined) groups.set(p.query, [i]);
    else list.push(i);
  });
  return [...groups.values()];
}

/** Scores of n pairs, in input order. */
export interface ScoredPairs {
  /** Grade names, lowest first (K). */
  grades: readonly string[];
  /** n × K grade probabilities, row-major. */
  probs: Float64Array;
  expected: Float64Array;
  predicted: Int32Array;
  /** Rank of each pair among its query's pairs (0 = best, the bundle's ranking). */
  rank: Int32Array;
  /** Each OOD score with its ID percentile, flag and threshold. */
  ood: Map<
    string,
    { score: Float64Array; percentile: Float64Array; flag: Uint8Array; threshold: number }
  >;
}

function place(scored: ScoredPairs, start: number, result: BundleBatchScores): void {
  const k = result.grades.length;
  scored.probs.set(result.probs, start * k);
  scored.expected.set(result.expected, start);
  scored.predicted.set(result.predicted, start);
  for (const [name, o] of Object.entries(result.ood)) {
    let into = scored.ood.get(name);
    if (into === undefined) {
      const n = scored.expected.length;
      into = {
        score: new Float64Array(n),
        percentile: new Float64Array(n),
        flag: new Uint8Array(n),
        threshold: o.threshold,
      };
      scored.ood.set(name, into);
    }
    into.score.set(o.score, start);
    into.percentile.set(o.percentile, start);
    into.flag.set(o.flag, start);
  }
}

/**
 * Ranks each pair among its query's pairs: by expected grade, then p(top grade), then input order.
 * @param pairs - the pairs (their queries), in input order
 * @param scores - each pair's expected grade and probability of the top grade
 * @param into - receives each pair's rank (0 = best)
 */
export function rankPairsWithinQueries(
  pairs: readonly { query: string }[],
  scores: { readonly expected: Float64Array; readonly top: Float64Array },
  into: Int32Array,
): void {
  const { expected, top } = scores;
  for (const index of groupByQuery(pairs)) {
    const e = Float64Array.from(index, (i) => expected[i] ?? 0);
    const t = Float64Array.from(index, (i) => top[i] ?? 0);
    rankByExpectedGrade(e, { tieBreak: t }).forEach((j, position) => {
      into[index[j] ?? 0] = position;
    });
  }
}

/** The probability of the top grade of each of the `n × k` probabilities. */
export function topGradeProbs(probs: Float64Array, k: number): Float64Array {
  return Float64Array.from({ length: probs.length / k }, (_, i) => probs[i * k + k - 1] ?? 0);
}

/** Options of {@link scoreBundlePairs}. */
export interface ScoreBundlePairsOptions {
  progress?: ProgressSink;
  /** Pairs per chunk: one progress event each, and the unit of work of a scoring thread. @default 8192 */
  progressEvery?: number;
  /**
   * Scoring threads when `model` is a bundle folder: 0 scores on the calling thread; n ≥ 1 spreads the chunks
   * over n worker threads when each gets at least two chunks (a smaller file scores on the calling thread, which
   * is faster than starting threads for it). A loaded scorer
   * scores on the calling thread, and started {@link ScoringThreads} are used as they are.
   * @default defaultScoringThreads() (min(2, cores))
   */
  threads?: number;
  /** Pairs per model run, when `model` is a bundle folder. @default 128 */
  batchSize?: number;
  /** OOD scores to compute, when `model` is a bundle folder. @default every score in the manifest */
  oodScores?: readonly string[];
}

function isScoringThreads(model: BundleScorer | ScoringThreads): model is ScoringThreads {
  return 'threads' in model && 'close' in model;
}

/**
 * The unit of work of a scoring thread: half a chunk when that is a whole number of model runs, so the runs hold
 * the same pairs as on the calling thread (the same scores to the bit) while an odd number of full chunks still
 * splits evenly between two threads (the Home Depot file's 9 chunks of 8,192 and one of 339 gave one thread 55%
 * of the pairs).
 */
function threadUnit(chunk: number, batchSize: number): number {
  const half = chunk / 2;
  return Number.isInteger(half) && half % batchSize === 0 ? half : chunk;
}

/** Unit `c` goes to thread `c mod T`: scoring the same file again, each thread finds its texts in its memo. */
async function scoreInThreads(
  pool: ScoringThreads,
  pairs: readonly UnlabeledPair[],
  chunking: { chunk: number; onChunk: (start: number, result: BundleBatchScores) => void },
): Promise<void> {
  const { onChunk } = chunking;
  const chunk = threadUnit(chunking.chunk, pool.batchSize);
  const chunks = Math.ceil(pairs.length / chunk);
  let failed = false;
  const run = async (thread: number): Promise<void> => {
    for (let c = thread; c < chunks && !failed; c += pool.threads) {
      const start = c * chunk;
      const end = Math.min(pairs.length, start + chunk);
      try {
        onChunk(start, await pool.scoreBatch(thread, pairs.slice(start, end)));
      } catch (error) {
        failed = true;
        if (error instanceof Error && error.name !== 'BundleError')
          error.message = `${error.message} (pairs ${start}–${end - 1} of the input, counted from 0)`;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(pool.threads, chunks) }, (_, t) => run(t)));
}

/**
 * Scores pairs with a bundle: chunks of pairs from any queries share forward passes (`scoreBatch`), in scoring
 * threads or on the calling thread, then each pair is ranked among its query's pairs. Results are the same
 * either way.
 * @param model - a bundle folder, a loaded bundle scorer, or started scoring threads
 * @param pairs - the pairs, in any order
 * @param options - threads, progress sink and pairs per chunk
 * @returns the scores in input order, with the rank of each pair among its query's pairs (0 = best)
 * @throws BundleError when a bundle folder does not load; Error naming the thread and the pairs when a scoring
 * thread fails (the threads this call started are always ended)
 * @example const scored = await scoreBundlePairs('runs/default/bundle', pairs, { threads: 2 });
 */
export async function scoreBundlePairs(
  model: string | BundleScorer | ScoringThreads,
  pairs: readonly UnlabeledPair[],
  options: ScoreBundlePairsOptions = {},
): Promise<ScoredPairs> {
  const chunk = Math.max(1, options.progressEvery ?? 8192);
  if (typeof model === 'string') {
    const opened = await openPairScorer(model, {
      pairs: pairs.length,
      chunk,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(options.oodScores === undefined ? {} : { oodScores: options.oodScores }),
    });
    try {
      return await scoreBundlePairs(opened.model, pairs, options);
    } finally {
      await opened.close();
    }
  }
  const n = pairs.length;
  const grades = model.manifest.grades.map((g) => g.name);
  const k = grades.length;
  const scored: ScoredPairs = {
    grades,
    probs: new Float64Array(n * k),
    expected: new Float64Array(n),
    predicted: new Int32Array(n),
    rank: new Int32Array(n),
    ood: new Map(),
  };
  // Progress counts the pairs scored from the start of the input without a gap, one event per chunk, so threads
  // that finish their (possibly half-chunk) units out of order report the same events as the calling thread does.
  const finished = new Map<number, number>();
  let done = 0;
  const onChunk = (start: number, result: BundleBatchScores): void => {
    place(scored, start, result);
    finished.set(start, result.count);
    for (let count = finished.get(done); count !== undefined; count = finished.get(done)) {
      finished.delete(done);
      done += count;
      if (done % chunk === 0 || done === n)
        options.progress?.({ stage: 'evaluate', message: 'scoring pairs', done, total: n });
    }
  };
  if (isScoringThreads(model)) await scoreInThreads(model, pairs, { chunk, onChunk });
  else
    for (let start = 0; start < n; start += chunk)
      onChunk(start, await model.scoreBatch(pairs.slice(start, Math.min(n, start + chunk))));
  rankPairsWithinQueries(
    pairs,
    { expected: scored.expected, top: topGradeProbs(scored.probs, k) },
    scored.rank,
  );
  return scored;
}
