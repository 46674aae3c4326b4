import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { isBundleError } from './bundle-error';
import { readBundle } from './read-bundle';
import { sha256Hex } from '@gradeshift/core/node';
import { createSmallBundle } from './test-fixtures';
import { writeBundle } from './write-bundle';

const first = createSmallBundle(1);
const second = createSmallBundle(2);

describe('writeBundle', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gradeshift-bundle-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('round-trips: readBundle returns the manifest written and a session that runs the model', async () => {
    const dir = join(root, 'runs', 'a', 'bundle');
    const written = writeBundle({ dir, model: first.model, manifest: first.draft });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'model.onnx']);
    expect(written.manifest.model).toMatchObject({
      file: 'model.onnx',
      sha256: sha256Hex(first.model),
      bytes: first.model.length,
    });
    expect(new Uint8Array(readFileSync(join(dir, 'model.onnx')))).toEqual(first.model);
    const bundle = await readBundle(dir);
    try {
      expect(bundle.manifest).toEqual(written.manifest);
      expect(bundle.session.outputNames).toContain('ood_energy');
    } finally {
      await bundle.session.dispose();
    }
    expect(readdirSync(join(root, 'runs', 'a'))).toEqual(['bundle']);
  });

  it('replaces an existing bundle and leaves no temporary folders', async () => {
    const dir = join(root, 'bundle');
    writeBundle({ dir, model: first.model, manifest: first.draft });
    writeBundle({ dir, model: second.model, manifest: second.draft });
    expect(readdirSync(root)).toEqual(['bundle']);
    const bundle = await readBundle(dir);
    await bundle.session.dispose();
    expect(bundle.manifest.training.splitSeed).toBe(2);
  });

  it.each(['model.onnx', 'manifest.json'])(
    'a crash after writing %s leaves no bundle under the final name',
    (file) => {
      const dir = join(root, 'bundle');
      const crash = (name: string): void => {
        if (name === file) throw new Error('simulated crash');
      };
      expect(() =>
        writeBundle({ dir, model: first.model, manifest: first.draft, afterFile: crash }),
      ).toThrow('simulated crash');
      expect(existsSync(dir)).toBe(false);
      expect(readdirSync(root)).toEqual([]);
    },
  );

  it('a crash while replacing keeps the previous bundle intact', async () => {
    const dir = join(root, 'bundle');
    writeBundle({ dir, model: first.model, manifest: first.draft });
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const crash = (name: string): void => {
      if (name === 'model.onnx') throw new Error('simulated crash');
    };
    expect(() =>
      writeBundle({ dir, model: second.model, manifest: second.draft, afterFile: crash }),
    ).toThrow('simulated crash');
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(root)).toEqual(['bundle']);
    const bundle = await readBundle(dir);
    await bundle.session.dispose();
    expect(bundle.manifest.training.splitSeed).toBe(1);
  });

  it('refuses to replace a folder that is not a bundle, and writes nothing for an invalid draft', () => {
    const foreign = join(root, 'photos');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'cat.jpg'), 'meow');
    expect(() => writeBundle({ dir: foreign, model: first.model, manifest: first.draft })).toThrow(
      /photos: exists and is not a gradeshift bundle \(no manifest.json\); refusing to replace it; choose another folder/,
    );
    expect(readdirSync(foreign)).toEqual(['cat.jpg']);
    const bad = { ...first.draft, scorer: { ...first.draft.scorer, hidden1: -1 } };
    let error: unknown;
    try {
      writeBundle({ dir: join(root, 'bundle'), model: first.model, manifest: bad });
    } catch (e) {
      error = e;
    }
    expect(isBundleError(error, 'INVALID_MANIFEST')).toBe(true);
    expect(String(error)).toContain(
      'manifest.scorer.hidden1 must be a positive integer (got -1); fix the manifest draft; nothing was written',
    );
    expect(readdirSync(root)).toEqual(['photos']);
  });
});
