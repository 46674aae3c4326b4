/**
 * @file The terminal writer of pipeline progress (stderr). On a terminal each stage gets one line that is
 * redrawn in place (`\r` + erase line) with a bar, done/total and the ETA; when the stage changes, the finished
 * line stays and a new one starts. Anywhere else (CI logs, pipes, `TERM=dumb`) it writes plain one-line-per-event
 * logs, at most about one per second per stage, always with the first and last event of each stage. Formatting
 * lives in `progress-format.ts`, rate limiting in `progress-throttle.ts`; this file only decides what to write.
 */
import type { ProgressEvent, ProgressSink } from '@gradeshift/pipeline';

import {
  estimateEtaSeconds,
  formatPlainLine,
  formatTtyLine,
  shouldUseColor,
} from './progress-format';
import { createProgressThrottle } from './progress-throttle';

/** Where progress goes: `process.stderr` or a test double. */
export interface ProgressStream {
  write(text: string): unknown;
  /** `true` on a terminal. */
  readonly isTTY?: boolean;
  /** Terminal width. */
  readonly columns?: number;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  readonly stream: ProgressStream;
  /** Environment (NO_COLOR, TERM). @default {} */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** A progress renderer: pass `sink` to the pipeline, call `finish` before printing anything else. */
export interface ProgressBar {
  readonly sink: ProgressSink;
  /** Writes the held-back last event and ends the open terminal line. Idempotent. */
  finish(): void;
}

const ERASE_LINE = '\r\u001b[2K';

/** The stream's columns; 80 when unknown (a pseudo-terminal without a size reports 0). */
function terminalWidth(stream: ProgressStream): number {
  const columns = stream.columns ?? 0;
  return columns >= 20 ? columns : 80;
}

/**
 * Creates the renderer for a stream.
 * @param options - stream, environment and clock
 */
export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const { stream, env = {} } = options;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true && env['TERM'] !== 'dumb';
  const color = tty && shouldUseColor(env);
  // A terminal redraws at most ten times a second; a log keeps about one line per second per stage.
  const throttle = createProgressThrottle({ intervalMs: tty ? 100 : 1000, now });
  let openStage: string | undefined;
  let segment = { stage: '', startedAt: 0, startDone: 0 };

  // The pipeline reports an ETA for training; elsewhere extrapolate the rate of the current segment.
  const withEta = (event: ProgressEvent): ProgressEvent => {
    if (event.stage !== segment.stage)
      segment = { stage: event.stage, startedAt: now(), startDone: event.done ?? 0 };
    if (event.etaSeconds !== undefined || event.done === undefined || event.total === undefined)
      return event;
    const elapsedSeconds = (now() - segment.startedAt) / 1000;
    const eta = estimateEtaSeconds({
      ...segment,
      done: event.done,
      total: event.total,
      elapsedSeconds,
    });
    return eta === undefined ? event : { ...event, etaSeconds: eta };
  };

  const write = (event: ProgressEvent): void => {
    if (!tty) {
      stream.write(`${formatPlainLine(event)}\n`);
      return;
    }
    if (openStage !== undefined && openStage !== event.stage) stream.write('\n');
    openStage = event.stage;
    stream.write(`${ERASE_LINE}${formatTtyLine(event, { width: terminalWidth(stream), color })}`);
  };

  return {
    sink(event) {
      for (const e of throttle.push(withEta(event))) write(e);
    },
    finish() {
      for (const e of throttle.flush()) write(e);
      if (openStage !== undefined) stream.write('\n');
      openStage = undefined;
    },
  };
}
