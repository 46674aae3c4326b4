/**
 * `gradeshift score --model <encoder bundle>`: pairs scored with an encoder bundle into the same rows as a scorer
 * bundle's (probabilities, expected grade, arg-max grade, rank within the query). The encoder bundle carries no
 * OOD scores and no fitted decision rule yet: rows have an empty `ood` and the arg-max grade.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { UnlabeledPair } from '../data/dataset';
import {
  rankPairsWithinQueries,
  topGradeProbs,
  type ScoredPairs,
} from '../pipeline/score-bundle-pairs';
import type { ProgressSink } from '../stages/progress';
import {
  ENCODER_BUNDLE_FORMAT,
  openEncoderBundle,
  type EncoderBundleManifest,
} from './encoder-bundle';
import { softmaxRow } from './encoder-outputs';

/** Whether a folder holds an encoder bundle (its manifest names the encoder bundle format). */
export function isEncoderBundle(dir: string): boolean {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return false;
  try {
    return (
      (JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown }).format ===
      ENCODER_BUNDLE_FORMAT
    );
  } catch {
    return false;
  }
}

/**
 * Scores pairs with an encoder bundle.
 * @throws Error for a bundle that does not open (see `openEncoderBundle`)
 */
export async function scoreEncoderBundlePairs(
  dir: string,
  pairs: readonly UnlabeledPair[],
  options: { progress?: ProgressSink; threads?: number } = {},
): Promise<ScoredPairs> {
  const manifest = JSON.parse(
    readFileSync(join(dir, 'manifest.json'), 'utf8'),
  ) as EncoderBundleManifest;
  const backbone = await openEncoderBundle(dir, {
    cacheDir: null,
    ...(options.threads === undefined ? {} : { threads: Math.max(1, options.threads) }),
  });
  try {
    const scores = await backbone.score(
      pairs,
      options.progress === undefined ? {} : { progress: options.progress },
    );
    const k = scores.grades;
    const n = pairs.length;
    const probs = new Float64Array(n * k);
    const expected = new Float64Array(n);
    const predicted = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = softmaxRow(scores.logits, i, k);
      probs.set(p, i * k);
      expected[i] = p.reduce((s, v, c) => s + c * v, 0);
      predicted[i] = p.indexOf(Math.max(...p));
    }
    const rank = new Int32Array(n);
    rankPairsWithinQueries(pairs, { expected, top: topGradeProbs(probs, k) }, rank);
    return { grades: manifest.grades, probs, expected, predicted, rank, ood: new Map() };
  } finally {
    await backbone.dispose();
  }
}
