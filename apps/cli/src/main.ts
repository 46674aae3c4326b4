/**
 * @file The `gradeshift` entry point: the only module with side effects. It wires `process` (argv, streams,
 * environment, SIGINT) to `runCli` and sets the exit code. Run it with `node --import tsx src/main.ts` or through
 * the `gradeshift` bin (`bin/gradeshift.js`), since the workspace packages are consumed as TypeScript source.
 *
 * SIGINT: the first Ctrl-C aborts the command's signal (the pipeline command marks its run interrupted) and
 * the process exits with 130; a second Ctrl-C exits at once.
 */
import { fileURLToPath } from 'node:url';

import { DEFAULT_BACKENDS } from './backends';
import { EXIT_CODES } from './exit-codes';
import { runCli } from './run-cli';

const controller = new AbortController();
const onSigint = (): void => {
  if (controller.signal.aborted) process.exit(EXIT_CODES.INTERRUPTED);
  controller.abort();
};
process.on('SIGINT', onSigint);
// `gradeshift runs | head` closes stdout early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_CODES.OK);
  throw error;
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  // apps/cli/src/main.ts → the repository root, against which dataset presets resolve.
  repoRoot: fileURLToPath(new URL('../../../', import.meta.url)),
  signal: controller.signal,
  backends: DEFAULT_BACKENDS,
});
process.off('SIGINT', onSigint);
// After an interrupt the abandoned work may still hold the event loop; exit now.
if (code === EXIT_CODES.INTERRUPTED) process.exit(code);
process.exitCode = code;
