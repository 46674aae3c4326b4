import { describe, expect, it } from 'vitest';

import { CoreError } from '../errors';
import type { InferenceSessionLike, TensorLike } from './backend';
import { runBatched } from './model-runner';
import { createTensor } from './tensor';

/** A fake session: y = 2·x (rows × 2), s = row sums of x + shared offset; records each batch's rows. */
function fakeSession(
  options: { fail?: boolean; badRows?: boolean } = {},
): InferenceSessionLike & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    inputNames: ['x', 'offset'],
    outputNames: ['y', 's'],
    inputMetadata: [
      { name: 'x', type: 'float32', dims: ['batch', 2] },
      { name: 'offset', type: 'float32', dims: [1] },
    ],
    run(feeds: Readonly<Record<string, TensorLike>>, outputNames?: readonly string[]) {
      if (options.fail === true) return Promise.reject(new Error('kernel exploded'));
      const x = feeds['x']!;
      const offset = (feeds['offset']!.data as Float32Array)[0]!;
      const rows = x.dims[0]!;
      batches.push(rows);
      const y = new Float32Array(rows * 2);
      const s = new Float32Array(rows);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < 2; j++) {
          y[i * 2 + j] = 2 * (x.data as Float32Array)[i * 2 + j]!;
          s[i]! += (x.data as Float32Array)[i * 2 + j]!;
        }
        s[i]! += offset;
      }
      const all: Record<string, TensorLike> = {
        y: { type: 'float32', dims: [rows, 2], data: y },
        s: {
          type: 'float32',
          dims: [options.badRows === true ? 1 : rows],
          data: options.badRows === true ? s.subarray(0, 1) : s,
        },
      };
      const out: Record<string, TensorLike> = {};
      for (const name of outputNames ?? ['y', 's']) out[name] = all[name]!;
      return Promise.resolve(out);
    },
    dispose: () => Promise.resolve(),
  };
}

const x = createTensor(
  'float32',
  Float32Array.from({ length: 14 }, (_, i) => i),
  [7, 2],
);
const shared = { offset: createTensor('float32', Float32Array.from([100]), [1]) };

describe('runBatched', () => {
  it('splits rows into batches and concatenates every output along dim 0', async () => {
    const session = fakeSession();
    const out = await runBatched(session, { x }, { batchSize: 3, shared });
    expect(session.batches).toEqual([3, 3, 1]);
    expect(out['y']!.dims).toEqual([7, 2]);
    expect(Array.from(out['y']!.data as Float32Array)).toEqual(
      Array.from({ length: 14 }, (_, i) => 2 * i),
    );
    // row i sums 2i + (2i + 1), plus the shared offset 100
    expect(Array.from(out['s']!.data as Float32Array)).toEqual([101, 105, 109, 113, 117, 121, 125]);
  });

  it('runs once when the rows fit in one batch and fetches only the requested outputs', async () => {
    const session = fakeSession();
    const out = await runBatched(session, { x }, { shared, outputNames: ['s'] });
    expect(session.batches).toEqual([7]);
    expect(Object.keys(out)).toEqual(['s']);
  });

  it('gives clear errors for wrong feeds', async () => {
    const session = fakeSession();
    const wide = createTensor('float32', new Float32Array(21), [7, 3]);
    await expect(runBatched(session, { x: wide }, { shared })).rejects.toThrow(
      'input "x" must have shape [batch, 2] (got [7, 3])',
    );
    await expect(runBatched(session, { x: wide }, { shared })).rejects.toMatchObject({
      code: 'SHAPE_MISMATCH',
    });
    const f64 = createTensor('float64', new Float64Array(14), [7, 2]);
    await expect(runBatched(session, { x: f64 }, { shared })).rejects.toThrow(
      'input "x" must be float32 (got float64)',
    );
    await expect(runBatched(session, { x })).rejects.toThrow(
      'missing feed for model input "offset"',
    );
    await expect(runBatched(session, { x, z: x }, { shared })).rejects.toThrow(
      /unknown model input "z"/,
    );
    await expect(runBatched(session, { x }, { shared, outputNames: ['q'] })).rejects.toThrow(
      /unknown model output "q"/,
    );
    const short = createTensor('float32', new Float32Array(6), [3, 2]);
    await expect(runBatched(session, { x, short }, { shared })).rejects.toThrow(
      'inputs "x" and "short" must have the same number of rows (got 7 and 3)',
    );
    await expect(runBatched(session, { x }, { shared, batchSize: 0 })).rejects.toThrow(
      'batchSize must be a positive integer (got 0)',
    );
    await expect(runBatched(session, {}, { shared })).rejects.toThrow(
      /at least one row-aligned tensor/,
    );
    const malformed = { type: 'float32', dims: [7, 2], data: new Float32Array(3) } as const;
    await expect(runBatched(session, { x: malformed }, { shared })).rejects.toThrow(
      'input "x".data must have 14 entries for dims [7, 2] (got 3)',
    );
    expect(session.batches).toEqual([]);
  });

  it('wraps runtime failures in CoreError MODEL_RUN_FAILED with the cause', async () => {
    const error = await runBatched(
      fakeSession({ fail: true }),
      { x },
      { shared, batchSize: 4 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect(error).toMatchObject({
      code: 'MODEL_RUN_FAILED',
      message: 'model run failed on rows [0, 4): kernel exploded',
    });
    expect((error as CoreError).cause).toBeInstanceOf(Error);
  });

  it('refuses to concatenate an output whose dim 0 is not the batch', async () => {
    await expect(
      runBatched(fakeSession({ badRows: true }), { x }, { shared, batchSize: 3 }),
    ).rejects.toThrow(
      'output "s" must have the batch\'s 3 rows on dim 0 to be concatenated (got dims [1])',
    );
  });
});
