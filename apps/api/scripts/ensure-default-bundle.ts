/**
 * Before `npm run api`: when the server is to serve the default model (GRADESHIFT_MODELS unset) and
 * runs/default/bundle is missing, or was written by an older gradeshift and no longer loads, build it with the
 * pipeline library (`runPipeline`, what `gradeshift pipeline --preset homedepot --out runs/default` runs,
 * replacing the old run), progress on stderr. With GRADESHIFT_MODELS set it does nothing: the server reports a
 * configured bundle that does not load.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import {
  isBundleError,
  readBundle,
  readRunReport,
  runPipeline,
  type ProgressEvent,
} from '@gradeshift/pipeline';

import { REPO_ROOT } from '../src/env';

const runDir = join(REPO_ROOT, 'runs', 'default');
const bundleDir = join(runDir, 'bundle');

/** The shorter budget curve `npm start` runs (`gradeshift pipeline` runs the full one: 5 budgets × 5 seeds). */
const START_CURVE = { budgets: [0.01, 0.05, 0.2], seeds: [0, 1, 2] };

/** Why the default bundle needs building, or undefined when it loads. */
async function staleReason(): Promise<string | undefined> {
  if (!existsSync(join(bundleDir, 'manifest.json'))) return 'there is no model bundle';
  const report = join(runDir, 'report.json');
  if (existsSync(report)) {
    try {
      const parsed = readRunReport(report);
      if (parsed?.kind === 'pipeline' && parsed.ood_sets === undefined)
        return 'the run predates near and far OOD (its report has no ood_sets)';
    } catch {
      return 'its report.json does not read';
    }
  }
  try {
    const bundle = await readBundle(bundleDir);
    await bundle.session.dispose();
    return undefined;
  } catch (error) {
    // Only a bundle this build cannot read is rebuilt; anything else is for the server to report.
    if (isBundleError(error) && error.code !== 'NOT_FOUND')
      return `the bundle does not load (${error.reason})`;
    return undefined;
  }
}

let lastLine = '';
/** Writes a progress event as a line (`[stage1] epoch 3`) when it says something new. */
function writeProgress(event: ProgressEvent): void {
  const line = `[${event.stage}] ${event.message}`;
  if (line !== lastLine) process.stderr.write(`${line}\n`);
  lastLine = line;
}

const configured = (process.env['GRADESHIFT_MODELS'] ?? '').trim().length > 0;
const reason = configured ? undefined : await staleReason();
if (reason !== undefined) {
  process.stderr.write(
    `gradeshift api: ${reason} at ${bundleDir}; building it with the pipeline first\n`,
  );
  try {
    const result = await runPipeline({
      data: { preset: 'homedepot' },
      outDir: runDir,
      repoRoot: REPO_ROOT,
      overwrite: existsSync(join(runDir, 'report.json')),
      curve: START_CURVE,
      progress: writeProgress,
    });
    process.stderr.write(
      `gradeshift api: run ${result.runId} built ${result.bundleDir} in ${result.seconds.toFixed(0)} s (a shorter selection budget curve: 3 budgets × 3 seeds; \`npx gradeshift pipeline --preset homedepot --out runs/default --overwrite\` runs the full one)\n`,
    );
  } catch (error) {
    process.stderr.write(
      `gradeshift api: the default model could not be built: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
