/**
 * A small real run for the dashboard's browser test: the pipeline on the first 6,000 rows of the shared Home
 * Depot file (copied to a temporary folder at test time; the data never enters the repository), two seeds'
 * worth of training cut short, in a few seconds. A second run with one stage-1 epoch gives the Runs view two
 * runs to compare.
 */
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

import { runPipeline, type PipelineResult } from '@gradeshift/pipeline';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
const SOURCE = resolve(REPO_ROOT, '..', 'shared', 'data', 'homedepot', 'train.csv');

async function head(path: string, lines: number): Promise<string> {
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    out.push(line);
    if (out.length >= lines) break;
  }
  rl.close();
  return `${out.join('\n')}\n`;
}

/**
 * Builds a small run under `<dir>/runs/<name>` (run store `<dir>/runs/runs.sqlite`).
 * @param dir - a temporary folder
 * @param name - the run's folder name
 */
export async function buildSmallRun(
  dir: string,
  name: string,
  stage1Epochs = 2,
): Promise<PipelineResult> {
  if (!existsSync(SOURCE))
    throw new Error(
      `${SOURCE} is missing: the test reads the shared Home Depot file beside the checkout`,
    );
  const csv = join(dir, 'slice.csv');
  if (!existsSync(csv)) writeFileSync(csv, await head(SOURCE, 6001));
  return runPipeline({
    data: { preset: 'homedepot', path: csv },
    outDir: join(dir, 'runs', name),
    repoRoot: REPO_ROOT,
    cacheDir: join(REPO_ROOT, 'runs', '.cache'),
    selectionSeeds: [0],
    curve: { budgets: [0.05, 0.2], seeds: [0] },
    resamples: 50,
    stage1: { epochs: stage1Epochs },
    stage2: { epochs: 1 },
  });
}

// `node --import tsx e2e/harness/small-run.ts DIR`: builds the two runs for manual checks.
if (process.argv[1] === import.meta.filename) {
  const dir = resolve(process.argv[2] ?? 'tmp-e2e');
  const a = await buildSmallRun(dir, 'slice');
  await buildSmallRun(dir, 'slice-b', 1);
  console.log(`runs in ${dir}/runs; bundle ${a.bundleDir}`);
}
