import type { OodDetector } from './detector';
import { createEnergyDetector, ENERGY_STATE_VERSION } from './energy/energy-detector';
import { OodError } from './errors';
import { createKnnDetector, type KnnComputeOptions } from './knn/create-knn-detector';
import { KNN_STATE_VERSION } from './knn/knn-state';
import { createMaxLogitDetector, MAX_LOGIT_STATE_VERSION } from './logit-scores/max-logit';
import { createMspDetector, MSP_STATE_VERSION } from './logit-scores/msp';
import { createMahalanobisDetector } from './mahalanobis/create-mahalanobis-detector';
import { MAHALANOBIS_STATE_VERSION } from './mahalanobis/mahalanobis-state';
import { createRelativeMahalanobisDetector } from './relative-mahalanobis/create-relative-mahalanobis-detector';
import { RELATIVE_MAHALANOBIS_STATE_VERSION } from './relative-mahalanobis/relative-mahalanobis-state';
import {
  fieldReader,
  invalid,
  isRecord,
  readTiedGaussian,
  type FieldReader,
  type Fields,
} from './state-fields';

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

/** The kinds of detector a state can hold. */
type DetectorKind = keyof typeof DETECTOR_STATE_VERSIONS;

/** What a kind's loader gets: the state, its field reader and path, and the load options. */
interface LoadContext {
  readonly state: Fields;
  readonly read: FieldReader;
  readonly where: string;
  readonly options: LoadDetectorOptions;
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
  return LOADERS[kind as DetectorKind]({
    state,
    read: fieldReader(state, where),
    where,
    options,
  });
}

/** The `gemm` option alone, for the Gaussian detectors. */
function gemmOf(options: LoadDetectorOptions): { gemm?: NonNullable<LoadDetectorOptions['gemm']> } {
  return options.gemm === undefined ? {} : { gemm: options.gemm };
}

function loadMahalanobis({ state, read, where, options }: LoadContext): OodDetector {
  const dim = read.integer('dim', 0);
  const numClasses = read.integer('numClasses', 1);
  const gaussian = readTiedGaussian(state, where, { count: numClasses, dim });
  const classCounts = read.numbers('classCounts', numClasses);
  const normalize = read.boolean('normalize');
  return createMahalanobisDetector(
    {
      kind: 'mahalanobis',
      version: MAHALANOBIS_STATE_VERSION,
      dim,
      numClasses,
      normalize,
      classCounts,
      ...gaussian,
    },
    gemmOf(options),
  );
}

function loadRelativeMahalanobis({ state, read, where, options }: LoadContext): OodDetector {
  const dim = read.integer('dim', 0);
  const numClasses = read.integer('numClasses', 1);
  return createRelativeMahalanobisDetector(
    {
      kind: 'relative-mahalanobis',
      version: RELATIVE_MAHALANOBIS_STATE_VERSION,
      dim,
      numClasses,
      normalize: read.boolean('normalize'),
      classCounts: read.numbers('classCounts', numClasses),
      classConditional: readTiedGaussian(state['classConditional'], `${where}.classConditional`, {
        count: numClasses,
        dim,
      }),
      background: readTiedGaussian(state['background'], `${where}.background`, {
        count: 1,
        dim,
      }),
    },
    gemmOf(options),
  );
}

function loadKnn({ read, where, options }: LoadContext): OodDetector {
  const dim = read.integer('dim', 0);
  const bankSize = read.integer('bankSize', 1);
  const k = read.integer('k', 1);
  if (k > bankSize) throw invalid(where, `k (${k}) exceeds bankSize (${bankSize})`);
  return createKnnDetector(
    {
      kind: 'knn',
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

/** One loader per kind; each reads its fields in a fixed order, so the first bad one is reported. */
const LOADERS: Readonly<Record<DetectorKind, (ctx: LoadContext) => OodDetector>> = {
  mahalanobis: loadMahalanobis,
  'relative-mahalanobis': loadRelativeMahalanobis,
  energy: ({ read }) =>
    createEnergyDetector({
      kind: 'energy',
      version: ENERGY_STATE_VERSION,
      temperature: read.number('temperature', (v) => v > 0, 'a number > 0'),
      numClasses: read.integer('numClasses', 1),
    }),
  msp: ({ read }) =>
    createMspDetector({
      kind: 'msp',
      version: MSP_STATE_VERSION,
      numClasses: read.integer('numClasses', 1),
    }),
  'max-logit': ({ read }) =>
    createMaxLogitDetector({
      kind: 'max-logit',
      version: MAX_LOGIT_STATE_VERSION,
      numClasses: read.integer('numClasses', 1),
    }),
  knn: loadKnn,
};
