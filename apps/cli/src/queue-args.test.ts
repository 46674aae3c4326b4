import { describe, expect, it } from 'vitest';

import { formatCommandHelp } from './option-table';
import { WORKER_SPEC } from './specs/queue-specs';
import { argsOf, usageErrorOf } from './test-context';

const SCORE = ['--model', 'b', '--data', 'p.csv', '--query-col', 'q', '--item-col', 't'];

describe('score --queue, evaluate --queue and worker options', () => {
  it('reads the queue and the chunk size of score, and leaves them out without --queue', () => {
    const url = 'redis://10.0.0.5:6379/2';
    expect(argsOf('score', [...SCORE, '--queue', url, '--out', 'o.jsonl']).queue).toEqual({
      url,
      chunkPairs: 16384,
    });
    expect(
      argsOf('score', [...SCORE, '--queue', url, '--out', 'o.jsonl', '--chunk', '4096']).queue,
    ).toEqual({ url, chunkPairs: 4096 });
    expect(argsOf('score', [...SCORE]).queue).toBeUndefined();
  });

  it.each([
    [
      ['--queue', 'http://x', '--out', 'o'],
      /--queue must be a redis:\/\/ URL \(got "http:\/\/x"\)/,
    ],
    [['--queue', 'redis://x'], /--queue needs --out <file> on the shared folder/],
    [['--queue', 'redis://x', '--out', '-'], /--queue needs --out <file>/],
    [
      ['--queue', 'redis://x', '--out', 'o', '--chunk', '1000'],
      /multiple of 128 pairs \(got 1000\)/,
    ],
    [['--queue', 'redis://x', '--out', 'o', '--threads', '2'], /--threads is a worker option/],
    [['--chunk', '4096'], /--chunk needs --queue/],
  ])('score %j → usage error', (extra, message) => {
    expect(usageErrorOf(['score', ...SCORE, ...extra]).message).toMatch(message);
  });

  it('reads evaluate --queue, whose --out is a folder with a default', () => {
    const url = 'redis://h:1';
    const evaluate = ['--model', 'b', '--preset', 'homedepot', '--queue', url];
    expect(argsOf('evaluate', evaluate)).toMatchObject({ queue: { url, chunkPairs: 16384 } });
    expect(argsOf('evaluate', [...evaluate, '--chunk', '256'])).toMatchObject({
      queue: { url, chunkPairs: 256 },
    });
    expect(usageErrorOf(['evaluate', ...evaluate, '--threads', '2']).message).toMatch(
      /--threads is a worker option/,
    );
    expect(
      usageErrorOf(['evaluate', '--predictions', 'p', '--reference', 'r', '--queue', url]).message,
    ).toMatch(/--queue cannot be combined with --predictions/);
  });

  it('reads a worker with its defaults and its timing', () => {
    expect(argsOf('worker', ['--queue', 'redis://h:1'])).toEqual({
      url: 'redis://h:1',
      threads: 0,
      timing: { lockMs: 30000, stalledMs: 15000 },
    });
    const tuned = [
      '--queue',
      'rediss://h:1',
      '--threads',
      '2',
      '--lock-ms',
      '5000',
      '--stalled-ms',
      '2000',
    ];
    expect(argsOf('worker', tuned)).toEqual({
      url: 'rediss://h:1',
      threads: 2,
      timing: { lockMs: 5000, stalledMs: 2000 },
    });
    expect(usageErrorOf(['worker']).message).toMatch(/--queue/);
    expect(usageErrorOf(['worker', '--queue', 'redis://h', '--lock-ms', '10']).message).toMatch(
      /lock-ms/,
    );
    expect(formatCommandHelp(WORKER_SPEC)).toMatch(/--stalled-ms <ms>.*\(default: 15000\)/);
  });
});
