import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SCORER_ONNX_OOD_OUTPUTS } from '@gradeshift/core';

import { BundleError, type BundleErrorCode } from './bundle-error';
import { readBundle } from './read-bundle';
import { createSmallBundle, graphScore } from './test-fixtures';
import { writeBundle } from './write-bundle';

const small = createSmallBundle(3);

async function readError(dir: string): Promise<BundleError> {
  try {
    const bundle = await readBundle(dir);
    await bundle.session.dispose();
  } catch (error) {
    if (error instanceof BundleError) return error;
    throw error;
  }
  throw new Error(`readBundle accepted ${dir}`);
}

async function expectError(
  dir: string,
  code: BundleErrorCode,
  parts: { path: string; reason: RegExp | string },
): Promise<void> {
  const error = await readError(dir);
  expect(error.code).toBe(code);
  expect(error.path).toBe(parts.path);
  if (typeof parts.reason === 'string') expect(error.reason).toBe(parts.reason);
  else expect(error.reason).toMatch(parts.reason);
  expect(error.message.startsWith(`${parts.path}: `)).toBe(true);
}

describe('readBundle', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gradeshift-read-'));
    dir = join(root, 'bundle');
    writeBundle({ dir, model: small.model, manifest: small.draft });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rejects a model.onnx with one flipped byte (checksum)', async () => {
    const path = join(dir, 'model.onnx');
    const bytes = readFileSync(path);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    writeFileSync(path, bytes);
    await expectError(dir, 'CHECKSUM_MISMATCH', {
      path,
      reason: /^has sha256 [0-9a-f]{64}, not the [0-9a-f]{64} recorded in manifest.json$/,
    });
    writeFileSync(path, bytes.subarray(0, 100));
    await expectError(dir, 'CHECKSUM_MISMATCH', {
      path,
      reason: new RegExp(`and has 100 bytes instead of ${small.model.length}$`),
    });
  });

  it('rejects a truncated manifest', async () => {
    const path = join(dir, 'manifest.json');
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    await expectError(dir, 'INVALID_MANIFEST', {
      path,
      reason: /^is not valid JSON \(.*\); the file is damaged or truncated$/,
    });
  });

  it('names the field of a manifest that does not validate', async () => {
    const path = join(dir, 'manifest.json');
    const json = JSON.parse(readFileSync(path, 'utf8')) as { scorer: { hidden2: number } };
    json.scorer.hidden2 = 0;
    writeFileSync(path, JSON.stringify(json));
    await expectError(dir, 'INVALID_MANIFEST', {
      path,
      reason: 'manifest.scorer.hidden2 must be a positive integer (got 0)',
    });
  });

  it('rejects a manifest of a future format version, saying which', async () => {
    const path = join(dir, 'manifest.json');
    const json = JSON.parse(readFileSync(path, 'utf8')) as { version: number };
    json.version = 2;
    writeFileSync(path, JSON.stringify(json));
    const error = await readError(dir);
    expect(error.code).toBe('VERSION_MISMATCH');
    expect(error.message).toBe(
      `${path}: manifest was written by gradeshift bundle format 2; this build reads format 1; use the gradeshift version that wrote the bundle, or export the bundle again with this version`,
    );
  });

  it('rejects a foreign folder and a foreign manifest', async () => {
    const foreign = join(root, 'photos');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'cat.jpg'), 'meow');
    await expectError(foreign, 'NOT_A_BUNDLE', {
      path: foreign,
      reason: 'holds neither manifest.json nor model.onnx, so it is not a gradeshift bundle',
    });
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ name: 'some-package', version: '1.0.0' }),
    );
    await expectError(dir, 'NOT_A_BUNDLE', {
      path: join(dir, 'manifest.json'),
      reason: /^not a gradeshift bundle manifest/,
    });
    const file = join(root, 'file.txt');
    writeFileSync(file, 'x');
    await expectError(file, 'NOT_A_BUNDLE', {
      path: file,
      reason: 'is a file, not a bundle folder',
    });
  });

  it.each(['model.onnx', 'manifest.json'])('names a missing %s', async (name) => {
    rmSync(join(dir, name));
    await expectError(dir, 'MISSING_FILE', { path: join(dir, name), reason: 'is missing' });
  });

  it('tells a Hugging Face model folder (model and tokenizer, no manifest) from a bundle, saying how to write one', async () => {
    rmSync(join(dir, 'manifest.json'));
    writeFileSync(join(dir, 'tokenizer.json'), '{}');
    await expectError(dir, 'NOT_A_BUNDLE', {
      path: dir,
      reason: /a Hugging Face model folder, not a gradeshift bundle/,
    });
  });

  it('names a missing folder, and points at the previous bundle after an interrupted replacement', async () => {
    await expectError(join(root, 'nowhere'), 'NOT_FOUND', {
      path: join(root, 'nowhere'),
      reason: 'no bundle folder here',
    });
    const old = join(root, '.bundle.old-123-abcd');
    renameSync(dir, old);
    const error = await readError(dir);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.hint).toBe(
      `a replacement was interrupted: the previous bundle is at ${old}; rename it to ${dir} or export again`,
    );
  });

  it('rejects a model that onnxruntime cannot load', async () => {
    const garbage = new TextEncoder().encode('this is not an ONNX model');
    writeBundle({ dir, model: garbage, manifest: small.draft });
    await expectError(dir, 'MODEL_LOAD_FAILED', {
      path: join(dir, 'model.onnx'),
      reason: /^could not be loaded by onnxruntime-node/,
    });
  });

  it('rejects a model whose outputs are not the ones the manifest lists', async () => {
    const draft = {
      ...small.draft,
      ood: {
        ...small.draft.ood,
        mahalanobis: graphScore(SCORER_ONNX_OOD_OUTPUTS.mahalanobis, [1, 2], 1.5),
      },
    };
    writeBundle({ dir, model: small.model, manifest: draft });
    await expectError(dir, 'MODEL_MISMATCH', {
      path: join(dir, 'model.onnx'),
      reason:
        'has outputs [expected_grade, features, logits, ood_energy, probs] but the manifest lists [expected_grade, features, logits, ood_energy, ood_mahalanobis, probs]',
    });
  });
});
