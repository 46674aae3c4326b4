import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CoreError } from '../errors';
import { createRng } from '../math/prng';
import type { InferenceSessionLike } from '../model/backend';
import { runBatched } from '../model/model-runner';
import { onnxAttr, onnxInput, onnxNode, onnxOutput, onnxTensor } from '../model/onnx/builders';
import { encodeOnnxModel } from '../model/onnx/encode-model';
import { createTensor } from '../model/tensor';
import { createNodeBackend } from './create-node-backend';

const D = 4;
const H = 5;
const K = 3;

/** Seeded weights of the tiny 2-layer model, rounded to float32 as the runtime sees them. */
function weights(): { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array } {
  const rng = createRng(7);
  const draw = (n: number): Float32Array => Float32Array.from({ length: n }, () => rng.normal());
  return { w1: draw(D * H), b1: draw(H), w2: draw(H * K), b2: draw(K) };
}

/** probs = softmax(relu(x·W1 + b1)·W2 + b2), built with our writer. */
function tinyModel(): Uint8Array {
  const { w1, b1, w2, b2 } = weights();
  return encodeOnnxModel({
    graph: {
      name: 'tiny-ranker',
      nodes: [
        onnxNode('MatMul', { inputs: ['features', 'w1'], outputs: ['z1'] }),
        onnxNode('Add', { inputs: ['z1', 'b1'], outputs: ['a1'] }),
        onnxNode('Relu', { inputs: ['a1'], outputs: ['h1'] }),
        onnxNode('MatMul', { inputs: ['h1', 'w2'], outputs: ['z2'] }),
        onnxNode('Add', { inputs: ['z2', 'b2'], outputs: ['logits'] }),
        onnxNode('Softmax', { inputs: ['logits'], outputs: ['probs'] }, { axis: onnxAttr.int(-1) }),
      ],
      initializers: [
        onnxTensor('w1', w1, [D, H]),
        onnxTensor('b1', b1, [H]),
        onnxTensor('w2', w2, [H, K]),
        onnxTensor('b2', b2, [K]),
      ],
      inputs: [onnxInput('features', 'float32', ['batch', D])],
      outputs: [
        onnxOutput('logits', 'float32', ['batch', K]),
        onnxOutput('probs', 'float32', ['batch', K]),
      ],
    },
  });
}

/** The same forward pass in plain TypeScript (Float64 arithmetic). */
function forward(x: Float32Array, n: number): { logits: number[]; probs: number[] } {
  const { w1, b1, w2, b2 } = weights();
  const logits: number[] = [];
  const probs: number[] = [];
  for (let i = 0; i < n; i++) {
    const h = Array.from({ length: H }, (_, j) => {
      let s = b1[j]!;
      for (let p = 0; p < D; p++) s += x[i * D + p]! * w1[p * H + j]!;
      return Math.max(0, s);
    });
    const z = Array.from({ length: K }, (_, c) =>
      h.reduce((s, hj, j) => s + hj * w2[j * K + c]!, b2[c]!),
    );
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const total = e.reduce((a, b) => a + b, 0);
    logits.push(...z);
    probs.push(...e.map((v) => v / total));
  }
  return { logits, probs };
}

function features(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * D }, () => rng.normal());
}

describe('createNodeBackend', () => {
  const backend = createNodeBackend({ intraOpNumThreads: 1 });
  let session: InferenceSessionLike;

  beforeAll(async () => {
    session = await backend.createSession(tinyModel());
  });
  afterAll(async () => {
    await session.dispose();
  });

  it('runs the tiny 2-layer model like a plain TypeScript forward pass (within 1e-5)', async () => {
    expect(backend.name).toBe('onnxruntime-node/cpu');
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['logits', 'probs']);
    expect(session.inputMetadata).toEqual([
      { name: 'features', type: 'float32', dims: ['batch', D] },
    ]);
    const x = features(6, 1);
    const out = await session.run({ features: createTensor('float32', x, [6, D]) });
    const expected = forward(x, 6);
    expect(out['probs']!.dims).toEqual([6, K]);
    expect(out['probs']!.type).toBe('float32');
    expect(Array.from(out['logits']!.data as Float32Array)).toBeDeepCloseTo(expected.logits, {
      abs: 1e-5,
      rel: 0,
    });
    expect(Array.from(out['probs']!.data as Float32Array)).toBeDeepCloseTo(expected.probs, {
      abs: 1e-5,
      rel: 0,
    });
  });

  it('gives the same result batched through runBatched as in one run', async () => {
    const n = 10;
    const x = features(n, 2);
    const out = await runBatched(
      session,
      { features: createTensor('float32', x, [n, D]) },
      { batchSize: 4, outputNames: ['probs'] },
    );
    expect(out['probs']!.dims).toEqual([n, K]);
    expect(Array.from(out['probs']!.data as Float32Array)).toBeDeepCloseTo(forward(x, n).probs, {
      abs: 1e-5,
      rel: 0,
    });
  });

  it('rejects a wrong feed shape with a message naming the input', async () => {
    const wrong = createTensor('float32', new Float32Array(6 * 3), [6, 3]);
    const error = await session.run({ features: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect(error).toMatchObject({
      code: 'SHAPE_MISMATCH',
      message: 'input "features" must have shape [batch, 4] (got [6, 3])',
    });
  });

  it('turns invalid bytes into MODEL_LOAD_FAILED with the runtime error as cause', async () => {
    const error = await backend
      .createSession(Uint8Array.from([1, 2, 3, 4]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect((error as CoreError).code).toBe('MODEL_LOAD_FAILED');
    expect((error as CoreError).message).toMatch(
      /^onnxruntime-node\/cpu: could not load the model: /,
    );
    expect((error as CoreError).cause).toBeInstanceOf(Error);
  });

  it('refuses an unknown device, listing the known ones', () => {
    expect(() => createNodeBackend({ device: 'cuda' as 'cpu' })).toThrow(
      "onnxruntime-node: unknown device 'cuda'; available devices: 'cpu'",
    );
    expect(() => createNodeBackend({ device: 'cuda' as 'cpu' })).toThrow(
      expect.objectContaining({ code: 'BACKEND_UNAVAILABLE' }),
    );
    expect(() => createNodeBackend({ intraOpNumThreads: -1 })).toThrow(
      'intraOpNumThreads must be a non-negative integer (got -1)',
    );
  });

  it('fails runs after dispose', async () => {
    const s = await backend.createSession(tinyModel());
    await s.dispose();
    await s.dispose();
    await expect(
      s.run({ features: createTensor('float32', features(1, 3), [1, D]) }),
    ).rejects.toMatchObject({
      code: 'MODEL_RUN_FAILED',
      message: 'onnxruntime-node/cpu: the session has been disposed',
    });
  });

  describe('createSessionFromFile', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'gradeshift-model-'));
      await writeFile(join(dir, 'tiny.onnx'), tinyModel());
      await writeFile(join(dir, 'junk.onnx'), 'not a model');
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('loads a model file', async () => {
      const s = await backend.createSessionFromFile(join(dir, 'tiny.onnx'));
      expect(s.outputNames).toEqual(['logits', 'probs']);
      await s.dispose();
    });

    it('names the path when the file is missing or not a model', async () => {
      const missing = join(dir, 'missing.onnx');
      await expect(backend.createSessionFromFile(missing)).rejects.toThrow(
        `could not read model file "${missing}"`,
      );
      const junk = join(dir, 'junk.onnx');
      const error = await backend.createSessionFromFile(junk).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'MODEL_LOAD_FAILED' });
      expect((error as Error).message).toContain(
        `model file "${junk}": onnxruntime-node/cpu: could not load the model`,
      );
      expect((error as Error).cause).toBeInstanceOf(Error);
    });
  });

  it('has no import-time side effects: importing the entry loads no runtime and leaves the environment alone', async () => {
    const entry = new URL('./index.ts', import.meta.url).pathname;
    const script = [
      'const before = JSON.stringify(process.env);',
      `const mod = await import(${JSON.stringify(entry)});`,
      "const loaded = Object.keys(require('node:module')._cache ?? {}).some((p) => p.includes('onnxruntime'));",
      'process.stdout.write(JSON.stringify({ loaded, envSame: before === JSON.stringify(process.env), names: Object.keys(mod).length }));',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n${script}`,
      ],
      {
        cwd: new URL('../..', import.meta.url).pathname,
      },
    );
    const result = JSON.parse(stdout) as { loaded: boolean; envSame: boolean; names: number };
    expect(result).toEqual({ loaded: false, envSame: true, names: result.names });
    expect(result.names).toBeGreaterThan(3);
  });
});
