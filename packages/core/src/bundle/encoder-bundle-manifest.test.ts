/**
 * The encoder bundle manifest's reader: the format check, the files to fetch or check in order, and the decision
 * rule and OOD entries refused with the manifest's path and what to do. (Scoring through it is tested on a real
 * bundle in packages/pipeline, `encoder-bundle-browser-path.test.ts`, and in Chromium by the dashboard's test.)
 */
import { describe, expect, it } from 'vitest';

import {
  checkEncoderBundleDecisions,
  encoderBundleFiles,
  isEncoderBundleManifest,
  parseEncoderBundleManifest,
} from './encoder-bundle-manifest';

const file = (name: string) => ({ file: name, sha256: name.length.toString(16).padStart(64, '0') });

const MANIFEST = {
  format: 'gradeshift-encoder-bundle',
  version: 1,
  grades: ['irrelevant', 'weak', 'strong'],
  backbone: {
    kind: 'encoder',
    name: 'tiny',
    model: file('model.onnx'),
    tokenizer: { ...file('tokenizer.json'), vocabSize: 40 },
    config: null,
    output: 'sentence_embedding',
    dim: 8,
    maxLength: 128,
  },
  head: {
    ...file('head.onnx'),
    blocks: ['cosine', 'product', 'difference'],
    lexical: 26,
    hidden: 4,
    termStatistics: file('term-statistics.json'),
  },
};

describe('parseEncoderBundleManifest', () => {
  it('reads a version 1 manifest and lists its files in the order they are checked', () => {
    const manifest = parseEncoderBundleManifest(MANIFEST, 'b/manifest.json');
    expect(isEncoderBundleManifest(MANIFEST)).toBe(true);
    expect(encoderBundleFiles(manifest).map((f) => f.file)).toEqual([
      'model.onnx',
      'tokenizer.json',
      'head.onnx',
      'term-statistics.json',
    ]);
  });

  it('refuses another format or version, naming the file', () => {
    for (const json of [
      { ...MANIFEST, format: 'gradeshift-bundle' },
      { ...MANIFEST, version: 2 },
      { ...MANIFEST, head: undefined },
      null,
      'text',
    ]) {
      expect(() => parseEncoderBundleManifest(json, 'b/manifest.json')).toThrow(
        'b/manifest.json: not a version 1 gradeshift-encoder-bundle manifest',
      );
    }
    expect(isEncoderBundleManifest({ format: 'gradeshift-bundle' })).toBe(false);
    expect(isEncoderBundleManifest(null)).toBe(false);
  });

  it('refuses a file named other than its fixed name, or a path out of the bundle', () => {
    const renamed = [
      { ...MANIFEST, backbone: { ...MANIFEST.backbone, model: file('other.onnx') } },
      { ...MANIFEST, head: { ...MANIFEST.head, ...file('../../etc/head.onnx') } },
      { ...MANIFEST, head: { ...MANIFEST.head, termStatistics: file('sub/term-statistics.json') } },
    ];
    for (const json of renamed)
      expect(() => parseEncoderBundleManifest(json, 'b/manifest.json')).toThrow(
        /^b\/manifest\.json: the \w+ file must be [\w.-]+ in the bundle folder .*export the bundle again/,
      );
  });
});

describe('checkEncoderBundleDecisions', () => {
  it('gives the arg-max and no OOD scores for a manifest written before they existed', () => {
    const restored: unknown[] = [];
    const out = checkEncoderBundleDecisions(MANIFEST, 'm.json', (ood) => restored.push(ood));
    expect(out.decision).toEqual({ kind: 'argmax' });
    expect(out.ood).toEqual({});
    expect(restored).toEqual([{}]);
  });

  it('refuses a bad rule or a failing restore with the path and what to do', () => {
    expect(() =>
      checkEncoderBundleDecisions({ ...MANIFEST, decision: { kind: 'nope' } }, 'm.json', () => 0),
    ).toThrow(/^m\.json: .*: the manifest was changed after export; export the bundle again/);
    expect(() =>
      checkEncoderBundleDecisions(MANIFEST, 'm.json', () => {
        throw new Error('ood.knn.source.state does not load (bank)');
      }),
    ).toThrow(
      'm.json: ood.knn.source.state does not load (bank): the manifest was changed after export; export the bundle again (gradeshift encoder)',
    );
  });
});
