/**
 * Validity of the ONNX writer, checked by the real consumer: onnxruntime-node loads models built with it and
 * computes what a plain TypeScript reference computes. Covers the operators the exported scorer uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { InferenceSessionLike } from '../model/backend';
import { onnxAttr, onnxInput, onnxNode, onnxOutput, onnxTensor } from '../model/onnx/builders';
import { encodeOnnxModel } from '../model/onnx/encode-model';
import { createTensor } from '../model/tensor';
import { createNodeBackend } from './create-node-backend';

const EMB = [0, 0, 0, 1, 2, 3, -1, 0.5, 2, 4, -4, 1];
const AXIS1 = BigInt64Array.from([1n]);

function opsModel(): Uint8Array {
  const keep0 = { keepdims: onnxAttr.int(0) };
  return encodeOnnxModel({
    graph: {
      name: 'ops',
      nodes: [
        onnxNode('Gather', { inputs: ['emb', 'ids'], outputs: ['e'] }, { axis: onnxAttr.int(0) }),
        onnxNode('Sub', { inputs: ['x', 'e'], outputs: ['d'] }),
        onnxNode('Mul', { inputs: ['d', 'd'], outputs: ['d2'] }),
        onnxNode(
          'Constant',
          { inputs: [], outputs: ['two'] },
          { value: onnxAttr.tensor(onnxTensor('', Float32Array.from([2]), [])) },
        ),
        onnxNode('Div', { inputs: ['d2', 'two'], outputs: ['half'] }),
        onnxNode('ReduceSum', { inputs: ['half', 'axis1'], outputs: ['dist'] }, keep0),
        onnxNode('Cast', { inputs: ['dist'], outputs: ['dist64'] }, { to: onnxAttr.int(11) }),
        onnxNode('Sigmoid', { inputs: ['x'], outputs: ['sig'] }),
        onnxNode('Concat', { inputs: ['x', 'e'], outputs: ['cat'] }, { axis: onnxAttr.int(-1) }),
        onnxNode('LogSoftmax', { inputs: ['cat'], outputs: ['lsm'] }, { axis: onnxAttr.int(-1) }),
        onnxNode(
          'ReduceLogSumExp',
          { inputs: ['cat', 'axis1'], outputs: ['lse'] },
          { keepdims: onnxAttr.int(1) },
        ),
        onnxNode('ReduceMin', { inputs: ['cat', 'axis1'], outputs: ['mn'] }, keep0),
        onnxNode(
          'ArgMin',
          { inputs: ['cat'], outputs: ['am'] },
          { axis: onnxAttr.int(1), ...keep0 },
        ),
        onnxNode(
          'Constant',
          { inputs: [], outputs: ['cf'] },
          { value_floats: onnxAttr.floats([1, 2, 3]) },
        ),
        onnxNode('Add', { inputs: ['x', 'cf'], outputs: ['xplus'] }),
      ],
      initializers: [
        onnxTensor('emb', Float32Array.from(EMB), [4, 3]),
        onnxTensor('axis1', AXIS1, [1]),
      ],
      inputs: [onnxInput('x', 'float32', ['batch', 3]), onnxInput('ids', 'int64', ['batch'])],
      outputs: ['dist', 'sig', 'lsm', 'mn', 'xplus']
        .map((name) => onnxOutput(name, 'float32'))
        .concat([
          onnxOutput('lse', 'float32', ['batch', 1]),
          onnxOutput('am', 'int64', ['batch']),
          onnxOutput('dist64', 'float64', ['batch']),
        ]),
      valueInfo: [onnxOutput('cat', 'float32', ['batch', 6])],
    },
  });
}

describe('ONNX writer output in onnxruntime-node', () => {
  const backend = createNodeBackend({ intraOpNumThreads: 1 });
  let session: InferenceSessionLike;
  beforeAll(async () => {
    session = await backend.createSession(opsModel());
  });
  afterAll(async () => {
    await session.dispose();
  });

  it('computes Gather/Sub/Mul/Div/ReduceSum/Cast/Sigmoid/Concat/LogSoftmax/ReduceLogSumExp/ReduceMin/ArgMin/Add like TypeScript', async () => {
    const x = [0.5, -1, 2, 3, 3, 3];
    const ids = [1, 3];
    const out = await session.run({
      x: createTensor('float32', Float32Array.from(x), [2, 3]),
      ids: createTensor('int64', BigInt64Array.from(ids.map(BigInt)), [2]),
    });
    const rows = [0, 1].map((i) => {
      const xi = x.slice(i * 3, i * 3 + 3);
      const ei = EMB.slice(ids[i]! * 3, ids[i]! * 3 + 3);
      const cat = [...xi, ...ei];
      const m = Math.max(...cat);
      const lse = m + Math.log(cat.reduce((s, v) => s + Math.exp(v - m), 0));
      return {
        dist: xi.reduce((s, v, j) => s + (v - ei[j]!) ** 2 / 2, 0),
        sig: xi.map((v) => 1 / (1 + Math.exp(-v))),
        lsm: cat.map((v) => v - lse),
        lse,
        mn: Math.min(...cat),
        am: cat.indexOf(Math.min(...cat)),
        xplus: xi.map((v, j) => v + j + 1),
      };
    });
    const pick = <TKey extends keyof (typeof rows)[number]>(
      key: TKey,
    ): (typeof rows)[number][TKey][] => rows.map((r) => r[key]);
    const tol = { abs: 1e-5, rel: 1e-6 };
    expect(Array.from(out['dist']!.data as Float32Array)).toBeDeepCloseTo(pick('dist'), tol);
    expect(out['dist64']!.type).toBe('float64');
    expect(Array.from(out['dist64']!.data as Float64Array)).toBeDeepCloseTo(pick('dist'), tol);
    expect(Array.from(out['sig']!.data as Float32Array)).toBeDeepCloseTo(pick('sig').flat(), tol);
    expect(out['lsm']!.dims).toEqual([2, 6]);
    expect(Array.from(out['lsm']!.data as Float32Array)).toBeDeepCloseTo(pick('lsm').flat(), tol);
    expect(out['lse']!.dims).toEqual([2, 1]);
    expect(Array.from(out['lse']!.data as Float32Array)).toBeDeepCloseTo(pick('lse'), tol);
    expect(Array.from(out['mn']!.data as Float32Array)).toEqual(pick('mn'));
    expect(out['am']!.type).toBe('int64');
    expect(Array.from(out['am']!.data as BigInt64Array, Number)).toEqual(pick('am'));
    expect(Array.from(out['xplus']!.data as Float32Array)).toBeDeepCloseTo(
      pick('xplus').flat(),
      tol,
    );
  });

  it('runs float64 and int32 graphs with static and symbolic dims', async () => {
    const bytes = encodeOnnxModel({
      graph: {
        name: 'typed',
        nodes: [
          onnxNode('MatMul', { inputs: ['a', 'w'], outputs: ['y'] }),
          onnxNode('Add', { inputs: ['i', 'k'], outputs: ['j'] }),
        ],
        initializers: [
          onnxTensor('w', Float64Array.from([0.1, 0.2]), [2, 1]),
          onnxTensor('k', Int32Array.from([-5]), [1]),
        ],
        inputs: [onnxInput('a', 'float64', ['n', 2]), onnxInput('i', 'int32', [3])],
        outputs: [onnxOutput('y', 'float64', ['n', 1]), onnxOutput('j', 'int32', [3])],
      },
      opsetImports: [{ version: 17 }],
      irVersion: 8,
    });
    const s = await backend.createSession(bytes);
    const out = await s.run({
      a: createTensor('float64', Float64Array.from([1, 2, 3, 4]), [2, 2]),
      i: createTensor('int32', Int32Array.from([1, 2, 3]), [3]),
    });
    // float64 end to end: 1·0.1 + 2·0.2 and 3·0.1 + 4·0.2 in double precision
    expect(Array.from(out['y']!.data as Float64Array)).toEqual([
      1 * 0.1 + 2 * 0.2,
      3 * 0.1 + 4 * 0.2,
    ]);
    expect(Array.from(out['j']!.data as Int32Array)).toEqual([-4, -3, -2]);
    await expect(
      s.run({
        a: createTensor('float64', new Float64Array(4), [2, 2]),
        i: createTensor('int32', new Int32Array(2), [2]),
      }),
    ).rejects.toThrow('input "i" must have shape [3] (got [2])');
    await s.dispose();
  });
});
