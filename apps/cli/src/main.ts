/**
 * @file The `gradeshift` entry point: the only module with side effects. It wires `process` (argv, streams,
 * environment, SIGINT) to `runCli` and sets the exit code. Run it with `node --import tsx src/main.ts` or through
 * the `gradeshift` bin (`bin/gradeshift.js`), since the workspace packages are consumed as TypeScript source.
 *
 * SIGINT / SIGTERM: the first aborts the command's signal; once the command has stopped, every run this process
 * started and did not finish is marked `interrupted` (its temporary files removed; PostgreSQL runs first, awaited)
 * and the process ends by the same signal (exit status 130 for SIGINT, 143 for SIGTERM), without the exit-time
 * teardown of scoring threads still running native code. A second signal ends the process at once, after marking the runs.
 */
import { fileURLToPath } from 'node:url';

import { interruptActivePostgresRuns, interruptActiveRuns } from '@gradeshift/pipeline';

import { DEFAULT_BACKENDS } from './backends';
import { EXIT_CODES } from './exit-codes';
import { runCli } from './run-cli';

const controller = new AbortController();
let received: NodeJS.Signals | undefined;

/** Marks this process's unfinished runs interrupted, then ends the process by the signal's default action. */
function endBySignal(signal: NodeJS.Signals): never {
  interruptActiveRuns(`interrupted (${signal})`);
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  // The default action ends the process; should it not (a blocked signal), exit with the shell's code.
  process.exit(signal === 'SIGINT' ? EXIT_CODES.INTERRUPTED : 143);
}

const onSignal = (signal: NodeJS.Signals): void => {
  if (controller.signal.aborted) endBySignal(signal);
  received = signal;
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
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
// After an interrupt the abandoned work may still hold the event loop (and scoring threads): end now, once the
// runs on a PostgreSQL store are marked (a round trip, so not in the signal handler).
if (code === EXIT_CODES.INTERRUPTED || received !== undefined) {
  const signal = received ?? 'SIGINT';
  await interruptActivePostgresRuns(`interrupted (${signal})`);
  endBySignal(signal);
}
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
process.exitCode = code;
