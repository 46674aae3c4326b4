/**
 * Errors raised by the CLI itself. Each maps to one exit code in `exit-codes.ts`; the messages are written
 * for the person at the terminal, and `hint` says what to do next.
 */

/** A malformed command line: unknown option, missing or invalid value. Exit code 2. */
export class UsageError extends Error {
  /** The usage line of the command that was being parsed. */
  readonly usage: string;
  /** Which command's `--help` to suggest. */
  readonly command: string | undefined;

  /**
   * @param message - what was wrong, naming the option and the value
   * @param context - the usage line and the command name
   */
  constructor(message: string, context: { usage: string; command?: string }) {
    super(message);
    this.name = 'UsageError';
    this.usage = context.usage;
    this.command = context.command;
  }
}

/** A subcommand whose backend does not exist yet in the pipeline. Exit code 70. */
export class NotAvailableError extends Error {
  /** What the pipeline still lacks. */
  readonly missing: string;

  /**
   * @param command - the subcommand, e.g. `train`
   * @param missing - what the pipeline still lacks, e.g. `a persisted prepared-data format`
   */
  constructor(command: string, missing: string) {
    super(`gradeshift ${command} is not available yet: ${missing}`);
    this.name = 'NotAvailableError';
    this.missing = missing;
  }
}

/** A required input file or folder does not exist. Exit code 66. */
export class InputMissingError extends Error {
  readonly path: string;
  readonly hint: string;

  /**
   * @param what - a noun phrase, e.g. `run store`
   * @param location - the path and what to do next
   */
  constructor(what: string, location: { path: string; hint: string }) {
    super(`${what} not found: ${location.path}`);
    this.name = 'InputMissingError';
    this.path = location.path;
    this.hint = location.hint;
  }
}

/** The user interrupted the command (SIGINT). Exit code 130. */
export class InterruptedError extends Error {
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}
