/**
 * A bundle that carries its own model files (an encoder bundle, a cross-encoder bundle) behind the scorer
 * interface the API serves with (`scorePairs` / `scoreBatch` of a word-vector scorer bundle): each call scores its
 * pairs with the step behind `gradeshift score --model <bundle>`, so the API's figures are the CLI's (float64 in
 * the step, handed over as the scorer interface's float32 arrays). Also names the bundle for clients: the sha256
 * of its manifest.json, which lists every file's sha256, the decision rule and the detectors.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { BundleBatchScores, BundleScorer, ScorePairsOptions } from '@gradeshift/core';
import { sha256Hex } from '@gradeshift/core/node';

import { BundleError, isBundleError } from '../bundle/bundle-error';
import type { ScoredPairs } from '../pipeline/score-bundle-pairs';

/**
 * A bundle as a scorer: the scorer bundle's two calls (`scorePairs` ranks best first by expected grade, p(top
 * grade), input order), beside the bundle's own manifest.
 */
export type ModelBundleScorer<TManifest> = Omit<BundleScorer, 'manifest'> & {
  readonly manifest: TManifest;
};

/** A loaded bundle: its folder, manifest and identity, its scorer, and how to release it. */
export interface LoadedModelBundleScorer<TManifest> {
  readonly bundle: {
    readonly dir: string;
    readonly manifest: TManifest;
    /** sha256 of manifest.json: the bundle's identity. */
    readonly sha256: string;
    /** Bytes of manifest.json and every file it lists. */
    readonly bytes: number;
  };
  readonly scorer: ModelBundleScorer<TManifest>;
  dispose(): Promise<void>;
}

/** How to open, measure and score one kind of bundle. */
export interface ModelBundleKind<TManifest, TOpened> {
  /** The kind with its article, for messages ("an encoder bundle"). */
  readonly what: string;
  /** What to do about a bundle that does not open. */
  readonly again: string;
  /** Opens the folder with every check. */
  open(root: string): Promise<TOpened & { readonly manifest: TManifest; dispose(): Promise<void> }>;
  /** The files the manifest lists. */
  files(manifest: TManifest): readonly { readonly file: string }[];
  /** The step behind `gradeshift score --model <bundle>`. */
  score(
    opened: TOpened,
    pairs: readonly { readonly query: string; readonly item: string }[],
  ): Promise<ScoredPairs>;
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

/** A refusal of `open` as a BundleError (so a server answers 4xx with its code), its text kept. */
function asBundleError(error: unknown, dir: string, kind: { what: string; again: string }) {
  if (isBundleError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BundleError(
    'MODEL_LOAD_FAILED',
    { path: dir, reason: `not a usable ${kind.what.replace(/^an? /, '')}: ${reason}` },
    { cause: error, hint: kind.again },
  );
}

/**
 * Opens a bundle as a scorer, with every check of its kind's `open`.
 * @param dir - the bundle folder
 * @param kind - how to open, measure and score it
 * @throws BundleError (NOT_A_BUNDLE, CHECKSUM_MISMATCH, MISSING_FILE, MODEL_LOAD_FAILED, …) with the reason,
 *   naming the file and what to do
 */
export async function loadModelBundleScorer<TManifest, TOpened>(
  dir: string,
  kind: ModelBundleKind<TManifest, TOpened>,
): Promise<LoadedModelBundleScorer<TManifest>> {
  const root = resolve(dir);
  const { manifestBytes, opened } = await (async () => {
    const bytes = readFileSync(join(root, 'manifest.json'));
    return { manifestBytes: bytes, opened: await kind.open(root) };
  })().catch((error: unknown) => {
    throw asBundleError(error, root, kind);
  });
  const { manifest } = opened;
  let bytes: number;
  try {
    // The identity reported is manifest.json's sha256: it must be the manifest that was opened, not one written
    // over it while the bundle loaded (a re-export into the same folder).
    if (!readFileSync(join(root, 'manifest.json')).equals(manifestBytes))
      throw new BundleError(
        'CHECKSUM_MISMATCH',
        { path: join(root, 'manifest.json'), reason: 'the bundle changed while it loaded' },
        { hint: 'load it again once it is written whole' },
      );
    bytes = kind
      .files(manifest)
      .reduce(
        (sum, entry) => sum + statSync(join(root, entry.file)).size,
        manifestBytes.byteLength,
      );
  } catch (error) {
    // Sessions are open by now: released before the refusal, not left for the life of the thread.
    await opened.dispose();
    throw asBundleError(error, root, kind);
  }
  const score = (
    pairs: readonly { query: string; item: string }[],
    options?: ScorePairsOptions,
  ) => {
    // A scorer bundle's feature vectors (its hidden layer) have no counterpart here.
    if (options?.features === true)
      throw new Error(
        `${kind.what} gives no feature vectors (features: true): use a word-vector scorer bundle for that`,
      );
    return kind.score(opened, pairs);
  };
  return {
    bundle: { dir: root, manifest, sha256: sha256Hex(manifestBytes), bytes },
    scorer: {
      manifest,
      scoreBatch: async (pairs, options) => batchScores(await score(pairs, options)),
      async scorePairs(query, items, options) {
        const scored = await score(
          items.map((item) => ({ query, item })),
          options,
        );
        const rank = new Uint32Array(items.length);
        scored.rank.forEach((position, item) => {
          rank[position] = item;
        });
        return { ...batchScores(scored), rank };
      },
    },
    dispose: () => opened.dispose(),
  };
}
