/**
 * A dashboard under test: the API and `next start` over a runs folder (the app built first when its build is
 * stale), and Chromium with one page whose page and console errors are collected. `stop` ends whatever started,
 * each part even if an earlier one fails to stop; a failed start stops what it had started before rethrowing.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import type { Page } from 'playwright-core';
import { expect } from 'vitest';

import { launchBrowser, type TestBrowser } from './browser';
import { ensureBuilt, startApi, startDashboard, type RunningServer } from './servers';
import { REPO_ROOT } from './small-run';

/** Where the browser tests write their screenshots. */
export const ARTIFACTS = join(REPO_ROOT, 'tests', 'artifacts');

/** The running API, dashboard and browser page. */
export interface DashboardSession {
  readonly api: RunningServer;
  readonly web: RunningServer;
  readonly browser: TestBrowser;
  readonly page: Page;
  /** The page's uncaught errors and console errors so far. */
  readonly pageErrors: string[];
  /** Opens `path` of the dashboard in the page, expecting HTTP 200. */
  open(path: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the API over `runsDir` with `bundleDir` as the default model, the dashboard against it, and Chromium.
 * @param runsDir - the runs folder (its `runs.sqlite` is the run store)
 * @param bundleDir - the model bundle the API and the Playground serve
 * @param playgroundBundleDir - the bundle the Playground scores in the browser, when not the API's (an encoder
 *   bundle, which the API does not serve) @default bundleDir
 */
export async function startSession(
  runsDir: string,
  bundleDir: string,
  playgroundBundleDir: string = bundleDir,
): Promise<DashboardSession> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const part of stops.reverse()) await part().catch(() => undefined);
  };
  try {
    ensureBuilt();
    const api = await startApi(runsDir, bundleDir);
    stops.push(() => api.stop());
    const web = await startDashboard(api.url, playgroundBundleDir);
    stops.push(() => web.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await mkdir(ARTIFACTS, { recursive: true });
    const open = async (path: string) => {
      const response = await page.goto(`${web.url}${path}`);
      expect(response?.status()).toBe(200);
    };
    return { api, web, browser, page, pageErrors, open, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
