/**
 * Browser against Node for the Playground's bundle tests: the Playground asked to score a query against items,
 * the rows and flags its browser table shows, `gradeshift score`'s answer for the same pairs (any bundle kind's
 * scorer), and the parity check: within the Playground's tolerance (max scaled difference < 1e-4,
 * `compareScores`), the same decided grades, OOD flags and ID percentiles.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import type { BundleOodResult } from '@gradeshift/core';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

import { compareScores, type ScoreRow } from '../../src/lib/compare-scores';

/** The Playground input of the parity tests: ID-like items, far ones (text no reference saw), the query itself. */
export const PARITY_INPUT = {
  query: 'cordless drill',
  items: [
    'drill 18 v battery',
    'drill bit',
    'tile grout',
    'zyx 9000 kvq',
    'ææ øø ßß',
    '€€€ 12345 ///',
    'cordless drill',
  ],
} as const;

/**
 * Writes what a parity test measured (e.g. the largest scaled difference per bundle) as JSON, atomically.
 * @param path - the artifact file
 * @param values - what to write
 */
export async function writeParityArtifact(
  path: string,
  values: Readonly<Record<string, number | string>>,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(values, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Rows and, per row, the OOD scores flagged. */
export interface PlaygroundAnswer {
  readonly rows: ScoreRow[];
  readonly flagged: string[][];
}

/** What `gradeshift score`'s scorers return for n pairs. */
export interface NodeScored {
  readonly grades: readonly string[];
  readonly probs: Float64Array;
  readonly expected: Float64Array;
  readonly predicted: Int32Array;
  readonly ood: ReadonlyMap<string, BundleOodResult>;
}

/** A scorer of `gradeshift score` (e.g. `scoreEncoderBundlePairs`). */
export type NodeScorer = (
  bundle: string,
  pairs: { id: string; line: number; query: string; item: string }[],
) => Promise<NodeScored>;

/**
 * Opens the Playground on a query and items and asks the browser to score them.
 * @param page - the page
 * @param origin - the dashboard's URL
 * @param input - the query and the items
 */
export async function scoreInBrowser(
  page: Page,
  origin: string,
  input: { readonly query: string; readonly items: readonly string[] },
): Promise<void> {
  const search = new URLSearchParams({ query: input.query, items: input.items.join('\n') });
  const response = await page.goto(`${origin}/playground?${search.toString()}`);
  expect(response?.status()).toBe(200);
  // Hydrated: a click before hydration would be lost, or land while React hydrates the page.
  await page.locator('[data-browser-state="idle"][data-ready="yes"]').waitFor();
  await page.getByRole('button', { name: 'Score in this browser' }).click();
}

/**
 * The browser's rows and flags, once scored.
 * @param page - the page, after {@link scoreInBrowser}
 */
export async function browserRows(page: Page): Promise<PlaygroundAnswer> {
  await page.locator('[data-browser-state="done"]').waitFor({ timeout: 180_000 });
  const trs = page.locator('table[data-table="playground-browser"] tbody tr');
  const attrs = await trs.evaluateAll((rows) =>
    rows.map((tr) => [tr.getAttribute('data-scores'), tr.getAttribute('data-flagged')]),
  );
  return {
    rows: attrs.map(([json]) => JSON.parse(json ?? 'null') as ScoreRow),
    flagged: attrs.map(([, f]) => (f ?? '').split(' ').filter((n) => n !== '')),
  };
}

/**
 * `gradeshift score`'s answer for the query and items, as rows and flags.
 * @param score - the bundle kind's scorer
 * @param bundle - the bundle folder
 * @param input - the query and the items
 */
export async function nodeRows(
  score: NodeScorer,
  bundle: string,
  input: { readonly query: string; readonly items: readonly string[] },
): Promise<PlaygroundAnswer> {
  const pairs = input.items.map((item, i) => ({
    id: String(i),
    line: i + 2,
    query: input.query,
    item,
  }));
  const scored = await score(bundle, pairs);
  const k = scored.grades.length;
  const ood = [...scored.ood];
  return {
    rows: pairs.map((_, i) => ({
      probs: Array.from(scored.probs.subarray(i * k, (i + 1) * k)),
      expected: scored.expected[i] ?? Number.NaN,
      predicted: scored.predicted[i] ?? -1,
      ood: Object.fromEntries(ood.map(([name, r]) => [name, r.score[i] ?? Number.NaN])),
      percentiles: Object.fromEntries(
        ood.map(([name, r]) => [name, r.percentile[i] ?? Number.NaN]),
      ),
    })),
    flagged: pairs.map((_, i) => ood.filter(([, r]) => r.flag[i] === 1).map(([name]) => name)),
  };
}

/**
 * Browser vs Node: within the tolerance, the same grades, flags and percentiles.
 * @param browser - the browser's answer ({@link browserRows})
 * @param node - Node's ({@link nodeRows})
 * @returns the largest scaled difference
 */
export function expectParity(browser: PlaygroundAnswer, node: PlaygroundAnswer): number {
  const comparison = compareScores(node.rows, browser.rows);
  expect(comparison.oneSided).toEqual([]);
  expect(comparison.predictedMismatches).toBe(0);
  expect(comparison.maxScaledDiff).toBeLessThan(1e-4);
  expect(browser.flagged).toEqual(node.flagged);
  expect(browser.rows.map((r) => r.percentiles)).toEqual(node.rows.map((r) => r.percentiles));
  return comparison.maxScaledDiff;
}

/**
 * The page compared the browser's scores with the API's (the API serves the Playground's bundle, matched by its
 * identity) and found them agreeing within the tolerance, no grade differing on {@link PARITY_INPUT}'s pairs, with
 * no alert.
 * @param page - the Playground after {@link scoreInBrowser}
 */
export async function expectApiAgrees(page: Page): Promise<void> {
  const section = page.locator('[data-browser-state="done"]');
  const status = section.locator('[data-compared="true"]');
  expect(await status.count()).toBe(1);
  expect(Number(await status.getAttribute('data-max-scaled-diff'))).toBeLessThan(1e-4);
  expect(await status.textContent()).toMatch(
    new RegExp(
      `This browser grades these pairs exactly as the API does: .*predicted grades differ on 0 of ${PARITY_INPUT.items.length} pairs`,
    ),
  );
  expect(await section.locator('[role="alert"]').count()).toBe(0);
}
