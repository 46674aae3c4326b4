import type { OodDetector } from './detector';
import { createEnergyDetector, ENERGY_STATE_VERSION } from './energy/energy-detector';
import { OodError } from './errors';
import { createKnnDetector, type KnnComputeOptions } from './knn/create-knn-detector';
import { KNN_STATE_VERSION } from './knn/knn-state';
import { createMaxLogitDetector, MAX_LOGIT_STATE_VERSION } from './logit-scores/max-logit';
import { createMspDetector, MSP_STATE_VERSION } from './logit-scores/msp';
import { createMahalanobisDetector } from './mahalanobis/create-mahalanobis-detector';
import { MAHALANOBIS_STATE_VERSION } from './mahalanobis/mahalanobis-state';
import type { AppliedShrinkage } from './mahalanobis/shrinkage';
import type { TiedGaussianState } from './mahalanobis/tied-gaussian';
import { createRelativeMahalanobisDetector } from './relative-mahalanobis/create-relative-mahalanobis-detector';
import { RELATIVE_MAHALANOBIS_STATE_VERSION } from './relative-mahalanobis/relative-mahalanobis-state';

/** Options for {@link loadDetector}: the default gemm for scoring, and the KNN chunk bound. */
export type LoadDetectorOptions = KnnComputeOptions;

/** The state format version each kind's loader accepts. */
export const DETECTOR_STATE_VERSIONS = {
  mahalanobis: MAHALANOBIS_STATE_VERSION,
  'relative-mahalanobis': RELATIVE_MAHALANOBIS_STATE_VERSION,
  energy: ENERGY_STATE_VERSION,
  msp: MSP_STATE_VERSION,
  'max-logit': MAX_LOGIT_STATE_VERSION,
  knn: KNN_STATE_VERSION,
} as const;

type Fields = Record<string, unknown>;

function invalid(where: string, what: string): OodError {
  return new OodError('INVALID_STATE', `${where}: ${what}`);
}

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the fields of one state object; every error names the state path and what it expected. */
function fieldReader(obj: Fields, where: string) {
  return {
    integer(key: string, min: number): number {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
        throw invalid(where, `${key} must be an integer ≥ ${min} (got ${JSON.stringify(v)})`);
      return v;
    },
    number(key: string, check: (v: number) => boolean, expected: string): number {
      const v = obj[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
        throw invalid(where, `${key} must be ${expected} (got ${JSON.stringify(v)})`);
      return v;
    },
    boolean(key: string): boolean {
      const v = obj[key];
      if (typeof v !== 'boolean')
        throw invalid(where, `${key} must be a boolean (got ${JSON.stringify(v)})`);
      return v;
    },
    numbers(key: string, length: number): number[] {
      const v = obj[key];
      if (!Array.isArray(v)) throw invalid(where, `${key} must be an array of ${length} numbers`);
      if (v.length !== length)
        throw invalid(where, `${key} must have ${length} numbers (got ${v.length})`);
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x !== 'number' || !Number.isFinite(x))
          throw invalid(where, `${key}[${i}] must be a finite number (got ${JSON.stringify(x)})`);
      }
      return v as number[];
    },
  };
}

function readShrinkage(obj: Fields, where: string): AppliedShrinkage {
  const s = obj['shrinkage'];
  const at = `${where}.shrinkage`;
  if (!isRecord(s)) throw invalid(at, 'must be an object { method, … }');
  const read = fieldReader(s, at);
  switch (s['method']) {
    case 'none':
      return { method: 'none' };
    case 'ledoit-wolf':
      return {
        method: 'ledoit-wolf',
        coefficient: read.number('coefficient', (v) => v >= 0 && v <= 1, 'in [0, 1]'),
      };
    case 'ridge':
      return { method: 'ridge', lambda: read.number('lambda', (v) => v >= 0, 'a number ≥ 0') };
    default:
      throw invalid(
        at,
        `method must be 'none', 'ledoit-wolf' or 'ridge' (got ${JSON.stringify(s['method'])})`,
      );
  }
}

function readTiedGaussian(
  value: unknown,
  where: string,
  sizes: { count: number; dim: number },
): TiedGaussianState {
  if (!isRecord(value))
    throw invalid(where, 'must be an object { means, whitening, shrinkage, jitter }');
  const { count, dim } = sizes;
  const read = fieldReader(value, where);
  return {
    means: read.numbers('means', count * dim),
    whitening: read.numbers('whitening', dim * dim),
    shrinkage: readShrinkage(value, where),
    jitter: read.number('jitter', (v) => v >= 0, 'a number ≥ 0'),
  };
}

/**
 * Rebuilds a detector from a fitted state produced by its `toJSON()` (e.g. after `JSON.parse` of a model bundle).
 * Every field is checked: the kind, the format version, every size, and every array's length and finiteness, so a
 * truncated or hand-edited state fails here with a message naming the field, never later as NaN scores.
 * @param state - the parsed JSON
 * @param options - default gemm for scoring; `maxChunkEntries` for KNN
 * @returns the detector; a state written by `toJSON()` scores identically to the detector that wrote it
 * @throws OodError `VERSION_MISMATCH` (a known kind at another version) or `INVALID_STATE` (anything else)
 * @example
 * const detector = loadDetector(JSON.parse(text));
 * const scores = await detector.score({ features });
 */
export function loadDetector(state: unknown, options: LoadDetectorOptions = {}): OodDetector {
  if (!isRecord(state)) throw invalid('detector state', 'must be an object { kind, version, … }');
  const kind = state['kind'];
  if (typeof kind !== 'string' || !Object.hasOwn(DETECTOR_STATE_VERSIONS, kind)) {
    const known = Object.keys(DETECTOR_STATE_VERSIONS).join(', ');
    throw invalid(
      'detector state',
      `unknown kind ${JSON.stringify(kind)} (expected one of ${known})`,
    );
  }
  const expected = DETECTOR_STATE_VERSIONS[kind as keyof typeof DETECTOR_STATE_VERSIONS];
  if (state['version'] !== expected) {
    throw new OodError(
      'VERSION_MISMATCH',
      `${kind} state version ${JSON.stringify(state['version'])} is not supported (this build reads version ${expected})`,
    );
  }
  const where = `${kind} state`;
  const read = fieldReader(state, where);
  const gemmOptions = options.gemm === undefined ? {} : { gemm: options.gemm };
  switch (kind) {
    case 'mahalanobis': {
      const dim = read.integer('dim', 0);
      const numClasses = read.integer('numClasses', 1);
      const gaussian = readTiedGaussian(state, where, { count: numClasses, dim });
      const classCounts = read.numbers('classCounts', numClasses);
      const normalize = read.boolean('normalize');
      return createMahalanobisDetector(
        {
          kind,
          version: MAHALANOBIS_STATE_VERSION,
          dim,
          numClasses,
          normalize,
          classCounts,
          ...gaussian,
        },
        gemmOptions,
      );
    }
    case 'relative-mahalanobis': {
      const dim = read.integer('dim', 0);
      const numClasses = read.integer('numClasses', 1);
      return createRelativeMahalanobisDetector(
        {
          kind,
          version: RELATIVE_MAHALANOBIS_STATE_VERSION,
          dim,
          numClasses,
          normalize: read.boolean('normalize'),
          classCounts: read.numbers('classCounts', numClasses),
          classConditional: readTiedGaussian(
            state['classConditional'],
            `${where}.classConditional`,
            { count: numClasses, dim },
          ),
          background: readTiedGaussian(state['background'], `${where}.background`, {
            count: 1,
            dim,
          }),
        },
        gemmOptions,
      );
    }
    case 'energy':
      return createEnergyDetector({
        kind,
        version: ENERGY_STATE_VERSION,
        temperature: read.number('temperature', (v) => v > 0, 'a number > 0'),
        numClasses: read.integer('numClasses', 1),
      });
    case 'msp':
      return createMspDetector({
        kind,
        version: MSP_STATE_VERSION,
        numClasses: read.integer('numClasses', 1),
      });
    case 'max-logit':
      return createMaxLogitDetector({
        kind,
        version: MAX_LOGIT_STATE_VERSION,
        numClasses: read.integer('numClasses', 1),
      });
    case 'knn': {
      const dim = read.integer('dim', 0);
      const bankSize = read.integer('bankSize', 1);
      const k = read.integer('k', 1);
      if (k > bankSize) throw invalid(where, `k (${k}) exceeds bankSize (${bankSize})`);
      return createKnnDetector(
        {
          kind,
          version: KNN_STATE_VERSION,
          dim,
          k,
          bankSize,
          sampleRatio: read.number('sampleRatio', (v) => v > 0 && v <= 1, 'in (0, 1]'),
          seed: read.integer('seed', Number.MIN_SAFE_INTEGER),
          bank: read.numbers('bank', bankSize * dim),
        },
        options,
      );
    }
    default:
      throw invalid(where, 'has no loader');
  }
}
