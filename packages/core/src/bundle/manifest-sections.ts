/**
 * Validators of the manifest's sections other than `ood` (see `parseManifest`).
 * @internal
 */
import type { GradeDecision } from '../decision/grade-decision';
import { CoreError } from '../errors';
import type { Grade } from '../grades/grade-scale';
import { TERM_MATCH_FEATURE_NAMES } from '../features/term-match';
import { termStatisticsFromJson } from '../features/term-statistics';
import { vocabularyFromJson, type SubwordConfig } from '../features/vocabulary';
import { DEFAULT_SCORER_CONFIG, type ScorerConfig } from '../scorer/types';
import type { BundleFeatures, BundleModel, BundleText, BundleTraining } from './manifest';
import {
  invalidField,
  isJsonObject,
  readArray,
  readFields,
  showValue,
  withFieldPath,
} from './manifest-fields';
import { parsePrepareSettings } from './prepare-settings';

const SHA256 = { pattern: /^[0-9a-f]{64}$/, expected: 'a lower-case hex sha256 (64 characters)' };

/** `manifest.scorer`: every size a positive integer, grades ≥ 2. @internal */
export function parseScorer(value: unknown): ScorerConfig {
  const f = readFields(value, 'manifest.scorer');
  const out: Record<string, number> = {};
  for (const key of Object.keys(DEFAULT_SCORER_CONFIG))
    out[key] = f.integer(key, key === 'grades' ? 2 : 1);
  return out as unknown as ScorerConfig;
}

function parseSubwords(value: unknown, path: string): SubwordConfig | null {
  if (value === null) return null;
  const f = readFields(value, path);
  const buckets = f.integer('buckets', 1);
  const minN = f.integer('minN', 1);
  return { buckets, minN, maxN: f.integer('maxN', minN) };
}

/** `manifest.text`: prepare settings, vocabulary JSON and its sub-word config. @internal */
export function parseText(value: unknown): BundleText {
  const f = readFields(value, 'manifest.text');
  const prepare = parsePrepareSettings(f.raw('prepare'), 'manifest.text.prepare');
  const vocabulary = withFieldPath('manifest.text.vocabulary', () =>
    vocabularyFromJson(f.raw('vocabulary')),
  ).toJSON();
  const subwords = parseSubwords(f.raw('subwords'), 'manifest.text.subwords');
  const own = vocabulary.subwords;
  if (JSON.stringify(own) !== JSON.stringify(subwords)) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `manifest.text.subwords must equal manifest.text.vocabulary.subwords (got ${showValue(subwords)} and ${showValue(own)})`,
    );
  }
  return { prepare, vocabulary, subwords };
}

/** `manifest.features`: this build's term-match feature names (F = scorer.lexicalDim) and the IDF statistics. @internal */
export function parseFeatures(value: unknown, scorer: ScorerConfig): BundleFeatures {
  const f = readFields(value, 'manifest.features');
  const names = readArray(f.raw('names'), 'manifest.features.names', (name, at) => {
    if (typeof name !== 'string') throw invalidField(at, 'a string', name);
    return name;
  });
  const expected: readonly string[] = TERM_MATCH_FEATURE_NAMES;
  if (
    names.length !== scorer.lexicalDim ||
    names.some((name, i) => name !== expected[i]) ||
    names.length !== expected.length
  ) {
    throw new CoreError(
      'INVALID_ARGUMENT',
      `manifest.features.names must be this build's ${expected.length} term-match features in order, with scorer.lexicalDim = ${expected.length} (got ${names.length} names and lexicalDim ${scorer.lexicalDim}); re-export the bundle with this gradeshift version`,
    );
  }
  const stats = f.raw('termStatistics');
  const termStatistics =
    stats === null
      ? null
      : withFieldPath('manifest.features.termStatistics', () => termStatisticsFromJson(stats));
  return { names, termStatistics };
}

function parseNames<TKey extends string>(
  value: unknown,
  path: string,
  keys: readonly TKey[],
): Record<TKey, string> {
  const f = readFields(value, path);
  const out = {} as Record<TKey, string>;
  for (const key of keys) out[key] = f.string(key);
  return out;
}

/** `manifest.model`: file, checksum, sizes and the ONNX names by role (all distinct). @internal */
export function parseModel(value: unknown, text: BundleText): BundleModel {
  const f = readFields(value, 'manifest.model');
  const embeddingRows = f.integer('embeddingRows', 1);
  const expectedRows = text.vocabulary.tokens.length + (text.subwords?.buckets ?? 0);
  if (embeddingRows !== expectedRows) {
    throw invalidField(
      'manifest.model.embeddingRows',
      `the vocabulary's ${text.vocabulary.tokens.length} tokens + ${text.subwords?.buckets ?? 0} buckets = ${expectedRows}`,
      embeddingRows,
    );
  }
  const inputs = parseNames(f.raw('inputs'), 'manifest.model.inputs', [
    'queryIds',
    'queryWeights',
    'itemIds',
    'itemWeights',
    'lexical',
  ]);
  const outputs = parseNames(f.raw('outputs'), 'manifest.model.outputs', [
    'logits',
    'probs',
    'expectedGrade',
    'features',
  ]);
  const all = [...Object.values(inputs), ...Object.values(outputs)];
  const repeated = all.find((name, i) => all.indexOf(name) !== i);
  if (repeated !== undefined)
    throw new CoreError(
      'INVALID_ARGUMENT',
      `manifest.model names "${repeated}" twice; every input and output name must be distinct`,
    );
  return {
    file: f.string('file', { pattern: /^model\.onnx$/, expected: '"model.onnx"' }),
    sha256: f.string('sha256', SHA256),
    bytes: f.integer('bytes', 1),
    opset: f.integer('opset', 1),
    embeddingRows,
    inputs,
    outputs,
  };
}

/** `manifest.grades`: scorer.grades distinct names with non-decreasing finite gains. @internal */
export function parseGrades(value: unknown, scorer: ScorerConfig): Grade[] {
  const grades = readArray(value, 'manifest.grades', (grade, at) => {
    const f = readFields(grade, at);
    return { name: f.string('name'), gain: f.number('gain') };
  });
  if (grades.length !== scorer.grades)
    throw invalidField(
      'manifest.grades',
      `an array of scorer.grades = ${scorer.grades} grades`,
      grades.map((g) => g.name),
    );
  grades.forEach((grade, i) => {
    if (grades.findIndex((g) => g.name === grade.name) !== i)
      throw invalidField(`manifest.grades[${i}].name`, 'unique', grade.name);
    const previous = grades[i - 1];
    if (previous !== undefined && grade.gain < previous.gain)
      throw invalidField(
        `manifest.grades[${i}].gain`,
        `≥ the previous grade's gain ${previous.gain}`,
        grade.gain,
      );
  });
  return grades;
}

/** `manifest.training`: the data fingerprint. @internal */
export function parseTraining(value: unknown): BundleTraining {
  const f = readFields(value, 'manifest.training');
  const sizes = readFields(f.raw('sizes'), 'manifest.training.sizes');
  const raw = f.raw('sizes') as Record<string, unknown>;
  return {
    dataSha256: f.string('dataSha256', SHA256),
    splitSeed: f.integer('splitSeed', Number.MIN_SAFE_INTEGER),
    sizes: Object.fromEntries(Object.keys(raw).map((key) => [key, sizes.integer(key, 0)])),
  };
}

/** `manifest.metrics`: a flat record of finite numbers or null. @internal */
export function parseMetrics(value: unknown): Record<string, number | null> {
  if (!isJsonObject(value)) throw invalidField('manifest.metrics', 'an object', value);
  const out: Record<string, number | null> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
      throw invalidField(`manifest.metrics.${key}`, 'a finite number or null', v);
    out[key] = v;
  }
  return out;
}

/**
 * `manifest.decision`: how probabilities become the predicted grade. `{ kind: 'argmax' }`,
 * `{ kind: 'ordinal-thresholds', thresholds, lowestAt? }` with scorer.grades − 1 finite non-decreasing cut points on
 * the expected grade (and, optionally, τ in (0, 1]: grade 0 when its probability is ≥ τ), or `{ kind: 'grade-offsets', offsets }` with scorer.grades finite offsets on the
 * log-probabilities. @internal
 */
export function parseDecision(value: unknown, scorer: ScorerConfig): GradeDecision {
  const f = readFields(value, 'manifest.decision');
  const kind = f.raw('kind');
  if (kind === 'argmax') return { kind };
  const finite = (t: unknown, at: string): number => {
    if (typeof t !== 'number' || !Number.isFinite(t)) throw invalidField(at, 'a finite number', t);
    return t;
  };
  if (kind === 'grade-offsets') {
    const offsets = readArray(f.raw('offsets'), 'manifest.decision.offsets', finite);
    if (offsets.length !== scorer.grades)
      throw invalidField(
        'manifest.decision.offsets',
        `an array of scorer.grades = ${scorer.grades} finite offsets`,
        offsets,
      );
    return { kind, offsets };
  }
  if (kind !== 'ordinal-thresholds')
    throw invalidField(
      'manifest.decision.kind',
      '"argmax", "ordinal-thresholds" or "grade-offsets"',
      kind,
    );
  const expected = `an array of scorer.grades − 1 = ${scorer.grades - 1} non-decreasing finite cut points`;
  const thresholds = readArray(f.raw('thresholds'), 'manifest.decision.thresholds', finite);
  if (
    thresholds.length !== scorer.grades - 1 ||
    thresholds.some((t, i) => i > 0 && t < (thresholds[i - 1] ?? t))
  )
    throw invalidField('manifest.decision.thresholds', expected, thresholds);
  const lowestAt = f.raw('lowestAt');
  if (lowestAt === undefined) return { kind, thresholds };
  if (typeof lowestAt !== 'number' || !(lowestAt > 0 && lowestAt <= 1))
    throw invalidField('manifest.decision.lowestAt', 'a number in (0, 1]', lowestAt);
  return { kind, thresholds, lowestAt };
}
