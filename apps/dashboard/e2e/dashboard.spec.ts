/**
 * The dashboard in Chromium against a real API and a real `next start` on two small real runs: every view draws
 * its charts with data, the Samples filters and sorts work, a shared URL restores a view, the Slices table sorts,
 * the selection exports, the Playground's in-browser scores (onnxruntime-web) match the API's within 1e-4; a
 * screenshot of each view goes to tests/artifacts/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { axeViolations, describeViolations } from './harness/axe';
import { ARTIFACTS, startSession, type DashboardSession } from './harness/session';
import { buildSmallRun } from './harness/small-run';

/** Each view, and the charts it must draw. */
const VIEWS: readonly { path: string; name: string; charts: readonly string[] }[] = [
  { path: '/', name: 'overview', charts: ['overview-metrics', 'overview-stages'] },
  { path: '/detectors', name: 'detectors', charts: ['detector-histogram', 'detector-roc'] },
  { path: '/map', name: 'map', charts: [] },
  {
    path: '/calibration',
    name: 'calibration',
    charts: ['reliability-id-test', 'reliability-ood-test'],
  },
  { path: '/slices', name: 'slices', charts: ['slices-heatmap'] },
  { path: '/samples', name: 'samples', charts: [] },
  { path: '/selection', name: 'selection', charts: ['selection-gains'] },
  { path: '/runs', name: 'runs', charts: ['runs-compare'] },
  { path: '/playground', name: 'playground', charts: [] },
];

/** The widths every view is checked and photographed at: a laptop and a phone. */
const WIDTHS = [1280, 390] as const;

/** SVG marks recharts draws for data (bars, lines, areas); the heat map is an HTML table of cells. */
const MARKS = '.recharts-bar-rectangle path, .recharts-line-curve, .recharts-area-area, td.cell';

/** A scored pair as the Playground's browser table carries it (`data-scores`) and the API returns it. */
interface PairScores {
  probs: number[];
  expected: number;
  predicted: number;
  ood: Record<string, number>;
}

/** The API's own scores for the same input, asked for directly (not through the dashboard). */
async function apiScores(apiUrl: string, query: string, items: readonly string[]) {
  const response = await fetch(`${apiUrl}/trpc/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, items: items.map((text, i) => ({ id: String(i), text })) }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as {
    result: {
      data: {
        items: {
          probs: number[];
          expected: number;
          predictedIndex: number;
          ood: Record<string, { score: number }>;
        }[];
      };
    };
  };
  return body.result.data.items.map((item): PairScores => ({
    probs: item.probs,
    expected: item.expected,
    predicted: item.predictedIndex,
    ood: Object.fromEntries(Object.entries(item.ood).map(([k, v]) => [k, v.score])),
  }));
}

/**
 * max |a − b| / max(1, |a|) over probabilities, expected grades and every OOD score: absolute for values up to 1,
 * relative above (raw Mahalanobis distances reach the hundreds, where one float32 ulp is ~3e-5; onnxruntime-node
 * and -web differ there by a few ulps). Probabilities and expected grades must also agree to 1e-4 absolutely, and
 * predicted grades exactly.
 */
function maxDiff(a: readonly PairScores[], b: readonly PairScores[]): number {
  expect(b).toHaveLength(a.length);
  let max = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    expect(y.predicted).toBe(x.predicted);
    x.probs.forEach((p, c) => expect(Math.abs(p - y.probs[c]!)).toBeLessThan(1e-4));
    expect(Math.abs(x.expected - y.expected)).toBeLessThan(1e-4);
    expect(Object.keys(y.ood).sort()).toEqual(Object.keys(x.ood).sort());
    const pairs: [number, number][] = [
      ...x.probs.map((p, c): [number, number] => [p, y.probs[c]!]),
      [x.expected, y.expected],
      ...Object.entries(x.ood).map(([k, v]): [number, number] => [v, y.ood[k]!]),
    ];
    for (const [p, q] of pairs) max = Math.max(max, Math.abs(p - q) / Math.max(1, Math.abs(p)));
  });
  return max;
}

describe('dashboard in Chromium', () => {
  let dir: string;
  let session: DashboardSession | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  const open = (path: string) => session!.open(path);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradeshift-dashboard-'));
    const first = await buildSmallRun(dir, 'slice');
    await buildSmallRun(dir, 'slice-b', 1);
    session = await startSession(join(dir, 'runs'), first.bundleDir);
    ({ page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(VIEWS)(
    '$name renders its charts with data, fits and has no axe-core violation at 1280 and 390 px',
    async ({ path, name, charts }) => {
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await open(path);
        await expect(page.locator('h1').textContent()).resolves.toBeTruthy();
        expect(await page.locator('.callout-error').count()).toBe(0);
        for (const chart of charts) {
          const frame = page.locator(`[data-chart="${chart}"]`);
          await frame.locator(MARKS).first().waitFor({ timeout: 20_000 });
          expect(Number(await frame.getAttribute('data-points'))).toBeGreaterThan(0);
          expect(await frame.locator(MARKS).count()).toBeGreaterThan(0);
        }
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow, `${name} at ${width} px overflows by ${overflow} px`).toBeLessThanOrEqual(
          0,
        );
        // Audit the settled page: no request in flight and the view (not the route's loading state) shown.
        await page.waitForLoadState('networkidle');
        await page.locator('main h1, h1').first().waitFor({ state: 'visible' });
        const violations = await axeViolations(page);
        expect(violations, `${name} at ${width} px:\n${describeViolations(violations)}`).toEqual(
          [],
        );
        await page.screenshot({
          path: join(ARTIFACTS, `dashboard-${name}-${width}.png`),
          fullPage: true,
        });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(pageErrors).toEqual([]);
    },
    120_000,
  );

  it('draws the far-OOD set beside near in the Overview metrics chart', async () => {
    // The small runs have a far set (the Crowdflower file): ID, near and far bars for each of the six metrics.
    await open('/');
    const chart = page.locator('[data-chart="overview-metrics"]');
    await chart
      .locator('.bar-far .recharts-bar-rectangle path')
      .first()
      .waitFor({ timeout: 20_000 });
    expect(Number(await chart.getAttribute('data-points'))).toBe(18);
    expect(await chart.locator('.recharts-legend-item-text').allTextContents()).toEqual([
      'ID test',
      'Near-OOD test',
      'Far-OOD test',
    ]);
    expect(await chart.locator('.bar-far .recharts-bar-rectangle').count()).toBe(6);
    expect(await chart.locator('figcaption').textContent()).toMatch(
      /near-OOD test: \d+ pairs.* · far-OOD test: \d+ pairs, \d+ queries$/,
    );
    expect(await page.locator('#metrics-h').textContent()).toMatch(/near- and far-OOD test/);
    expect(await page.locator('[data-far-note]').count()).toBe(1);
    expect(await page.locator('[data-stages-near-only]').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  });

  it('lands 20 of 20 consecutive sort and paging clicks', async () => {
    await open('/samples?split=id_test');
    // The samples name the run's decision rule and show the most probable grade beside the predicted one.
    expect(await page.locator('p[data-decision]').textContent()).toMatch(/^Predicted uses the /);
    expect(
      await page.locator('table[data-table="samples"] tbody td[data-col="most-probable"]').count(),
    ).toBeGreaterThan(0);
    const landed: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      // Alternate: sort by error (toggling its order), then the next page of that order.
      const link =
        i % 2 === 0
          ? page.locator('a[data-sort="error"]')
          : page.getByRole('link', { name: 'Next →' });
      const href = await link.getAttribute('href');
      expect(href).toBeTruthy();
      await link.click();
      await page.waitForURL((url) => `${url.pathname}${url.search}` === href, { timeout: 20_000 });
      const table = page.locator('table[data-table="samples"]');
      if (i % 2 === 0) {
        const order = new URLSearchParams(href!.split('?')[1]).get('order');
        await table
          .locator(
            `th[aria-sort="${order === 'asc' ? 'ascending' : 'descending'}"] a[data-sort="error"]`,
          )
          .waitFor({ timeout: 20_000 });
      } else {
        const cursor = Number(new URLSearchParams(href!.split('?')[1]).get('cursor'));
        await page.locator(`[data-first-row="${cursor + 1}"]`).waitFor({ timeout: 20_000 });
      }
      landed.push(href!);
    }
    expect(landed).toHaveLength(20);
  }, 240_000);

  it('filters and sorts samples, and the URL restores the view', async () => {
    await open('/samples');
    const total = Number(await page.locator('[data-total]').getAttribute('data-total'));
    await page.getByLabel('Split').selectOption('ood_test');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/split=ood_test/);
    const filtered = Number(await page.locator('[data-total]').getAttribute('data-total'));
    expect(filtered).toBeGreaterThan(0);
    expect(filtered).toBeLessThan(total);
    const splits = await page
      .locator('table[data-table="samples"] tbody td[data-col="split"]')
      .allTextContents();
    expect(new Set(splits)).toEqual(new Set(['ood_test']));

    // Follow the sort heading's link (a plain URL: the sort is part of the shareable state).
    const sortHref = await page.locator('a[data-sort="ood:mahalanobis"]').getAttribute('href');
    expect(sortHref).toMatch(/split=ood_test/);
    await open(sortHref ?? '');
    await page.locator('th[aria-sort="descending"] a[data-sort="ood:mahalanobis"]').waitFor();
    const scores = (await page.locator('td[data-col="ood:mahalanobis"]').allTextContents()).map(
      (t) => Number.parseFloat(t),
    );
    expect(scores.length).toBeGreaterThan(1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const word = (await page
      .locator('table[data-table="samples"] tbody tr td')
      .first()
      .textContent())!
      .trim()
      .split(/\s+/)[0]!;
    await page.getByLabel('Text in query or item').fill(word);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=/);
    const texts = await page.locator('table[data-table="samples"] tbody tr').allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => t.toLowerCase().includes(word.toLowerCase()))).toBe(true);

    const shared = page.url();
    const firstRow = await page.locator('tbody tr').first().getAttribute('data-row-id');
    const other = await session!.browser.context.newPage();
    await other.goto(shared);
    expect(await other.locator('tbody tr').first().getAttribute('data-row-id')).toBe(firstRow);
    expect(await other.getByLabel('Split').inputValue()).toBe('ood_test');
    expect(await other.getByLabel('Text in query or item').inputValue()).toBe(word);
    await other.close();
    await page.screenshot({
      path: join(ARTIFACTS, 'dashboard-samples-filtered.png'),
      fullPage: true,
    });
  });

  it('drills down from the Overview verdict to the pairs behind a gap, and to one pair in full', async () => {
    await open('/');
    const verdict = page.locator('[data-verdict="ood_test"]');
    expect(await verdict.locator('[data-verdict-finding]').textContent()).toMatch(/p = /);
    await verdict.locator('a[data-drill="gap-macro_f1"]').click();
    await page.waitForURL(/\/samples\?.*split=ood_test.*sort=error/);
    const rows = page.locator('table[data-table="samples"] tbody tr');
    expect(await rows.count()).toBeGreaterThan(1);
    const errors = (await page.locator('td[data-col="error"]').allTextContents()).map(Number);
    expect(errors).toEqual([...errors].sort((a, b) => b - a));
    const id = await rows.first().getAttribute('data-row-id');
    await rows.first().locator('a[data-pair]').click();
    await page.waitForURL(/pair=ood_test%3A/);
    const detail = page.locator('[data-pair-detail]');
    expect(await detail.getAttribute('data-pair-detail')).toBe(id);
    const probs = (await detail.locator('[data-prob]').allTextContents()).map(Number);
    expect(probs).toHaveLength(3);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    const percentiles = await detail.locator('[data-percentile]').allTextContents();
    expect(percentiles.length).toBeGreaterThan(0);
    expect(percentiles.every((p) => /^\d+(\.\d)?%$/.test(p))).toBe(true);
    expect(await detail.locator('[data-detail="rule"]').textContent()).toMatch(/grade/i);
    // The nearest training pairs: three, most similar first, each with its grade.
    const similarities = (
      await detail.locator('[data-detail="neighbours"] tr[data-neighbour] td.num').allTextContents()
    ).map(Number);
    expect(similarities).toHaveLength(3);
    expect(similarities).toEqual([...similarities].sort((a, b) => b - a));
    // The pair column stays in view when the table scrolls right.
    await page.locator('table[data-table="samples"]').evaluate((t) => {
      t.parentElement!.scrollLeft = 10_000;
    });
    await page.locator('td.pair-cell').first().waitFor({ state: 'visible' });
    const cell = await page.locator('td.pair-cell').first().boundingBox();
    const wrap = await page.locator('table[data-table="samples"]').locator('..').boundingBox();
    expect(cell!.x).toBeGreaterThanOrEqual(wrap!.x - 1);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-pair-detail.png'), fullPage: true });

    // A slice row opens its pairs.
    await open('/slices');
    const slice = await page.locator('tr[data-slice]').first().getAttribute('data-slice');
    await page.locator('tr[data-slice] a[data-drill="slice"]').first().click();
    await page.waitForURL(/\/samples\?.*slice=/);
    const slices = await page.locator('td[data-col="slice"]').allTextContents();
    expect(slices.length).toBeGreaterThan(0);
    expect(new Set(slices)).toEqual(new Set([slice]));
  });

  it('moves the detector threshold and restores it from the URL', async () => {
    await open('/detectors');
    await page.locator('select[name="detector"]').selectOption('knn');
    const slider = page.locator('input[type="range"]');
    await slider.fill('50');
    await page.waitForURL(/detector=knn&level=0\.50/, { waitUntil: 'commit' });
    const flagged = await page.locator('[data-kpi="flagged-all"]').textContent();
    expect(Number.parseFloat(flagged ?? '')).toBeGreaterThan(40);
    expect(Number.parseFloat(flagged ?? '')).toBeLessThan(60);
    const kept = await page.locator('[data-kpi="kept-accuracy"]').textContent();
    await open(new URL(page.url()).pathname + new URL(page.url()).search);
    expect(await page.locator('select[name="detector"]').inputValue()).toBe('knn');
    expect(await page.locator('[data-kpi="kept-accuracy"]').textContent()).toBe(kept);
    // Back to the calibrated threshold: the URL follows, so a shared link restores it.
    await page.getByRole('button', { name: 'Calibrated threshold' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('level')).not.toBe('0.50');
    expect(await page.locator('[data-verdict="detectors"] [data-verdict-finding]').count()).toBe(1);
  });

  it('sorts the slices table', async () => {
    await open('/slices');
    // The sort is a link to the sorted view's URL (server-rendered); following its href is what a click does, and
    // does not depend on when client-side navigation takes over on a loaded machine.
    const sortHref = await page.locator('a[data-sort="n"]').getAttribute('href');
    expect(sortHref).toMatch(/sort=n&order=asc/);
    await open(sortHref ?? '');
    await page.locator('th[aria-sort="ascending"] a[data-sort="n"]').waitFor();
    const sizes = (
      await page.locator('table[data-table="slices"] td[data-col="n"]').allTextContents()
    ).map((t) => Number(t.replace(/,/g, '')));
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
  });

  it('exports the annotation queue as CSV and JSONL', async () => {
    await open('/selection');
    const size = Number(await page.locator('[data-queue-size]').getAttribute('data-queue-size'));
    expect(size).toBeGreaterThan(0);
    const csv = await (await fetch(`${session?.web.url ?? ''}/selection/export?format=csv`)).text();
    expect(csv.split('\n')[0]).toBe(
      'rank,id,query,item,predicted,fused_percentile,cluster,reason,label',
    );
    // The predicted grade by name, and an empty label column for the annotator.
    expect(csv.split('\n')[1]).toMatch(/,(irrelevant|weak|strong),.*,$/);
    expect(csv.trim().split('\n')).toHaveLength(size + 1);
    const jsonl = await (
      await fetch(`${session?.web.url ?? ''}/selection/export?format=jsonl`)
    ).text();
    expect(
      jsonl
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { rank: number }),
    ).toHaveLength(size);
  });

  it("scores typed pairs in the browser with onnxruntime-web, matching the API's within 1e-4 (relative above 1)", async () => {
    const browserRows = async (count: number): Promise<PairScores[]> => {
      const rows = page.locator('table[data-table="playground-browser"] tbody tr');
      await page.locator('[data-browser-state="done"]').waitFor({ timeout: 90_000 });
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(count);
      return (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-scores')))).map(
        (json) => JSON.parse(json ?? 'null') as PairScores,
      );
    };
    const query = 'cordless drill';
    const items = [
      'DEWALT 20-Volt MAX Lithium-Ion Cordless Drill/Driver Kit',
      'Behr Premium Plus 1 gal. Flat Interior Paint',
      'Milwaukee M18 Compact Brushless 1/2 in. Drill',
    ];
    await open(`/playground?${new URLSearchParams({ query, items: items.join('\n') }).toString()}`);
    expect(await page.locator('table[data-table="playground"] tbody tr').count()).toBe(3);
    // "Predicted" is explained: the rule is named in a sentence above the table, and the most probable grade is shown
    // beside it (the served run's rule is fitted on ID validation, so the two can differ).
    const note = page.locator('section[data-query] p[data-decision]');
    expect(await note.getAttribute('data-decision')).toMatch(
      /^(ordinal-thresholds|grade-offsets)$/,
    );
    expect(await note.textContent()).toMatch(
      /Predicted uses the (grade offsets|ordinal cut points|ordinal cut points with irrelevant override) rule\. .*most probable/,
    );
    const mostProbable = await page
      .locator('table[data-table="playground"] tbody td[data-col="most-probable"]')
      .allTextContents();
    expect(mostProbable).toHaveLength(3);
    for (const g of mostProbable) expect(['irrelevant', 'weak', 'strong']).toContain(g);
    await page.locator('[data-browser-state="idle"][data-ready="yes"]').waitFor();
    await page.getByRole('button', { name: 'Score in this browser' }).click();
    const first = await browserRows(items.length);
    // Scored off the page's main thread, in the dashboard's scoring worker.
    expect(page.workers().map((w) => w.url())).toContainEqual(
      expect.stringContaining('gradeshift-inference'),
    );
    expect(first[0]?.ood).toHaveProperty('mahalanobis');
    expect(first[0]?.ood).toHaveProperty('energy');
    // Every in-graph content score is compared too (maxDiff reads every OOD key), the pair surprisal among them.
    expect(first[0]?.ood).toHaveProperty('pair_surprisal');
    expect(maxDiff(await apiScores(session?.api.url ?? '', query, items), first)).toBeLessThan(
      1e-4,
    );
    const shown = Number(
      await page.locator('[data-max-scaled-diff]').getAttribute('data-max-scaled-diff'),
    );
    expect(shown).toBeLessThan(1e-4);
    expect(await page.locator('[data-browser-state] [role="alert"]').count()).toBe(0);

    // A new input is scored by the model already loaded: the form navigates on the client.
    const more = [...items, 'Angle bracket 12-gauge', 'garden hose 50 ft'];
    await page.getByLabel('Items, one per line (up to 50)').fill(more.join('\n'));
    await page.getByLabel('Query').fill('drill bits');
    // The form owns its state (no navigation, the loaded model stays): it pushes the URL and fetches the API's
    // scores; wait for the URL, then poll the rows below.
    await page.getByRole('button', { name: 'Score', exact: true }).click();
    await page.waitForURL(/query=drill\+bits/, { waitUntil: 'commit', timeout: 60_000 });
    const second = await browserRows(more.length);
    expect(
      maxDiff(await apiScores(session?.api.url ?? '', 'drill bits', more), second),
    ).toBeLessThan(1e-4);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-playground.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('lays out on a narrow screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('/');
    await page.locator('[data-chart="overview-metrics"]').locator(MARKS).first().waitFor();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // Every view's link is on screen: the navigation wraps instead of hiding views to the right.
    for (const link of await page.locator('nav[aria-label="Views"] a').all()) {
      const box = await link.boundingBox();
      expect(box !== null && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
