/**
 * Rate limiting of progress events, with an injected clock. Events arrive in segments (consecutive events of
 * one stage). Of each segment the first event always passes, the last always passes (when `done` reaches
 * `total`, or flushed when the next segment starts or the run ends), events without a count (milestones such
 * as "building the vocabulary") always pass, and counted events in between pass at most once per interval.
 */
import type { ProgressEvent } from '@gradeshift/pipeline';

/** Options of {@link createProgressThrottle}. */
export interface ProgressThrottleOptions {
  /** Least milliseconds between two counted events of a segment. @default 1000 */
  readonly intervalMs?: number;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** A throttle: feed every event, write what it returns. */
export interface ProgressThrottle {
  /** The events to show now (0, 1 or 2: a held-back last event of the previous segment, then this one). */
  push(event: ProgressEvent): ProgressEvent[];
  /** The held-back event of the current segment, if any (call when the run ends). */
  flush(): ProgressEvent[];
}

function isComplete(event: ProgressEvent): boolean {
  return event.done !== undefined && event.total !== undefined && event.done >= event.total;
}

/**
 * Creates a throttle.
 * @param options - interval and clock
 */
export function createProgressThrottle(options: ProgressThrottleOptions = {}): ProgressThrottle {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  let stage: string | undefined;
  let lastShownAt = -Infinity;
  let pending: ProgressEvent | undefined;

  const flush = (): ProgressEvent[] => {
    const out = pending === undefined ? [] : [pending];
    pending = undefined;
    return out;
  };
  const show = (event: ProgressEvent, out: ProgressEvent[]): ProgressEvent[] => {
    pending = undefined;
    lastShownAt = now();
    out.push(event);
    return out;
  };

  return {
    push(event) {
      if (event.stage !== stage) {
        const out = flush();
        stage = event.stage;
        return show(event, out);
      }
      if (event.done === undefined || isComplete(event)) return show(event, []);
      if (now() - lastShownAt >= intervalMs) return show(event, []);
      pending = event;
      return [];
    },
    flush,
  };
}
