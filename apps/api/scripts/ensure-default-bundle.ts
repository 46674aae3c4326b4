/**
 * Before `npm run api`: when the server is to serve the default model (GRADESHIFT_MODELS unset) and
 * runs/default/bundle is missing, or was written by an older gradeshift and no longer loads, build it with the
 * pipeline (`gradeshift pipeline --preset homedepot --out runs/default`, replacing the old run). With
 * GRADESHIFT_MODELS set it does nothing: the server reports a configured bundle that does not load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { isBundleError, readBundle } from '@gradeshift/pipeline';

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

const configured = (process.env['GRADESHIFT_MODELS'] ?? '').trim().length > 0;
const reason = configured ? undefined : await staleReason();
if (reason !== undefined) {
  process.stderr.write(
    `gradeshift api: ${reason} at ${bundleDir}; building it with the pipeline first\n`,
  );
  const args = ['pipeline', '--preset', 'homedepot', '--out', runDir];
  if (existsSync(join(runDir, 'report.json'))) args.push('--overwrite');
  const result = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'apps', 'cli', 'bin', 'gradeshift.js'), ...args],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
  process.exit(result.status ?? 1);
}
