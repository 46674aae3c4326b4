/**
 * Development aid: axe-core violations and screenshots of dashboard paths at 1280 and 390 px, for fixing a view
 * while working on it. `BASE=http://127.0.0.1:3000 node --import tsx e2e/harness/audit.ts / /samples` prints the
 * violations and writes /tmp/audit-<width>-<i>.png.
 */
import { axeViolations, describeViolations } from './axe';
import { launchBrowser } from './browser';

const base = process.env['BASE'] ?? 'http://127.0.0.1:3000';
const browser = await launchBrowser();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
for (const width of [1280, 390]) {
  await page.setViewportSize({ width, height: 900 });
  for (const [i, path] of process.argv.slice(2).entries()) {
    await page.goto(`${base}${path}`);
    await page.waitForTimeout(Number(process.env['WAIT'] ?? 2500));
    const violations = await axeViolations(page);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    console.log(`${width} ${path}: ${violations.length} violations, overflow ${overflow}`);
    if (violations.length > 0) console.log(describeViolations(violations));
    await page.screenshot({ path: `/tmp/audit-${width}-${i}.png`, fullPage: true });
  }
}
await browser.close();
