/**
 * Before `npm run api`: when the server is to serve the default model (GRADESHIFT_MODELS unset) and
 * runs/default/bundle is missing, or was written by an older gradeshift and no longer loads, build it with the
 * pipeline library (`runPipeline`, what `gradeshift pipeline --preset homedepot --out runs/default` runs,
 * replacing the old run), progress on stderr. With GRADESHIFT_MODELS set it does nothing: the server reports a
 * configured bundle that does not load.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { isBundleError, readBundle, runPipeline, type ProgressEvent } from '@gradeshift/pipeline';

import { REPO_ROOT } from '../src/env';

const runDir = join(REPO_ROOT, 'runs', 'default');
const bundleDir = join(runDir, 'bundle');

/** Why the default bundle needs building, or undefined when it loads. */
async function staleReason(): Promise<string | undefined> {
  if (!existsSync(join(bundleDir, 'manifest.json'))) return 'there is no model bundle';
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
      progress: writeProgress,
    });
    process.stderr.write(
      `gradeshift api: run ${result.runId} built ${result.bundleDir} in ${result.seconds.toFixed(0)} s\n`,
    );
  } catch (error) {
    process.stderr.write(
      `gradeshift api: the default model could not be built: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
}
