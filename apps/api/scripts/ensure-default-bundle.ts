/**
 * Before `npm run api`: when the server is to serve the default model (GRADESHIFT_MODELS unset) and
 * runs/default/bundle does not exist yet, build it with the pipeline (`gradeshift pipeline --preset homedepot
 * --out runs/default`), replacing a run that predates bundles. With GRADESHIFT_MODELS set it does nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from '../src/env';

const runDir = join(REPO_ROOT, 'runs', 'default');
const configured = (process.env['GRADESHIFT_MODELS'] ?? '').trim().length > 0;
if (!configured && !existsSync(join(runDir, 'bundle', 'manifest.json'))) {
  process.stderr.write(
    `gradeshift api: no model bundle at ${join(runDir, 'bundle')}; building it with the pipeline first\n`,
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
