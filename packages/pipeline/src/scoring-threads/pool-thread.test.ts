import { describe, expect, it } from 'vitest';

import { pickThread } from './pool-thread';

describe('pickThread', () => {
  it('sends a call to the least busy thread, the first of equals', () => {
    const threads = [
      { name: 'a', busy: 2, loading: 0 },
      { name: 'b', busy: 1, loading: 0 },
      { name: 'c', busy: 1, loading: 0 },
    ];
    expect(pickThread(threads)?.name).toBe('b');
  });

  it('skips a thread that is loading a model, however busy the others are', () => {
    const threads = [
      { name: 'a', busy: 1, loading: 1 },
      { name: 'b', busy: 7, loading: 0 },
    ];
    expect(pickThread(threads)?.name).toBe('b');
    expect(pickThread([...threads].reverse())?.name).toBe('b');
  });

  it('falls back to the least busy loading thread when all are loading, and to nothing without threads', () => {
    const threads = [
      { name: 'a', busy: 3, loading: 1 },
      { name: 'b', busy: 2, loading: 1 },
    ];
    expect(pickThread(threads)?.name).toBe('b');
    expect(pickThread([])).toBeUndefined();
  });
});
