/**
 * axe-core (from npm, the exact version in package.json) injected into a page by playwright-core: the WCAG 2.x
 * A/AA rules and axe's best practices run on the page as it is, each violation with its rule, impact and the
 * first few offending elements.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** One failed rule on a page. */
export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  /** The offending elements (selectors and axe's summary), at most five. */
  readonly nodes: readonly string[];
  readonly count: number;
}

/** Runs axe-core on the page as it is now and returns its violations (none is the goal). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window)))
    await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    interface Result {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    }
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<Result> } })
      .axe;
    const result = await axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      count: v.nodes.length,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
    }));
  });
}

/** The violations as readable lines, for an assertion message. */
export const describeViolations = (violations: readonly AxeViolation[]): string =>
  violations
    .map((v) => `${v.id} (${v.impact ?? '?'}, ${v.count}): ${v.help}\n  ${v.nodes.join('\n  ')}`)
    .join('\n');
