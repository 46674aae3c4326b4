/**
 * `gradeshift score --model <encoder bundle>`: pairs scored with an encoder bundle into the same rows as a scorer
 * bundle's (probabilities, expected grade, the grade under the bundle's decision rule, rank within the query, and
 * each OOD score with its ID percentile and flag at the bundle's threshold).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

import { bundleOodResult, decideGrades } from '@gradeshift/core';
import { softmax, type Matrix } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';
import type { DetectorInput } from '@gradeshift/ood';

import type { UnlabeledPair } from '../data/dataset';
import {
  rankPairsWithinQueries,
  topGradeProbs,
  type ScoredPairs,
} from '../pipeline/score-bundle-pairs';
import type { ProgressSink } from '../stages/progress';
import type { BackboneScores } from './backbone';
import { ENCODER_BUNDLE_FORMAT, openEncoderBundle, type OpenEncoderBundle } from './encoder-bundle';

/** Whether a folder holds an encoder bundle (its manifest names the encoder bundle format). */
export function isEncoderBundle(dir: string): boolean {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return false;
  // writeEncoderBundle puts the format tag first: its first bytes tell without reading the detector states.
  const fd = openSync(path, 'r');
  const head = Buffer.alloc(256);
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (
    new RegExp(`^\\s*\\{\\s*"format"\\s*:\\s*"${ENCODER_BUNDLE_FORMAT}"`).test(
      head.toString('utf8'),
    )
  )
    return true;
  try {
    return (
      (JSON.parse(readFileSync(path, 'utf8')) as { format?: unknown }).format ===
      ENCODER_BUNDLE_FORMAT
    );
  } catch {
    return false;
  }
}

/** Each OOD score of the bundle on the scored pairs, by name. */
async function oodOf(
  bundle: OpenEncoderBundle,
  scores: BackboneScores,
): Promise<ScoredPairs['ood']> {
  const { ood, detectors } = bundle.decisions;
  const rows = (dim: number, data: Float32Array): Matrix => ({
    rows: scores.rows,
    cols: dim,
    data: Float64Array.from(data),
  });
  const relevance = scores.spaces['relevance'];
  const content = scores.spaces['content'];
  const inputs: Record<string, DetectorInput> = {
    logits: { logits: rows(scores.grades, scores.logits) },
    features: relevance === undefined ? {} : { features: rows(relevance.dim, relevance.data) },
    content: content === undefined ? {} : { features: rows(content.dim, content.data) },
  };
  const out: ScoredPairs['ood'] = new Map();
  // A detector may refuse 0 rows.
  if (scores.rows === 0) return out;
  for (const [name, detector] of Object.entries(detectors)) {
    const entry = ood[name];
    if (entry?.source.kind !== 'detector') continue;
    const raw = await detector.score(inputs[entry.source.reads] ?? {});
    out.set(name, bundleOodResult(entry, raw));
  }
  return out;
}

/**
 * Scores pairs with an encoder bundle: probabilities from the head's logits, the grade by the bundle's decision
 * rule, and every OOD score of its manifest.
 * @throws Error for a bundle that does not open (see `openEncoderBundle`)
 */
export async function scoreEncoderBundlePairs(
  dir: string,
  pairs: readonly UnlabeledPair[],
  options: { progress?: ProgressSink; threads?: number } = {},
): Promise<ScoredPairs> {
  // The KNN banks' products on onnxruntime, as the run's evaluation computed them.
  const gemm = createOrtGemm();
  const bundle = await openEncoderBundle(dir, {
    cacheDir: null,
    gemm,
    ...(options.threads === undefined ? {} : { threads: Math.max(1, options.threads) }),
  }).catch(async (error: unknown) => {
    await gemm.dispose();
    throw error;
  });
  try {
    const scores = await bundle.score(
      pairs,
      options.progress === undefined ? {} : { progress: options.progress },
    );
    const k = scores.grades;
    const n = pairs.length;
    // As the run's evaluation reads them (`outputsOf`): float64 softmax of the logits, expected grade, rule.
    const probs = softmax({ rows: n, cols: k, data: Float64Array.from(scores.logits) });
    const expected = new Float64Array(n);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++)
        expected[i] = (expected[i] ?? 0) + c * (probs.data[i * k + c] ?? 0);
    const predicted =
      n === 0 ? new Int32Array(0) : decideGrades(probs, bundle.decisions.decision, { expected });
    const rank = new Int32Array(n);
    rankPairsWithinQueries(pairs, { expected, top: topGradeProbs(probs.data, k) }, rank);
    const ood = await oodOf(bundle, scores);
    return { grades: bundle.manifest.grades, probs: probs.data, expected, predicted, rank, ood };
  } finally {
    await bundle.dispose();
    await gemm.dispose();
  }
}
