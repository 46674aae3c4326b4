import { describe, expect, it } from 'vitest';

import { createProgressBar, type ProgressStream } from './progress-bar';

/** A stream double that records what is written. */
function fakeStream(tty: { isTTY?: boolean; columns?: number } = {}) {
  const chunks: string[] = [];
  const stream: ProgressStream = { ...tty, write: (text: string) => chunks.push(text) };
  return { stream, text: () => chunks.join(''), chunks };
}

describe('createProgressBar: plain (not a terminal)', () => {
  it('writes one line per shown event, about one per second per stage, first and last always', () => {
    let t = 0;
    const out = fakeStream();
    const bar = createProgressBar({ stream: out.stream, now: () => t });
    for (let epoch = 0; epoch <= 8; epoch++) {
      bar.sink({
        stage: 'stage1',
        message: `epoch ${epoch}`,
        done: epoch,
        total: 8,
        etaSeconds: 8 - epoch,
      });
      t += 400;
    }
    bar.sink({ stage: 'evaluate', message: 'metrics' });
    bar.finish();
    expect(out.text()).toBe(
      [
        '[stage1] epoch 0 (0/8, 0%, eta 0:08)',
        '[stage1] epoch 3 (3/8, 37%, eta 0:05)',
        '[stage1] epoch 6 (6/8, 75%, eta 0:02)',
        '[stage1] epoch 8 (8/8, 100%, eta 0:00)',
        '[evaluate] metrics',
        '',
      ].join('\n'),
    );
  });

  it('never writes escape codes or carriage returns', () => {
    const out = fakeStream({ isTTY: false });
    const bar = createProgressBar({ stream: out.stream, env: {} });
    bar.sink({ stage: 's', message: 'm', done: 1, total: 2 });
    bar.finish();
    expect(out.text()).not.toContain('\r');
    expect(out.text()).not.toContain('\u001b');
  });

  it('estimates the ETA from the rate when the event has none', () => {
    let t = 0;
    const out = fakeStream();
    const bar = createProgressBar({ stream: out.stream, now: () => t });
    bar.sink({ stage: 'load', message: 'reading rows', done: 0, total: 100 });
    t = 10_000;
    // 50 rows in 10 s → 50 left take 10 s.
    bar.sink({ stage: 'load', message: 'reading rows', done: 50, total: 100 });
    expect(out.chunks[1]).toBe('[load] reading rows (50/100, 50%, eta 0:10)\n');
  });
});

describe('createProgressBar: terminal', () => {
  it('redraws one line per stage in place and ends it when the stage changes', () => {
    let t = 0;
    const out = fakeStream({ isTTY: true, columns: 60 });
    const bar = createProgressBar({ stream: out.stream, env: { NO_COLOR: '1' }, now: () => t });
    bar.sink({ stage: 'stage1', message: 'training', done: 0, total: 2 });
    t += 500;
    bar.sink({ stage: 'stage1', message: 'epoch 1', done: 1, total: 2, etaSeconds: 3 });
    t += 500;
    bar.sink({ stage: 'stage1', message: 'epoch 2', done: 2, total: 2, etaSeconds: 0 });
    bar.sink({ stage: 'evaluate', message: 'metrics' });
    bar.finish();
    const erase = '\r\u001b[2K';
    expect(out.chunks).toEqual([
      `${erase}stage1 ░░░░░░░░░░░░░░ 0/2  training`,
      `${erase}stage1 ███████░░░░░░░ 1/2 eta 0:03  epoch 1`,
      `${erase}stage1 ██████████████ 2/2 eta 0:00  epoch 2`,
      '\n',
      `${erase}evaluate  metrics`,
      '\n',
    ]);
  });

  it('colours the line unless NO_COLOR is set, and falls back to plain lines under TERM=dumb', () => {
    const colored = fakeStream({ isTTY: true, columns: 80 });
    createProgressBar({ stream: colored.stream, env: {} }).sink({ stage: 's', message: 'm' });
    expect(colored.text()).toContain('\u001b[36m');
    const plain = fakeStream({ isTTY: true, columns: 80 });
    createProgressBar({ stream: plain.stream, env: { NO_COLOR: 'yes' } }).sink({
      stage: 's',
      message: 'm',
    });
    expect(plain.text()).not.toContain('\u001b[36m');
    const dumb = fakeStream({ isTTY: true, columns: 80 });
    createProgressBar({ stream: dumb.stream, env: { TERM: 'dumb' } }).sink({
      stage: 's',
      message: 'm',
    });
    expect(dumb.text()).toBe('[s] m\n');
  });

  it('limits redraws to ten a second and draws the held-back state on finish', () => {
    let t = 0;
    const out = fakeStream({ isTTY: true, columns: 80 });
    const bar = createProgressBar({ stream: out.stream, env: { NO_COLOR: '1' }, now: () => t });
    for (let i = 0; i < 100; i++) {
      bar.sink({ stage: 'load', message: 'rows', done: i, total: 1000 });
      t += 10;
    }
    // 1 s of events every 10 ms: the first, then one per 100 ms.
    expect(out.chunks).toHaveLength(10);
    bar.finish();
    expect(out.chunks.at(-2)).toContain('99/1000');
    expect(out.chunks.at(-1)).toBe('\n');
  });

  it('uses 80 columns when the terminal reports no width', () => {
    const out = fakeStream({ isTTY: true, columns: 0 });
    createProgressBar({ stream: out.stream, env: { NO_COLOR: '1' } }).sink({
      stage: 's',
      message: 'x'.repeat(200),
    });
    expect(out.text().replace('\r\u001b[2K', '')).toHaveLength(79);
  });
});
