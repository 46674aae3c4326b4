/**
 * The shift views in Chromium against a real API and a real `next start`, on fixture run folders (no pipeline
 * run): a run with near and far OOD sets, a budget curve and a map (`writeSampleRunFolder`), and one from before
 * them. Checks the Overview's verdict card per OOD set, the Detectors per space and set, the budget curve's
 * charts and tables, the Map (drawn, recoloured, a region typed and one dragged, each opening exactly its pairs
 * in Samples) and axe-core at 1280 and 390 px on each.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openRunStore } from '@gradeshift/pipeline';
import { writeSampleRunFolder } from '@gradeshift/pipeline/testing';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { writeTestBundle } from '../../api/src/testing/create-test-bundle';
import { axeViolations, describeViolations } from './harness/axe';
import { ARTIFACTS, startSession, type DashboardSession } from './harness/session';

const RUN = 'shift-sample';

/** Records a fixture run folder in the run store the API reads. */
function addRun(runsDir: string, name: string, options: { shift?: boolean } = {}): void {
  const outDir = join(runsDir, name);
  writeSampleRunFolder(outDir, options);
  const store = openRunStore(join(runsDir, 'runs.sqlite'));
  try {
    const run = store.createRun({ name, kind: 'pipeline', outDir, config: {} });
    store.putArtifacts(run.id, [
      { kind: 'report', path: join(outDir, 'report.json') },
      { kind: 'predictions', path: join(outDir, 'predictions.jsonl') },
    ]);
    store.finishRun(run.id, { status: 'succeeded' });
  } finally {
    store.close();
  }
}

describe('shift views in Chromium (fixture runs)', () => {
  let dir: string;
  let session: DashboardSession | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  const open = (path: string) => session!.open(path);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gradeshift-shift-'));
    const runsDir = join(dir, 'runs');
    const bundle = await writeTestBundle({ dir: join(dir, 'bundle'), seed: 1 });
    addRun(runsDir, 'old-sample', { shift: false });
    addRun(runsDir, RUN);
    session = await startSession(runsDir, bundle.dir);
    ({ page, pageErrors } = session);
  });

  afterAll(async () => {
    await session?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['overview', `/?run=${RUN}`],
    ['detectors', `/detectors?run=${RUN}`],
    ['selection', `/selection?run=${RUN}`],
    ['map', `/map?run=${RUN}&region=0.4,2.05,-1,1.1`],
    ['samples-region', `/samples?run=${RUN}&region=0.4,2.05,-1,1.1`],
  ])('%s fits and has no axe-core violation at 1280 and 390 px', async (name, path) => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await open(path);
      await page.waitForLoadState('networkidle');
      await page.locator('main h1, h1').first().waitFor({ state: 'visible' });
      expect(await page.locator('.callout-error').count()).toBe(0);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, `${name} at ${width} px overflows by ${overflow} px`).toBeLessThanOrEqual(0);
      const violations = await axeViolations(page);
      expect(violations, `${name} at ${width} px:\n${describeViolations(violations)}`).toEqual([]);
      await page.screenshot({
        path: join(ARTIFACTS, `dashboard-shift-${name}-${width}.png`),
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(pageErrors).toEqual([]);
  });

  it('gives a verdict card per OOD set, and keeps the old Overview for a report without sets', async () => {
    await open(`/?run=${RUN}`);
    const far = page.locator('[data-ood-set="far"]');
    const near = page.locator('[data-ood-set="near"]');
    expect(await far.getAttribute('data-verdict')).toBe('far_test');
    expect(await near.getAttribute('data-verdict')).toBe('ood_test');
    expect(await far.locator('[data-verdict-finding]').textContent()).toMatch(
      /Detected \(surprisal AUROC 0\.95, 74% flagged\).*\+0\.060 \[\+0\.040, \+0\.080\], p = 0\.010/,
    );
    expect(await near.locator('[data-set-gap]').textContent()).toBe(
      '+0.010 [−0.010, +0.030], p = 0.010',
    );
    expect(await far.locator('[data-set-flagged]').textContent()).toBe('74.0%');
    expect(await near.locator('[data-set-flagged]').textContent()).toBe('20.0%');
    // Both grade mixes side by side: ID test, then the set.
    const mix = await far
      .locator('table[data-table="grade-mix-far"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    expect(mix).toEqual([
      ['irrelevant', '20.0%', '10.0%'],
      ['weak', '30.0%', '30.0%'],
      ['strong', '50.0%', '60.0%'],
    ]);
    expect(await page.locator('[data-guidelines-note]').textContent()).toMatch(
      /different guidelines/,
    );
    expect(await far.locator('[data-guidelines]').textContent()).toMatch(/different guidelines/);
    expect(await near.locator('[data-guidelines]').textContent()).toMatch(/same guidelines/);
    expect(await far.locator('[data-next-step]').textContent()).toMatch(
      /Select pairs of this traffic for annotation/,
    );
    await far.locator('a[data-drill="selection"]').click();
    await page.waitForURL(/\/selection\?run=shift-sample$/);
    await page.locator('[data-budget-curve]').waitFor();

    await open('/?run=old-sample');
    expect(await page.locator('[data-ood-set]').count()).toBe(0);
    expect(await page.locator('[data-verdict="ood_test"] [data-verdict-finding]').count()).toBe(1);
  });

  it('shows each detector by feature space with AUROC, FPR@95 and flagged share per OOD set', async () => {
    await open(`/detectors?run=${RUN}`);
    const content = page.locator('[data-space="content"]');
    const relevance = page.locator('[data-space="relevance"]');
    expect(await content.textContent()).toMatch(/Is this traffic new\?/);
    expect(await relevance.textContent()).toMatch(/Is the model unsure\?/);
    const cell = (space: typeof content, score: string, set: string, metric: string) =>
      space.locator(`tr[data-score="${score}"] td[data-set="${set}"][data-metric="${metric}"]`);
    expect(await cell(content, 'surprisal', 'far', 'auroc').textContent()).toBe('0.950');
    expect(await cell(content, 'surprisal', 'near', 'auroc').textContent()).toBe('0.760');
    expect(await cell(content, 'surprisal', 'far', 'flagged').textContent()).toBe('74.0%');
    expect(await cell(content, 'surprisal', 'far', 'fpr').textContent()).toBe('0.600');
    expect(await cell(relevance, 'energy', 'far', 'auroc').textContent()).toBe('0.520');
    expect(await cell(relevance, 'energy', 'near', 'flagged').textContent()).toBe('6.0%');
    expect(await content.locator('tr[data-score="energy"]').count()).toBe(0);
  });

  it('draws the budget curve per stage and lists the gains, the ID change and the paired tests', async () => {
    await open(`/selection?run=${RUN}`);
    expect(await page.locator('[data-goal]').getAttribute('data-goal')).toBe('met');
    for (const stage of ['stage2', 'stage3']) {
      const chart = page.locator(`[data-chart="budget-curve-${stage}"]`);
      expect(await chart.getAttribute('data-points')).toBe('4');
      expect(await chart.locator('polyline.curve-line').count()).toBe(2);
      expect(await chart.locator('[data-zero-line]').count()).toBe(1);
      expect(await chart.locator('[role="img"]').getAttribute('aria-label')).toMatch(
        /distribution-aware: 1% \+0\.0\d\d, 5% \+0\.\d{3}/,
      );
    }
    const rows = page.locator('table[data-table="budget-curve"] tbody tr');
    expect(await rows.count()).toBe(4);
    // Stage-3 gain of distribution-aware at 5%: 0.015 × 2 × 2 in the fixture.
    expect(
      await page
        .locator('tr[data-curve-row="distribution-aware@0.05"] [data-gain-stage3]')
        .textContent(),
    ).toBe('+0.0600');
    expect(await page.locator('tr[data-curve-row="random@0.01"]').textContent()).toMatch(
      /−0\.0030 \[−0\.0230, \+0\.0170\]no$/,
    );
    const tests = await page
      .locator('table[data-table="budget-tests"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    // One paired test per budget, with the same invented figures.
    const testRow = (budget: string) => [
      budget,
      'Stage 3',
      'ndcg@10',
      'distribution-aware vs random',
      '20',
      '+0.0100 [+0.0010, +0.0200]',
      '0.030',
      '0.040',
    ];
    expect(tests).toEqual(['1%', '5%'].map(testRow));
  });

  /** The Samples rows as `<split>:<id>`. */
  const sampleKeys = () =>
    page
      .locator('table[data-table="samples"] tbody tr')
      .evaluateAll((trs) =>
        trs.map(
          (tr) =>
            `${tr.querySelector('td[data-col="split"]')?.textContent ?? ''}:${tr.getAttribute('data-row-id') ?? ''}`,
        ),
      );

  it('draws the map, recolours it, and opens a typed region in Samples', async () => {
    await open(`/map?run=${RUN}`);
    // Hydrated: the selector and the fields are live.
    await page.locator('svg.map-svg[data-ready="yes"]').waitFor();
    const map = page.locator('[data-chart="shift-map"]');
    expect(await map.getAttribute('data-points')).toBe('6');
    expect(await map.locator('g[data-points] path').count()).toBe(6);
    expect(await page.locator('[data-legend="group"] li').allTextContents()).toEqual([
      'ID test (2)',
      'Near OOD (2)',
      'Far OOD (1)',
      'Pool (unlabelled) (1)',
    ]);
    await page.getByLabel('Colour by').selectOption('fused');
    await page.locator('[data-legend="fused"]').waitFor();
    await page.getByLabel('Colour by').selectOption('error');
    expect(await page.locator('[data-legend="error"] li').allTextContents()).toEqual([
      'right (error 0) (2)',
      'one grade off (2)',
      'two grades off (1)',
      'no label (pool) (1)',
    ]);
    // The keyboard way: type the bounds.
    await page.getByLabel('x from').fill('0.4');
    await page.getByLabel('x to').fill('2.05');
    await page.getByLabel('y from').fill('-1');
    await page.getByLabel('y to').fill('1.1');
    await expect
      .poll(() => page.locator('[data-region-count]').getAttribute('data-region-count'))
      .toBe('3');
    // The address keeps the region, so the link can be shared.
    await expect.poll(() => new URL(page.url()).searchParams.get('region')).toBe('0.4,2.05,-1,1.1');
    await page.locator('a[data-open-region]').click();
    await page.waitForURL(/\/samples\?.*region=/);
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe('3');
    expect((await sampleKeys()).sort()).toEqual(['far_test:far:5', 'ood_test:3', 'ood_test:4']);
    await page.screenshot({
      path: join(ARTIFACTS, 'dashboard-shift-map-region.png'),
      fullPage: true,
    });
  });

  it('opens a dragged region of the map in Samples', async () => {
    await open(`/map?run=${RUN}`);
    const svg = page.locator('svg.map-svg[data-ready="yes"]');
    await svg.waitFor();
    const box = (await svg.boundingBox())!;
    const [bx0, bx1, by0, by1] = (await svg.getAttribute('data-bounds'))!
      .split(',')
      .map(Number) as [number, number, number, number];
    // The plot's data → screen transform (viewBox 640 × 440, 12 px padding).
    const sx = (x: number) => box.x + ((12 + ((x - bx0) / (bx1 - bx0)) * 616) / 640) * box.width;
    const sy = (y: number) => box.y + ((12 + ((by1 - y) / (by1 - by0)) * 416) / 440) * box.height;
    // Around the two ID test points, (0, 0) and (0.1, 0.1).
    await page.mouse.move(sx(-0.05), sy(0.2));
    await page.mouse.down();
    await page.mouse.move(sx(0.05), sy(0.05), { steps: 4 });
    await page.mouse.move(sx(0.15), sy(-0.05), { steps: 4 });
    await page.mouse.up();
    await expect
      .poll(() => page.locator('[data-region-count]').getAttribute('data-region-count'))
      .toBe('2');
    expect(Number(await page.getByLabel('x from').inputValue())).toBeLessThan(0);
    await page.locator('a[data-open-region]').click();
    await page.waitForURL(/\/samples\?.*region=/);
    expect((await sampleKeys()).sort()).toEqual(['id_test:1', 'id_test:2']);
    // The filter form keeps the region.
    await page.getByLabel('Split').selectOption('id_test');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/split=id_test/);
    expect(new URL(page.url()).searchParams.get('region')).not.toBeNull();
    expect(await page.locator('[data-total]').getAttribute('data-total')).toBe('2');
    expect(pageErrors).toEqual([]);
  });
});
