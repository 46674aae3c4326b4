/**
 * What a command may touch: output streams, environment, working directory, the abort signal (SIGINT) and the
 * pipeline backends. `main.ts` builds it from `process`; tests build it from buffers and fakes.
 */
import type { CliBackends } from './backends';
import type { ProgressStream } from './progress-bar';

/** A writable text stream. */
export interface TextSink {
  write(text: string): unknown;
}

/** The environment of one CLI invocation. */
export interface CommandContext {
  /** Results (tables, JSON). */
  readonly stdout: TextSink;
  /** Progress and errors. */
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line resolve against this folder. */
  readonly cwd: string;
  /** The repository root, against which preset paths resolve. */
  readonly repoRoot: string;
  /** Aborted on SIGINT. */
  readonly signal: AbortSignal;
  readonly backends: CliBackends;
  /** Clock in milliseconds (progress rate limiting). @default Date.now */
  readonly now?: () => number;
}
