import { describe, expect, it } from 'vitest';

import { CoreError } from '../errors';
import { createTensor, sliceRows, tensorSize, toTensorLike } from './tensor';

describe('tensor helpers', () => {
  it('creates checked tensors', () => {
    expect(createTensor('int64', BigInt64Array.from([1n, 2n]), [2]).dims).toEqual([2]);
    expect(() => createTensor('float32', new Float64Array(2), [2])).toThrow(
      'tensor.data must be a Float32Array for type float32',
    );
    expect(() => createTensor('bool', new Uint8Array(3), [2])).toThrow(
      'tensor.data must have 2 entries for dims [2] (got 3)',
    );
    expect(() => createTensor('float16' as 'float32', new Float32Array(1), [1])).toThrow(
      /type must be one of/,
    );
    expect(tensorSize([])).toBe(1);
    expect(tensorSize([3, 0])).toBe(0);
  });

  it('slices rows as views', () => {
    const t = createTensor('int32', Int32Array.from([0, 1, 2, 3, 4, 5]), [3, 2]);
    const s = sliceRows(t, 1, 3);
    expect(s.dims).toEqual([2, 2]);
    expect(Array.from(s.data as Int32Array)).toEqual([2, 3, 4, 5]);
    expect(s.data.buffer).toBe(t.data.buffer);
    expect(() => sliceRows(t, 2, 4)).toThrow('row range [2, 4) must lie within [0, 3]');
  });

  it('adopts runtime outputs and rejects unsupported ones', () => {
    const adopted = toTensorLike(
      { type: 'float32', dims: [1], data: new Float32Array(1), extra: 1 },
      'y',
    );
    expect(Object.keys(adopted).sort()).toEqual(['data', 'dims', 'type']);
    expect(() => toTensorLike({ type: 'string', dims: [1], data: new Uint8Array(1) }, 'y')).toThrow(
      CoreError,
    );
    expect(() => toTensorLike(new Map(), 'y')).toThrow('output "y" is not a tensor');
  });
});
