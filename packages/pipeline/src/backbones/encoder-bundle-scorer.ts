/**
 * An encoder bundle behind the scorer interface the API serves with (`scorePairs` / `scoreBatch` of a word-vector
 * scorer bundle): each call scores its pairs with {@link scoreOpenEncoderBundle}, the step behind `gradeshift
 * score --model <encoder bundle>`, so the API's figures are the CLI's (float64 in the step, handed over as the
 * scorer interface's float32 arrays). Each distinct text of a call is embedded once. Also names the bundle for
 * clients: the sha256 of its manifest.json, which lists every file's sha256, the decision rule and the detectors.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  encoderBundleFiles,
  type BundleBatchScores,
  type BundleScorer,
  type EncoderBundleManifest,
  type ScorePairsOptions,
} from '@gradeshift/core';
import type { Gemm } from '@gradeshift/core/math';
import { sha256Hex } from '@gradeshift/core/node';

import { BundleError, isBundleError } from '../bundle/bundle-error';
import type { ScoredPairs } from '../pipeline/score-bundle-pairs';
import { openEncoderBundle } from './encoder-bundle';
import { scoreOpenEncoderBundle } from './score-encoder-bundle';

/**
 * An encoder bundle as a scorer: the scorer bundle's two calls (`scorePairs` ranks best first by expected grade,
 * p(top grade), input order), beside the encoder bundle's manifest.
 */
export type EncoderBundleScorer = Omit<BundleScorer, 'manifest'> & {
  readonly manifest: EncoderBundleManifest;
};

/** A loaded encoder bundle: its folder, manifest and identity, its scorer, and how to release it. */
export interface LoadedEncoderBundleScorer {
  readonly bundle: {
    readonly dir: string;
    readonly manifest: EncoderBundleManifest;
    /** sha256 of manifest.json: the bundle's identity. */
    readonly sha256: string;
    /** Bytes of manifest.json and every file it lists. */
    readonly bytes: number;
  };
  readonly scorer: EncoderBundleScorer;
  dispose(): Promise<void>;
}

/** The scorer interface's columns of scored pairs (float64 → float32; OOD results as a record). */
function batchScores(scored: ScoredPairs): BundleBatchScores {
  return {
    count: scored.expected.length,
    grades: scored.grades,
    probs: Float32Array.from(scored.probs),
    expected: Float32Array.from(scored.expected),
    predicted: scored.predicted,
    ood: Object.fromEntries(scored.ood),
  };
}

/** Refuses `features`: a scorer bundle's feature vectors (its hidden layer) have no encoder-bundle counterpart. */
function assertNoFeatures(options: ScorePairsOptions | undefined): void {
  if (options?.features === true)
    throw new Error(
      'an encoder bundle gives no feature vectors (features: true): use a word-vector scorer bundle for that',
    );
}

/** A refusal of `openEncoderBundle` as a BundleError (so a server answers 4xx with its code), its text kept. */
function asBundleError(error: unknown, dir: string): BundleError {
  if (isBundleError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BundleError(
    'MODEL_LOAD_FAILED',
    { path: dir, reason: `not a usable encoder bundle: ${reason}` },
    { cause: error, hint: 'fix or export the encoder bundle again (gradeshift encoder)' },
  );
}

/**
 * Opens an encoder bundle as a scorer, with every check of `openEncoderBundle` (files' sha256, decision rule,
 * detector states, model output, tokenizer).
 * @param dir - the bundle folder
 * @param options - onnxruntime threads per run; the detectors' matrix products (e.g. onnxruntime's, as `gradeshift
 *   score`)
 * @throws BundleError (CHECKSUM_MISMATCH, MISSING_FILE, MODEL_LOAD_FAILED) with `openEncoderBundle`'s reason,
 *   naming the file and what to do
 */
export async function loadEncoderBundleScorer(
  dir: string,
  options: { readonly threads?: number; readonly gemm?: Gemm } = {},
): Promise<LoadedEncoderBundleScorer> {
  const root = resolve(dir);
  const opened = await (async () => {
    const manifestBytes = readFileSync(join(root, 'manifest.json'));
    return { manifestBytes, bundle: await openEncoderBundle(root, { cacheDir: null, ...options }) };
  })().catch((error: unknown) => {
    throw asBundleError(error, root);
  });
  const { manifestBytes, bundle } = opened;
  const { manifest } = bundle;
  const bytes = encoderBundleFiles(manifest).reduce(
    (sum, entry) => sum + statSync(join(root, entry.file)).size,
    manifestBytes.byteLength,
  );
  const scoreBatch = async (
    pairs: readonly { query: string; item: string }[],
    scoreOptions?: ScorePairsOptions,
  ) => {
    assertNoFeatures(scoreOptions);
    return batchScores(await scoreOpenEncoderBundle(bundle, pairs));
  };
  return {
    bundle: { dir: root, manifest, sha256: sha256Hex(manifestBytes), bytes },
    scorer: {
      manifest,
      scoreBatch,
      async scorePairs(query, items, scoreOptions) {
        assertNoFeatures(scoreOptions);
        const pairs = items.map((item) => ({ query, item }));
        const scored = await scoreOpenEncoderBundle(bundle, pairs);
        const rank = new Uint32Array(pairs.length);
        scored.rank.forEach((position, item) => {
          rank[position] = item;
        });
        return { ...batchScores(scored), rank };
      },
    },
    dispose: () => bundle.dispose(),
  };
}
