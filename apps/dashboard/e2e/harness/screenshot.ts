/**
 * Development aid: screenshots of dashboard paths, for looking at a view while working on it.
 * `BASE=http://127.0.0.1:3000 node --import tsx e2e/harness/screenshot.ts / /detectors` writes /tmp/shot-<i>.png.
 */
import { launchBrowser } from './browser';

const base = process.env['BASE'] ?? 'http://127.0.0.1:3000';
const browser = await launchBrowser({ width: Number(process.env['W'] ?? 1280), height: 900 });
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => {
  if (m.type() === 'error') errors.push(m.text());
});
for (const [i, path] of process.argv.slice(2).entries()) {
  await page.goto(`${base}${path}`);
  await page.waitForTimeout(Number(process.env['WAIT'] ?? 1500));
  await page.screenshot({ path: `/tmp/shot-${i}.png`, fullPage: true });
}
console.log(errors.length === 0 ? 'no page errors' : errors.join('\n'));
await browser.close();
