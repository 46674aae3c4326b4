/**
 * The report's OOD sets: near OOD (the held-out domains of the training data, split `ood_test`) and far OOD (a
 * second dataset, split `far_test`), each beside the ID test split: every metric's gap with its own interval
 * and p-value, every OOD score's separation and flagged share, both grade mixes and a verdict in words. The two
 * sets can come from files judged under different guidelines, so each carries its grade mix and the ID test's.
 */
import { basename } from 'node:path';

import type { OodSetKind, OodSetReport } from '../contract/shift-schema';
import { SPLIT_METRICS, type SplitMetricName } from '../contract/metrics-schema';
import type { DatasetSource } from '../data/dataset';
import type { PreparedData } from '../stages/prepare';
import { differenceOfDraws } from '../stages/split-metrics';
import {
  DETECTOR_NAMES,
  DETECTOR_SPACES,
  type DetectorName,
  type DetectorScores,
} from './model-detectors';
import type { ModelEvaluation } from './evaluate-model';

/** AUROC from which a content score is said to detect a set. */
export const DETECTED_AUROC = 0.75;

/**
 * Grade fractions of a split, in grade order, as the split report (`prepare`) summarised them.
 * @throws Error when the split report has no such split
 */
function gradeMixOf(data: PreparedData, split: string): number[] {
  const summary = data.splits.report.splits.find((s) => s.name === split);
  if (summary === undefined) throw new Error(`the split report has no ${split} split`);
  return [...summary.grades.fractions];
}

/** Share of `scores` above `threshold`. */
function flaggedShare(scores: Float64Array, threshold: number): number {
  let n = 0;
  for (const s of scores) if (s > threshold) n++;
  return scores.length === 0 ? 0 : n / scores.length;
}

const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const num = (x: number | null) => (x === null ? '—' : x.toFixed(3));

/** The verdict of one set from its gaps and detection. */
function verdictOf(
  kind: OodSetKind,
  gap: OodSetReport['gap'],
  detection: OodSetReport['detection'],
): OodSetReport['verdict'] {
  const content = DETECTOR_NAMES.filter((n) => DETECTOR_SPACES[n] !== 'relevance');
  const best = content.reduce((a, b) =>
    (detection[b]?.auroc ?? 0) > (detection[a]?.auroc ?? 0) ? b : a,
  );
  const d = detection[best];
  const auroc = d?.auroc ?? 0;
  const flagged = d?.flagged ?? 0;
  const f1 = gap.macro_f1;
  const detected = auroc >= DETECTED_AUROC;
  const hurts = f1.lo !== null && f1.lo > 0;
  const seen = detected
    ? `Detected: ${best} separates it from ID test with AUROC ${auroc.toFixed(3)} and flags ${pct(flagged)} of it.`
    : `Hard to tell from ID: the best content score (${best}) reaches AUROC ${auroc.toFixed(3)}, flagging ${pct(flagged)}.`;
  const direction = f1.value >= 0 ? 'lower' : 'higher';
  const quality = `Macro-F1 is ${num(Math.abs(f1.value))} ${direction} than on ID test (gap ${num(f1.value)}, 95% interval [${num(f1.lo)}, ${num(f1.hi)}], p ${num(f1.p)})${f1.lo !== null && f1.hi !== null && f1.lo <= 0 && f1.hi >= 0 ? ', within noise' : ''}.`;
  const next = hurts
    ? `Select pairs of this traffic for annotation (Selection view: distribution-aware picks) and fine-tune on them; compare the budget curve${kind === 'far' ? '' : ' of the far set'}.`
    : detected
      ? 'The model holds up on it for now: keep the detectors on in production and re-check the gap as traffic grows.'
      : 'Neither the detectors nor the metrics see a shift here: no action needed.';
  return { detected, hurts, best_detector: best, summary: `${seen} ${quality}`, next_step: next };
}

/** One OOD set's report. */
function oodSetOf(
  kind: OodSetKind,
  inputs: {
    readonly data: PreparedData;
    readonly splitName: 'ood_test' | 'far_test';
    readonly description: string;
    readonly source: DatasetSource;
    readonly evaluation: ModelEvaluation;
    readonly detection: Record<DetectorName, { auroc: number } & object>;
    readonly scores: DetectorScores;
  },
): OodSetReport {
  const { evaluation, splitName } = inputs;
  const metrics = evaluation.splits[splitName];
  const idDraws = evaluation.draws['id_test'];
  const setDraws = evaluation.draws[splitName];
  if (metrics === undefined || idDraws === undefined || setDraws === undefined)
    throw new Error(`the evaluation has no ${splitName} split`);
  const gap = Object.fromEntries(
    SPLIT_METRICS.map((m: SplitMetricName) => [
      m,
      differenceOfDraws(
        { a: evaluation.splits.id_test[m].value, b: metrics[m].value },
        { a: idDraws[m], b: setDraws[m] },
      ),
    ]),
  ) as OodSetReport['gap'];
  const detection = Object.fromEntries(
    DETECTOR_NAMES.map((n) => [
      n,
      {
        ...(inputs.detection[n] as OodSetReport['detection'][string]),
        flagged: flaggedShare(inputs.scores[n], evaluation.thresholds[n]),
      },
    ]),
  );
  return {
    kind,
    split: splitName,
    description: inputs.description,
    source: {
      path: inputs.source.path,
      sha256: inputs.source.sha256,
      rows: inputs.source.rows,
    },
    pairs: metrics.n,
    queries: metrics.queries,
    grade_mix: gradeMixOf(inputs.data, splitName),
    id_grade_mix: gradeMixOf(inputs.data, 'id_test'),
    gap,
    detection,
    verdict: verdictOf(kind, gap, detection),
  };
}

/**
 * The OOD sets of a run's evaluation.
 * @returns `near` always, `far` when the run has a far-OOD set
 */
export function oodSetsOf(
  data: PreparedData,
  evaluation: ModelEvaluation,
): Partial<Record<OodSetKind, OodSetReport>> {
  const common = { evaluation, data };
  const heldOut = data.splits.report.heldOut;
  const sets: Partial<Record<OodSetKind, OodSetReport>> = {
    near: oodSetOf('near', {
      ...common,
      splitName: 'ood_test',
      description: `held-out ${data.splits.report.strategy === 'department' ? 'departments' : 'domains'} of the training data: ${heldOut.join(', ')}`,
      source: data.dataset.source,
      detection: evaluation.oodDetection,
      scores: evaluation.scores.ood_test,
    }),
  };
  const { farTest, farDataset } = data;
  const farScores = evaluation.scores.far_test;
  if (
    farTest !== undefined &&
    farDataset !== undefined &&
    farScores !== undefined &&
    evaluation.farDetection !== undefined
  )
    sets.far = oodSetOf('far', {
      ...common,
      splitName: 'far_test',
      description: `another retailer's traffic (${basename(farDataset.source.path)}), queries not used for the pool`,
      source: farDataset.source,
      detection: evaluation.farDetection,
      scores: farScores,
    });
  return sets;
}
