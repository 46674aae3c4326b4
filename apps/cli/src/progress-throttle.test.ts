import { describe, expect, it } from 'vitest';

import type { ProgressEvent } from '@gradeshift/pipeline';

import { createProgressThrottle } from './progress-throttle';

/** A clock the test moves by hand. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const counted = (stage: string, done: number, total = 100): ProgressEvent => ({
  stage,
  message: `step ${done}`,
  done,
  total,
});

describe('createProgressThrottle', () => {
  it('passes the first event, then at most one counted event per interval', () => {
    const clock = fakeClock();
    const throttle = createProgressThrottle({ intervalMs: 1000, now: clock.now });
    const shown: number[] = [];
    // 50 events, 100 ms apart: 5 s in all.
    for (let i = 0; i < 50; i++) {
      for (const e of throttle.push(counted('train', i))) shown.push(e.done ?? -1);
      clock.advance(100);
    }
    expect(shown).toEqual([0, 10, 20, 30, 40]);
    // The held-back last event comes out on flush, once.
    expect(throttle.flush().map((e) => e.done)).toEqual([49]);
    expect(throttle.flush()).toEqual([]);
  });

  it('always passes the completing event (done ≥ total)', () => {
    const clock = fakeClock();
    const throttle = createProgressThrottle({ now: clock.now });
    throttle.push(counted('train', 0, 3));
    expect(throttle.push(counted('train', 1, 3))).toEqual([]);
    expect(throttle.push(counted('train', 3, 3))).toEqual([counted('train', 3, 3)]);
    expect(throttle.flush()).toEqual([]);
  });

  it('flushes the held-back last event of a stage when the next stage starts', () => {
    const clock = fakeClock();
    const throttle = createProgressThrottle({ now: clock.now });
    throttle.push(counted('load', 1));
    throttle.push(counted('load', 2));
    expect(throttle.push({ stage: 'prepare', message: 'splitting' })).toEqual([
      counted('load', 2),
      { stage: 'prepare', message: 'splitting' },
    ]);
  });

  it('passes milestones (events without a count) even within the interval', () => {
    const throttle = createProgressThrottle({ now: () => 0 });
    expect(throttle.push({ stage: 'prepare', message: 'a' })).toHaveLength(1);
    expect(throttle.push({ stage: 'prepare', message: 'b' })).toHaveLength(1);
    expect(throttle.push(counted('prepare', 1))).toEqual([]);
    // A milestone also drops the held-back counted event: it supersedes it.
    expect(throttle.push({ stage: 'prepare', message: 'c' })).toEqual([
      { stage: 'prepare', message: 'c' },
    ]);
    expect(throttle.flush()).toEqual([]);
  });

  it('treats a stage that comes back as a new segment (its first event passes)', () => {
    const throttle = createProgressThrottle({ now: () => 0 });
    expect(throttle.push(counted('select', 0))).toHaveLength(1);
    expect(throttle.push(counted('stage2', 0))).toHaveLength(1);
    expect(throttle.push(counted('select', 1))).toEqual([counted('select', 1)]);
  });
});
