import { describe, expect, it } from 'vitest';

import { CoreError } from '../errors';
import { TERM_MATCH_FEATURE_NAMES } from '../features/term-match';
import { buildTermStatistics } from '../features/term-statistics';
import { completeBundleManifest, createBundleManifest } from './create-manifest';
import { parseManifest, type BundleManifest } from './manifest';
import { createSmallBundle } from './test-fixtures';

const { manifest } = createSmallBundle();

/** A JSON copy of the fixture's manifest with one change applied at `path` (undefined deletes the field). */
function mutate(path: string, value: unknown): unknown {
  const json = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>;
  const keys = path.split('.');
  let at: Record<string, unknown> = json;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys[keys.length - 1] ?? '';
  if (value === undefined) delete at[last];
  else at[last] = value;
  return json;
}

function errorOf(json: unknown): CoreError {
  try {
    parseManifest(json);
  } catch (error) {
    if (error instanceof CoreError) return error;
    throw error;
  }
  throw new Error('parseManifest accepted the manifest');
}

describe('parseManifest', () => {
  it('round-trips a manifest through JSON', () => {
    const parsed = parseManifest(JSON.parse(JSON.stringify(manifest)));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(parsed.features.names).toEqual([...TERM_MATCH_FEATURE_NAMES]);
    expect(parsed.model.embeddingRows).toBe(13 + 32);
  });

  it('keeps term statistics and drops unknown fields', () => {
    const stats = buildTermStatistics([['angle', 'bracket'], ['bracket']]);
    const json = JSON.parse(
      JSON.stringify({
        ...manifest,
        extra: 1,
        features: { ...manifest.features, termStatistics: stats },
      }),
    ) as BundleManifest;
    const parsed = parseManifest(json);
    expect(parsed.features.termStatistics).toEqual(stats);
    expect('extra' in parsed).toBe(false);
  });

  it.each([
    null,
    42,
    'manifest',
    [],
    {},
    { format: 'something-else', version: 1 },
    { kind: 'gradeshift.vocabulary' },
  ])('says a foreign value (%j) is not a gradeshift bundle manifest', (json) => {
    const error = errorOf(json);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toMatch(/^not a gradeshift bundle manifest/);
  });

  it('names the format version of a manifest from another version', () => {
    const error = errorOf(mutate('version', 2));
    expect(error.code).toBe('VERSION_MISMATCH');
    expect(error.message).toBe(
      'manifest was written by gradeshift bundle format 2; this build reads format 1',
    );
    expect(errorOf(mutate('version', '1')).message).toBe('manifest.version must be 1 (got "1")');
  });

  it.each([
    ['scorer.hidden1', -1, 'manifest.scorer.hidden1 must be a positive integer (got -1)'],
    ['scorer.grades', 1, 'manifest.scorer.grades must be an integer ≥ 2 (got 1)'],
    ['scorer.slots', 2.5, 'manifest.scorer.slots must be a positive integer (got 2.5)'],
    ['scorer', undefined, 'manifest.scorer must be an object (got nothing)'],
    [
      'createdAt',
      'yesterday',
      'manifest.createdAt must be an ISO 8601 date-time (e.g. 2025-01-31T12:00:00.000Z) (got "yesterday")',
    ],
    ['gradeshiftVersion', '', 'manifest.gradeshiftVersion must be a non-empty string (got "")'],
    [
      'grades',
      [
        { name: 'a', gain: 0 },
        { name: 'b', gain: 1 },
      ],
      'manifest.grades must be an array of scorer.grades = 3 grades (got ["a","b"])',
    ],
    [
      'grades',
      [
        { name: 'a', gain: 0 },
        { name: 'a', gain: 1 },
        { name: 'c', gain: 2 },
      ],
      'manifest.grades[1].name must be unique (got "a")',
    ],
    [
      'grades',
      [
        { name: 'a', gain: 2 },
        { name: 'b', gain: 1 },
        { name: 'c', gain: 2 },
      ],
      "manifest.grades[1].gain must be ≥ the previous grade's gain 2 (got 1)",
    ],
    [
      'text.prepare.maxTokens',
      0,
      'manifest.text.prepare.maxTokens must be a positive integer (got 0)',
    ],
    [
      'text.prepare.stopWords',
      ['a', 3],
      'manifest.text.prepare.stopWords[1] must be a non-empty string (got 3)',
    ],
    [
      'text.prepare.canonicalUnits',
      'yes',
      'manifest.text.prepare.canonicalUnits must be a boolean (got "yes")',
    ],
    [
      'text.subwords',
      null,
      'manifest.text.subwords must equal manifest.text.vocabulary.subwords (got null and {"buckets":32,"minN":3,"maxN":5})',
    ],
    ['text.subwords.maxN', 2, 'manifest.text.subwords.maxN must be an integer ≥ 3 (got 2)'],
    [
      'model.sha256',
      'ABC',
      'manifest.model.sha256 must be a lower-case hex sha256 (64 characters) (got "ABC")',
    ],
    ['model.file', 'other.onnx', 'manifest.model.file must be "model.onnx" (got "other.onnx")'],
    [
      'model.embeddingRows',
      44,
      "manifest.model.embeddingRows must be the vocabulary's 13 tokens + 32 buckets = 45 (got 44)",
    ],
    [
      'model.inputs.lexical',
      'query_ids',
      'manifest.model names "query_ids" twice; every input and output name must be distinct',
    ],
    [
      'model.outputs.features',
      undefined,
      'manifest.model.outputs.features must be a non-empty string (got nothing)',
    ],
    [
      'ood.energy.source.output',
      'logits',
      'manifest.ood.energy.source.output "logits" is already used by another model input or output',
    ],
    [
      'ood.energy.source.kind',
      'plugin',
      'manifest.ood.energy.source.kind must be "graph", "detector" or "fused" (got "plugin")',
    ],
    [
      'ood.energy.calibration.sorted',
      [2, 1],
      'manifest.ood.energy.calibration.sorted[1] must be a finite number ≥ the previous score 2 (got 1)',
    ],
    [
      'ood.energy.calibration.sorted',
      [],
      'manifest.ood.energy.calibration.sorted must be a non-empty array of held-out ID scores (got [])',
    ],
    [
      'ood.energy.threshold.tpr',
      1.5,
      'manifest.ood.energy.threshold.tpr must be a number in (0, 1] (got 1.5)',
    ],
    [
      'ood.energy.settings',
      { t: [1] },
      'manifest.ood.energy.settings.t must be a finite number, a string or a boolean (got [1])',
    ],
    [
      'training.dataSha256',
      undefined,
      'manifest.training.dataSha256 must be a lower-case hex sha256 (64 characters) (got nothing)',
    ],
    [
      'training.sizes',
      { train: -3 },
      'manifest.training.sizes.train must be a non-negative integer (got -3)',
    ],
    [
      'metrics',
      { auc: 'high' },
      'manifest.metrics.auc must be a finite number or null (got "high")',
    ],
  ])('rejects %s = %j with a message naming the field', (path, value, message) => {
    const error = errorOf(mutate(path, value));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(message);
  });

  it('rejects feature names of another build', () => {
    const names: string[] = [...TERM_MATCH_FEATURE_NAMES];
    names[3] = 'somethingElse';
    expect(errorOf(mutate('features.names', names)).message).toMatch(
      /^manifest\.features\.names must be this build's 26 term-match features in order/,
    );
    expect(errorOf(mutate('scorer.lexicalDim', 16)).message).toMatch(
      /got 26 names and lexicalDim 16/,
    );
  });

  it('wraps the errors of the vocabulary and term-statistics validators with the field path', () => {
    expect(errorOf(mutate('text.vocabulary.tokens', ['<pad>', '<unk>', 'a', 'a'])).message).toBe(
      'manifest.text.vocabulary is invalid: tokens[3] repeats "a" (first at id 2)',
    );
    expect(errorOf(mutate('features.termStatistics', { kind: 'x' })).message).toMatch(
      /^manifest\.features\.termStatistics is invalid: json must be gradeshift term statistics/,
    );
  });

  it('reads an optional decision rule and checks its cut points against scorer.grades', () => {
    expect('decision' in parseManifest(JSON.parse(JSON.stringify(manifest)))).toBe(false);
    const rule = { kind: 'ordinal-thresholds', thresholds: [0.9, 1.4] };
    expect(parseManifest(mutate('decision', rule)).decision).toEqual(rule);
    expect(parseManifest(mutate('decision', { kind: 'argmax', extra: 1 })).decision).toEqual({
      kind: 'argmax',
    });
    expect(errorOf(mutate('decision', { kind: 'vote' })).message).toBe(
      'manifest.decision.kind must be "argmax", "ordinal-thresholds" or "grade-offsets" (got "vote")',
    );
    const offsets = { kind: 'grade-offsets', offsets: [0, -0.4, 0.25] };
    expect(parseManifest(mutate('decision', offsets)).decision).toEqual(offsets);
    expect(errorOf(mutate('decision', { kind: 'grade-offsets', offsets: [0, 1] })).message).toBe(
      'manifest.decision.offsets must be an array of scorer.grades = 3 finite offsets (got [0,1])',
    );
    expect(
      errorOf(mutate('decision', { kind: 'grade-offsets', offsets: [0, null, 1] })).message,
    ).toBe('manifest.decision.offsets[1] must be a finite number (got null)');
    expect(
      errorOf(mutate('decision', { kind: 'ordinal-thresholds', thresholds: [1] })).message,
    ).toBe(
      'manifest.decision.thresholds must be an array of scorer.grades − 1 = 2 non-decreasing finite cut points (got [1])',
    );
    expect(
      errorOf(mutate('decision', { kind: 'ordinal-thresholds', thresholds: [1.4, 0.9] })).message,
    ).toMatch(/^manifest\.decision\.thresholds must be an array of scorer\.grades − 1 = 2/);
    expect(
      errorOf(mutate('decision', { kind: 'ordinal-thresholds', thresholds: [0.9, 'x'] })).message,
    ).toBe('manifest.decision.thresholds[1] must be a finite number (got "x")');
    const floored = { kind: 'ordinal-thresholds', thresholds: [0.9, 1.4], lowestAt: 0.45 };
    expect(parseManifest(mutate('decision', floored)).decision).toEqual(floored);
    expect(errorOf(mutate('decision', { ...floored, lowestAt: 0 })).message).toBe(
      'manifest.decision.lowestAt must be a number in (0, 1] (got 0)',
    );
    expect(errorOf(mutate('decision', null)).message).toBe(
      'manifest.decision must be an object (got null)',
    );
  });

  it('checks detector-sourced scores', () => {
    const knn = {
      ...manifest.ood['energy'],
      source: { kind: 'detector', reads: 'features', state: { kind: 'knn', version: 1, k: 5 } },
    };
    const json = JSON.parse(
      JSON.stringify({ ...manifest, ood: { ...manifest.ood, knn } }),
    ) as unknown;
    expect(parseManifest(json).ood['knn']?.source).toEqual(knn.source);
    const bad = JSON.parse(
      JSON.stringify({
        ...manifest,
        ood: { knn: { ...knn, source: { ...knn.source, reads: 'probs' } } },
      }),
    ) as unknown;
    expect(errorOf(bad).message).toBe(
      'manifest.ood.knn.source.reads must be "features", "logits" or "content" (got "probs")',
    );
    const noVersion = JSON.parse(
      JSON.stringify({
        ...manifest,
        ood: { knn: { ...knn, source: { ...knn.source, state: { kind: 'knn' } } } },
      }),
    ) as unknown;
    expect(errorOf(noVersion).message).toBe(
      'manifest.ood.knn.source.state.version must be a positive integer (got nothing)',
    );
  });
});

describe('parseManifest: spaces and fused scores', () => {
  const withOod = (ood: Record<string, unknown>) =>
    JSON.parse(JSON.stringify({ ...manifest, ood: { ...manifest.ood, ...ood } })) as unknown;
  const energy = manifest.ood['energy'];

  it('reads a score without a space as relevance and checks a given one', () => {
    const { space: _dropped, ...old } = energy as unknown as Record<string, unknown>;
    expect(parseManifest(withOod({ energy: old })).ood['energy']?.space).toBe('relevance');
    expect(
      parseManifest(withOod({ energy: { ...energy, space: 'content' } })).ood['energy']?.space,
    ).toBe('content');
    expect(errorOf(withOod({ energy: { ...energy, space: 'colour' } })).message).toBe(
      'manifest.ood.energy.space must be "relevance", "content", "fused" (got "colour")',
    );
  });

  it('accepts a fused score over earlier scores and refuses one over unknown or later names', () => {
    const fused = (of: unknown, method: unknown = 'mean') => ({
      ...energy,
      space: 'fused',
      source: { kind: 'fused', of, method },
    });
    expect(
      parseManifest(withOod({ fused: fused(['mahalanobis', 'energy']) })).ood['fused']?.source,
    ).toEqual({
      kind: 'fused',
      of: ['mahalanobis', 'energy'],
      method: 'mean',
    });
    expect(errorOf(withOod({ fused: fused(['mahalanobis', 'nope']) })).message).toBe(
      'manifest.ood.fused.source.of names "nope", which must be earlier, non-fused OOD scores of the manifest',
    );
    expect(errorOf(withOod({ fused: fused([]) })).message).toMatch(
      /manifest.ood.fused.source.of must be a non-empty array of OOD score names/,
    );
    expect(errorOf(withOod({ fused: fused(['energy'], 'median') })).message).toMatch(
      /manifest.ood.fused.source.method must be "mean" or "max"/,
    );
  });
});

describe('createBundleManifest / completeBundleManifest', () => {
  it('fills in the exporter names, the resolved prepare settings and the checksum', () => {
    const draft = createBundleManifest({
      config: manifest.scorer,
      scale: { grades: manifest.grades },
      vocabulary: createSmallBundle().vocabulary,
      training: manifest.training,
      gradeshiftVersion: '0.1.0',
    });
    expect(draft.model.inputs.queryIds).toBe('query_ids');
    expect(draft.text.prepare.stopWords).toContain('the');
    expect(Number.isNaN(Date.parse(draft.createdAt))).toBe(false);
    const full = completeBundleManifest(draft, { sha256: 'f'.repeat(64), bytes: 10 });
    expect(full.model).toMatchObject({ file: 'model.onnx', sha256: 'f'.repeat(64), bytes: 10 });
    expect(() => completeBundleManifest(draft, { sha256: 'nope', bytes: 10 })).toThrow(
      'manifest.model.sha256 must be',
    );
    expect('decision' in full).toBe(false);
  });

  it('writes the decision rule when given one', () => {
    const options = {
      config: manifest.scorer,
      scale: { grades: manifest.grades },
      vocabulary: createSmallBundle().vocabulary,
      training: manifest.training,
      gradeshiftVersion: '0.1.0',
    };
    const thresholds = [0.85, 1.45];
    const draft = createBundleManifest({
      ...options,
      decision: { kind: 'ordinal-thresholds', thresholds },
    });
    const full = completeBundleManifest(draft, { sha256: 'f'.repeat(64), bytes: 10 });
    expect(full.decision).toEqual({ kind: 'ordinal-thresholds', thresholds });
    expect(full.decision?.kind === 'ordinal-thresholds' && full.decision.thresholds).not.toBe(
      thresholds,
    );
    expect(createBundleManifest({ ...options, decision: { kind: 'argmax' } }).decision).toEqual({
      kind: 'argmax',
    });
  });
});
