import { describe, expect, it } from 'vitest';

import {
  estimateEtaSeconds,
  formatBar,
  formatEta,
  formatPlainLine,
  formatTtyLine,
  shouldUseColor,
} from './progress-format';

// Strips ANSI colour codes to compare the visible text.
const ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const visible = (text: string) => text.replace(ESCAPE, '');

describe('formatEta', () => {
  it.each([
    [0, '0:00'],
    [5, '0:05'],
    [59.4, '0:59'],
    [59.6, '1:00'],
    [65, '1:05'],
    [600, '10:00'],
    [3725, '62:05'],
  ])('%d s → %s', (seconds, text) => {
    expect(formatEta(seconds)).toBe(text);
  });

  it.each([undefined, -1, Number.NaN, Number.POSITIVE_INFINITY])('%s → -:--', (seconds) => {
    expect(formatEta(seconds)).toBe('-:--');
  });
});

describe('formatBar', () => {
  it('fills in proportion and clamps to [0, 1]', () => {
    expect(formatBar(0, 8, 8)).toBe('░░░░░░░░');
    expect(formatBar(3, 8, 8)).toBe('███░░░░░');
    expect(formatBar(8, 8, 8)).toBe('████████');
    expect(formatBar(12, 8, 4)).toBe('████');
    expect(formatBar(-1, 8, 4)).toBe('░░░░');
    expect(formatBar(1, 0, 4)).toBe('░░░░');
  });
});

describe('estimateEtaSeconds', () => {
  it('extrapolates the rate since the segment started', () => {
    // 20 units in 10 s = 2 units/s; 60 left → 30 s.
    expect(estimateEtaSeconds({ done: 40, startDone: 20, total: 100, elapsedSeconds: 10 })).toBe(
      30,
    );
  });

  it('is undefined without progress or time', () => {
    expect(estimateEtaSeconds({ done: 20, startDone: 20, total: 100, elapsedSeconds: 10 })).toBe(
      undefined,
    );
    expect(estimateEtaSeconds({ done: 30, startDone: 20, total: 100, elapsedSeconds: 0 })).toBe(
      undefined,
    );
  });
});

describe('formatTtyLine', () => {
  const event = {
    stage: 'stage1',
    message: 'epoch 3: loss 0.91',
    done: 3,
    total: 8,
    etaSeconds: 65,
  };

  it('shows stage, bar, done/total, ETA and message', () => {
    expect(formatTtyLine(event, { width: 80, color: false, barWidth: 8 })).toBe(
      'stage1 ███░░░░░ 3/8 eta 1:05  epoch 3: loss 0.91',
    );
  });

  it('colours the stage and bar unless colour is off', () => {
    const line = formatTtyLine(event, { width: 80, color: true, barWidth: 8 });
    expect(line).toContain('\u001b[');
    expect(visible(line)).toBe('stage1 ███░░░░░ 3/8 eta 1:05  epoch 3: loss 0.91');
  });

  it('never exceeds width − 1 visible characters, cutting the message first', () => {
    for (const width of [20, 30, 45, 60, 200]) {
      const line = formatTtyLine({ ...event, message: 'x'.repeat(300) }, { width, color: true });
      expect(visible(line).length).toBeLessThanOrEqual(width - 1);
    }
    expect(
      formatTtyLine({ ...event, message: 'abcdefghij' }, { width: 34, color: false, barWidth: 8 }),
    ).toBe('stage1 ███░░░░░ 3/8 eta 1:05  ab…');
  });

  it('shows a count without total, and the message alone without counts', () => {
    expect(
      formatTtyLine(
        { stage: 'load', message: 'reading rows', done: 1200 },
        { width: 80, color: false },
      ),
    ).toBe('load 1200  reading rows');
    expect(
      formatTtyLine({ stage: 'select', message: 'fitting detectors' }, { width: 80, color: false }),
    ).toBe('select  fitting detectors');
  });
});

describe('formatPlainLine', () => {
  it('writes one line with counts, percent and ETA in brackets', () => {
    expect(
      formatPlainLine({ stage: 'stage1', message: 'epoch 3', done: 3, total: 8, etaSeconds: 65 }),
    ).toBe('[stage1] epoch 3 (3/8, 37%, eta 1:05)');
    expect(formatPlainLine({ stage: 'load', message: 'reading rows', done: 10 })).toBe(
      '[load] reading rows (10)',
    );
    expect(formatPlainLine({ stage: 'evaluate', message: 'metrics' })).toBe('[evaluate] metrics');
  });

  it('never contains escape codes', () => {
    expect(formatPlainLine({ stage: 's', message: 'm', done: 1, total: 2 })).not.toContain(
      '\u001b',
    );
  });
});

describe('shouldUseColor', () => {
  it('respects NO_COLOR (any non-empty value) and TERM=dumb', () => {
    expect(shouldUseColor({})).toBe(true);
    expect(shouldUseColor({ NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor({ TERM: 'dumb' })).toBe(false);
  });
});
