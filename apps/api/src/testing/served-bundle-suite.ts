/**
 * The set-up the API e2e tests of encoder and cross-encoder models share: a bundle written into a temporary
 * folder, `gradeshift score`'s answer for the test pairs, and a real server on loopback serving it, started before
 * the suite's tests and stopped after them.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '@gradeshift/core/node';
import type { ScoredPairs } from '@gradeshift/pipeline';
import { afterAll, beforeAll, expect } from 'vitest';

import type { ScoredList } from '../scoring/score-items';
import { CLI_PAIRS, expectCliFigures, ITEMS, QUERY } from './cli-figures';
import { startTestServer, type TestServer } from './test-server';

/** The token the suites' servers accept. */
export const TOKEN = 'test-token-0123456789abcdef';

/** A written bundle: its folder and manifest.json's sha256 (the identity the API reports). */
export interface WrittenBundle {
  readonly bundle: string;
  readonly sha256: string;
}

/**
 * The sha256 of a bundle folder's manifest.json.
 * @param bundle - the folder
 */
export function manifestSha256(bundle: string): string {
  return sha256Hex(readFileSync(join(bundle, 'manifest.json')));
}

/** What {@link servedBundleSuite} fills in before the suite's tests run. */
export interface ServedBundleSuite<T extends WrittenBundle> {
  dir: string;
  tiny: T;
  /** `gradeshift score --model <bundle>`'s answer for the test pairs. */
  cli: ScoredPairs;
  server: TestServer;
}

/**
 * Registers the suite's hooks: writes the bundle under a temporary folder, scores the test pairs as `gradeshift
 * score` does, and serves the bundle.
 * @param options - the folder's prefix, the writer, the CLI's scoring step, the scoring threads, the models served
 * @returns the suite's state, filled in `beforeAll`
 */
export function servedBundleSuite<T extends WrittenBundle>(options: {
  readonly prefix: string;
  readonly write: (dir: string) => Promise<T>;
  readonly cli: (bundle: string, pairs: typeof CLI_PAIRS) => Promise<ScoredPairs>;
  readonly threads: string;
  /** `GRADESHIFT_MODELS` for the written bundle. */
  readonly models: (bundle: string) => string;
}): ServedBundleSuite<T> {
  const state = {} as ServedBundleSuite<T>;
  beforeAll(async () => {
    state.dir = mkdtempSync(join(tmpdir(), options.prefix));
    state.tiny = await options.write(join(state.dir, 'tiny'));
    state.cli = await options.cli(state.tiny.bundle, CLI_PAIRS);
    state.server = await startTestServer({
      env: {
        GRADESHIFT_API_TOKEN: TOKEN,
        GRADESHIFT_SCORING_THREADS: options.threads,
        GRADESHIFT_MODELS: options.models(state.tiny.bundle),
      },
    });
  }, 180_000);
  afterAll(async () => {
    await state.server.close();
    rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}

/**
 * `score` of the test items with model `id` gives the CLI's figures and identity, and `rank` (the default model,
 * which must be `id`) its five best.
 * @returns the scored list
 */
export async function expectScoreAndRankAsCli(
  server: TestServer,
  model: { id: string; sha256: string; decision: Parameters<typeof expectCliFigures>[2] },
  cli: ScoredPairs,
): Promise<ScoredList> {
  const client = server.client();
  const scored = await client.score.mutate({ query: QUERY, items: ITEMS, model: model.id });
  expect(scored.model).toEqual({ id: model.id, version: 1, sha256: model.sha256 });
  expectCliFigures(scored, cli, model.decision);
  const ranked = await client.rank.mutate({ query: QUERY, items: ITEMS, topN: 5 });
  const best = [...scored.items].sort((a, b) => a.rank - b.rank).slice(0, 5);
  expect(ranked.items).toEqual(best);
  return scored;
}
