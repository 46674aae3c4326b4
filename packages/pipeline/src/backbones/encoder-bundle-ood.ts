/**
 * The decision rule and OOD scores of an encoder bundle: fitted on ID validation through `fitReference`, the
 * same fit the encoder run's evaluations make (the rule on all of ID validation; per space, Mahalanobis and KNN
 * on the fitting half by query, calibrated on the other half at 95% ID TPR; MSP, energy and max-logit on the
 * head's logits), stored as the word-vector manifest's `decision` and `ood` entries (detector states with
 * `space`), checked again when a bundle opens.
 */
import {
  checkEncoderBundleDecisions,
  type BundleOodScore,
  type EncoderBundleDecisions,
  type GradeDecision,
} from '@gradeshift/core';
import { createOrtGemm } from '@gradeshift/core/node';
import {
  loadBundleDetectors,
  type BundleDetector,
  type DetectorComputeOptions,
} from '@gradeshift/ood';

import { calibrateOodScore } from '../bundle/calibrate-ood-score';
import type { Dataset, LabeledPair } from '../data/dataset';
import { fitReference, type FittedReference } from '../external/fit-reference';
import type { BackboneScores } from './backbone';
import { predictionFileOf } from './encoder-outputs';

/** The spaces whose detectors an encoder bundle carries, and where each reads its rows. */
const SPACES = { relevance: 'features', content: 'content' } as const;

/** What an encoder bundle carries beside its backbone and head (core's, where the manifest is read). */
export type { EncoderBundleDecisions };

/**
 * The manifest entries of one space's fitted scores: feature detectors always, logit ones from `relevance`.
 * @param space - the space the feature detectors read
 * @param ref - the rule and detectors fitted on the reference (`fitReference`)
 */
export function oodEntriesOf(
  space: keyof typeof SPACES,
  ref: FittedReference,
): [string, BundleOodScore][] {
  const out: [string, BundleOodScore][] = [];
  for (const [name, { detector, calibration }] of ref.fitted) {
    const onFeatures = detector.needs === 'features';
    if (!onFeatures && space !== 'relevance') continue;
    const reads = onFeatures ? SPACES[space] : 'logits';
    const settings: Record<string, number> = { fitPairs: ref.halves.fit.length };
    if (name === 'knn' && ref.knnK !== null) settings['k'] = ref.knnK;
    const entry = calibrateOodScore({
      source: { kind: 'detector', reads, state: { ...detector.toJSON() } },
      space,
      heldOutIdScores: calibration,
      settings,
    });
    out.push([onFeatures && space !== 'relevance' ? `${space}_${name}` : name, entry]);
  }
  return out;
}

/**
 * Fits the bundle's decision rule and OOD scores on ID validation's scores, as the run's evaluations do.
 * @param reference - ID validation's pairs and the backbone's scores of them
 * @param dataset - the run's dataset (grade scale and rating range)
 * @throws DataError when ID validation is too small to split or to fit Mahalanobis on
 */
export async function fitEncoderBundleDecisions(
  reference: { readonly pairs: readonly LabeledPair[]; readonly scores: BackboneScores },
  dataset: Dataset,
): Promise<EncoderBundleDecisions> {
  let decision: GradeDecision = { kind: 'argmax' };
  const ood: [string, BundleOodScore][] = [];
  for (const space of Object.keys(SPACES) as (keyof typeof SPACES)[]) {
    const rows = reference.scores.spaces[space];
    if (rows === undefined) continue;
    const file = predictionFileOf(`id_validation.${space}`, { ...reference, space: rows }, dataset);
    const gemm = createOrtGemm();
    const ref = await fitReference(file, { path: file.shape.file, seed: 0, gemm }).finally(() =>
      gemm.dispose(),
    );
    if (space === 'relevance') decision = ref.decision.rule;
    ood.push(...oodEntriesOf(space, ref));
  }
  return { decision, ood: Object.fromEntries(ood) };
}

/** Where a detector of an encoder bundle reads its rows. */
export type EncoderDetectorReads = 'features' | 'logits' | 'content';

/**
 * Checks the decision rule and OOD entries of an encoder manifest and restores its detectors (core's
 * `checkEncoderBundleDecisions` with `loadBundleDetectors`). A manifest written before bundles carried them
 * (neither field) gives the arg-max and no OOD scores.
 * @param manifest - the parsed manifest's `decision`, `ood` and grades
 * @param source - the manifest's path, named in errors, or the path and what to do instead of exporting the
 *   encoder bundle again
 * @param computeOptions - passed to every detector's `score` (e.g. onnxruntime's gemm for the KNN banks)
 * @throws Error naming the manifest, the field and what to do
 */
export function loadEncoderBundleDecisions(
  manifest: { decision?: unknown; ood?: unknown; grades: readonly string[] },
  source: Parameters<typeof checkEncoderBundleDecisions>[1],
  computeOptions?: DetectorComputeOptions,
): EncoderBundleDecisions & { detectors: Record<string, BundleDetector> } {
  return checkEncoderBundleDecisions(manifest, source, (ood) =>
    loadBundleDetectors(ood, computeOptions === undefined ? {} : { computeOptions }),
  );
}
