import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readScorerParamsHeader } from '@gradeshift/core';

import { createSmallBundle } from '../bundle/test-fixtures';
import type { Dataset, LabeledPair } from '../data/dataset';
import { HOMEDEPOT_TAXONOMY } from '../splits/homedepot-taxonomy';
import type { PreparedData } from '../stages/prepare';
import type { SelectedPair } from '../stages/select-stage';
import { checkDataFingerprint, checkPrepared } from './load-run-data';
import { readStageParams, writeStageParams } from './params-io';
import { isRunFolderError, type RunFolderErrorCode } from './run-folder-error';
import {
  parseRunJson,
  readRunJson,
  restoreShift,
  storeShift,
  writeRunJson,
  type RunJson,
} from './run-json';
import { readSelectionFile, writeSelectionFile } from './selection-file';

function codeOf(fn: () => unknown): { code: RunFolderErrorCode; reason: string } {
  try {
    fn();
  } catch (error) {
    if (isRunFolderError(error)) return { code: error.code, reason: error.reason };
    throw error;
  }
  throw new Error('expected a RunFolderError');
}

const SHA = 'a'.repeat(64);

function sampleRun(overrides: Partial<RunJson> = {}): RunJson {
  return {
    format: 'gradeshift-run',
    version: 1,
    producer: 'gradeshift test',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    data: {
      source: { preset: 'homedepot', path: '/data/train.csv' },
      sha256: SHA,
      rows: 10,
      pairs: 10,
    },
    shift: { kind: 'department', taxonomy: 'homedepot', heldOut: ['paint'] },
    split_seed: 0,
    split_sizes: { id_train: 5, id_validation: 1, id_test: 1, pool: 2, ood_test: 1 },
    cache_dir: '/runs/.cache',
    model: { config: createSmallBundle(1).params.config, embeddings: [10, 8] },
    stages: {},
    selection: null,
    store: null,
    bundle: null,
    ...overrides,
  };
}

describe('run.json', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-run-json-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through an atomic write, stamping updated_at', () => {
    const written = writeRunJson(dir, sampleRun());
    expect(written.updated_at).not.toBe('2026-01-01T00:00:00.000Z');
    expect(readRunJson(dir)).toEqual(written);
  });

  it('names a missing folder, a folder without a run, foreign JSON, another version and a bad field', () => {
    expect(codeOf(() => readRunJson(join(dir, 'nope')))).toEqual({
      code: 'NOT_FOUND',
      reason: 'no such folder',
    });
    const empty = mkdtempSync(join(dir, 'empty-'));
    expect(codeOf(() => readRunJson(empty)).reason).toBe(
      'no run.json: the folder is not a prepared run',
    );
    writeFileSync(join(empty, 'run.json'), '{ not json');
    expect(codeOf(() => readRunJson(empty)).code).toBe('INVALID_RUN');
    expect(codeOf(() => parseRunJson({ format: 'gradeshift-report' }, 'x')).reason).toBe(
      'not a gradeshift run file (expected "format": "gradeshift-run")',
    );
    expect(codeOf(() => parseRunJson({ ...sampleRun(), version: 2 }, 'x'))).toEqual({
      code: 'VERSION_MISMATCH',
      reason: 'run.json is version 2; this build reads version 1',
    });
    const badSha = { ...sampleRun(), data: { ...sampleRun().data, sha256: 'abc' } };
    expect(codeOf(() => parseRunJson(badSha, 'x')).reason).toBe(
      'data.sha256 must be 64 hex digits',
    );
    const badStage = { ...sampleRun(), stages: { stage1: { params: { file: 3 } } } };
    expect(codeOf(() => parseRunJson(badStage, 'x')).reason).toBe(
      'stages.stage1.params must be { file, sha256 }',
    );
  });

  it('stores the built-in taxonomy by name and restores the same object', () => {
    const stored = storeShift({
      kind: 'department',
      taxonomy: HOMEDEPOT_TAXONOMY,
      heldOut: ['paint'],
    });
    expect(stored).toEqual({ kind: 'department', taxonomy: 'homedepot', heldOut: ['paint'] });
    const restored = restoreShift(stored, 'x');
    expect(restored.kind === 'department' && restored.taxonomy).toBe(HOMEDEPOT_TAXONOMY);
    const custom = { ...HOMEDEPOT_TAXONOMY, name: 'mine' };
    expect(storeShift({ kind: 'department', taxonomy: custom })).toEqual({
      kind: 'department',
      taxonomy: custom,
    });
    expect(
      codeOf(() => restoreShift({ kind: 'department', taxonomy: 'other' }, 'x')).reason,
    ).toMatch(/^unknown department taxonomy "other"/);
    const clusters = { kind: 'query-cluster', k: 4, heldOutClusters: [1] } as const;
    expect(restoreShift(storeShift(clusters), 'x')).toEqual(clusters);
  });
});

describe('stage parameters files', () => {
  let dir: string;
  const { params } = createSmallBundle(2);
  const model = { config: params.config, embeddings: params.embeddings };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-params-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes params/<stage>.bin with its sha256 and reads it back', () => {
    const stored = writeStageParams(dir, 'stage1', { params, metadata: { loss: 'graded' } });
    expect(stored.file).toBe('params/stage1.bin');
    const bytes = readFileSync(join(dir, stored.file));
    expect(readScorerParamsHeader(bytes).metadata).toMatchObject({
      stage: 'stage1',
      loss: 'graded',
    });
    const back = readStageParams(dir, 'stage1', { stored, ...model });
    expect(Array.from(back.W1.data)).toEqual(Array.from(Float32Array.from(params.W1.data)));
  });

  it('names a missing, truncated, replaced or foreign file', () => {
    const stored = writeStageParams(dir, 'stage2', { params });
    const path = join(dir, stored.file);
    const bytes = readFileSync(path);

    writeFileSync(path, bytes.subarray(0, bytes.length - 10));
    const truncated = codeOf(() => readStageParams(dir, 'stage2', { stored, ...model }));
    expect(truncated.code).toBe('INVALID_PARAMS');
    expect(truncated.reason).toMatch(/^truncated: the data section needs \d+ bytes/);

    const other = writeStageParams(dir, 'stage2', { params: createSmallBundle(9).params });
    expect(other.sha256).not.toBe(stored.sha256);
    expect(codeOf(() => readStageParams(dir, 'stage2', { stored, ...model })).reason).toMatch(
      /^the file changed after run\.json recorded it/,
    );

    const wider = { ...model, config: { ...model.config, hidden1: model.config.hidden1 + 1 } };
    expect(
      codeOf(() => readStageParams(dir, 'stage2', { stored: other, ...wider })).reason,
    ).toMatch(/^config mismatch: hidden1 is \d+ in the file, \d+ expected$/);

    rmSync(path);
    expect(codeOf(() => readStageParams(dir, 'stage2', { stored, ...model })).reason).toBe(
      'the stage2 parameters file is missing',
    );
  });
});

describe('selection.jsonl', () => {
  let dir: string;
  const pool = [
    { id: 'a', query: 'deck paint', item: 'white deck paint', line: 2 },
    { id: 'b', query: 'deck paint', item: 'deck over', line: 3 },
    { id: 'c', query: 'garden hose', item: 'hose reel', line: 4 },
  ];
  const pick = (poolIndex: number, rank: number, grade: number): SelectedPair => ({
    pair: { ...pool[poolIndex]!, grade, rating: grade + 0.5 },
    poolIndex,
    rank,
    reason: { passed: 'mahalanobis' },
    role: rank % 5 === 0 ? 'validation' : 'train',
  });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradeshift-selection-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips picks with rank, role, revealed grade and reason', () => {
    const path = join(dir, 'selection.jsonl');
    const picked = [pick(2, 0, 1), pick(0, 1, 2)];
    writeSelectionFile(path, picked);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(readSelectionFile(path, pool, 3)).toEqual(picked);
  });

  it('names the line of a damaged file or one from another run', () => {
    const path = join(dir, 'bad.jsonl');
    const good = JSON.stringify({
      rank: 0,
      pool_index: 0,
      role: 'train',
      query: 'deck paint',
      item: 'white deck paint',
      grade: 1,
      reason: null,
    });
    writeFileSync(path, `${good}\n{oops\n`);
    expect(codeOf(() => readSelectionFile(path, pool, 3))).toEqual({
      code: 'INVALID_SELECTION',
      reason: 'not a JSON line',
    });
    writeFileSync(path, `${good}\n${good}\n`);
    expect(codeOf(() => readSelectionFile(path, pool, 3)).reason).toBe(
      'pool_index 0 is picked twice',
    );
    writeFileSync(path, good.replace('"grade":1', '"grade":3'));
    expect(codeOf(() => readSelectionFile(path, pool, 3)).reason).toBe(
      'grade must be an integer in [0, 3) (got 3)',
    );
    writeFileSync(path, good.replace('"pool_index":0', '"pool_index":2'));
    expect(codeOf(() => readSelectionFile(path, pool, 3)).reason).toMatch(
      /^pool pair 2 is \("garden hose", "hose reel"\), not the line's .*another run or data$/,
    );
  });
});

describe('data fingerprints', () => {
  const run = sampleRun();
  const dataset = (sha256: string) =>
    ({ source: { path: '/data/train.csv', sha256 } }) as unknown as Dataset;

  it('passes the same file and names a changed one', () => {
    expect(() => checkDataFingerprint(run, dataset(SHA), 'run.json')).not.toThrow();
    const changed = codeOf(() => checkDataFingerprint(run, dataset('b'.repeat(64)), 'run.json'));
    expect(changed).toEqual({
      code: 'DATA_CHANGED',
      reason:
        'the data file /data/train.csv has sha256 bbbbbbbbbbbb…, but the run was prepared from aaaaaaaaaaaa…',
    });
  });

  it('names splits, an embedding table or scorer sizes that differ from the recorded ones', () => {
    const split = (n: number) => ({ pairs: Array.from<LabeledPair>({ length: n }) });
    const data = {
      idTrain: split(5),
      idValidation: split(1),
      idTest: split(1),
      pool: split(3),
      oodTest: split(1),
      embeddings: { dims: [10, 8] },
    } as unknown as PreparedData;
    expect(codeOf(() => checkPrepared(run, data, 'run.json')).reason).toBe(
      'the same data now gives other splits (pool has 3 pairs, 2 recorded); the split or vocabulary code changed',
    );
    const sameSplits = {
      ...data,
      pool: split(2),
      config: { ...run.model.config, hidden1: run.model.config.hidden1 + 1 },
    };
    expect(
      codeOf(() => checkPrepared(run, sameSplits as unknown as PreparedData, 'run.json')).reason,
    ).toBe(
      `this gradeshift build makes a scorer of other sizes than the run's (hidden1 is ${run.model.config.hidden1 + 1}, ${run.model.config.hidden1} recorded); the feature or model code changed since the run was prepared`,
    );
  });
});
