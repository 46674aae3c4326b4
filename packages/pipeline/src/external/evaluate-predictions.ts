/**
 * `evaluate --predictions`: a relevance model that runs elsewhere, judged from its outputs. The evaluated file
 * and an in-distribution reference file (format: `read-predictions.ts`; embeddings inline or in a `.npy` beside
 * it, `read-npy.ts`) give per pair the true grade, the model's probabilities or logits and optionally an
 * embedding; either may instead be predictions in memory (a cross-encoder's scores over a dataset,
 * `backbones/evaluate-cross-encoder.ts`). The decision rule is fitted on the reference; the OOD
 * detectors are fitted on the reference's fitting half and calibrated on its calibration half (split by query);
 * the evaluated file is then measured as one split, `external`, exactly as `evaluateBundle` measures a bundle:
 * the same report.json (with an `external` section), predictions.jsonl and a run-store record of kind `evaluate`.
 */
import { resolve } from 'node:path';

import { decideGrades } from '@gradeshift/core';
import { createOrtGemm } from '@gradeshift/core/node';

import type { GradeMapping } from '../data/grade-mapping';
import type { DecisionRuleName } from '../pipeline/decision-rule';
import { checkpoint, type BundleOodSummary } from '../pipeline/evaluate-bundle';
import { withEvaluationRun, writeEvaluation } from '../pipeline/evaluation-run';
import { ratingOf } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { computeSplitMetrics, type SplitMetrics } from '../stages/split-metrics';
import { scoreExternal } from './external-detectors';
import { outputsOf } from './external-outputs';
import {
  oodSummaries,
  predictionRows,
  reportOf,
  runMetrics,
  type MeasuredPredictions,
} from './external-report';
import { fitReference, type FittedReference } from './fit-reference';
import { pathOfInput, readInputs, type PredictionsInput } from './prediction-inputs';
import type { PredictionFile } from './read-predictions';

/** Options for {@link evaluatePredictions}. */
export interface EvaluatePredictionsOptions {
  /** The predictions to evaluate: a JSONL file, or predictions in memory (e.g. a backbone's scores). */
  predictions: PredictionsInput;
  /** The in-distribution reference, same format (e.g. the team's validation set). */
  reference: PredictionsInput;
  /** A `.npy` matrix of the evaluated pairs' embeddings, one row per pair (`read-npy.ts`). @default undefined */
  embeddings?: string;
  /** A `.npy` matrix of the reference pairs' embeddings. @default undefined */
  referenceEmbeddings?: string;
  /** More settings to record in the run's configuration (e.g. the model that scored the pairs). @default {} */
  recordConfig?: Readonly<Record<string, unknown>>;
  /** How `grade` values become grades. @default grade names or 0-based indices */
  mapping?: GradeMapping;
  /** Most pairs read from each file. @default Infinity */
  maxPairs?: number;
  /** Query-bootstrap resamples of the intervals. @default 1000 */
  resamples?: number;
  /** Seed of the bootstrap and of the reference's query split. @default 0 */
  seed?: number;
  /** The decision rule fitted on the reference. @default DEFAULT_DECISION_RULE */
  decision?: DecisionRuleName;
  /** Folder for report.json and predictions.jsonl. @default undefined (nothing written) */
  outDir?: string;
  /** Run store to record the evaluation in (requires `outDir`). @default undefined */
  storePath?: string;
  /** Name of the recorded run. @default the basename of `outDir` */
  name?: string;
  progress?: ProgressSink;
  /** Stops the evaluation between steps; the run is then recorded `interrupted`. @default undefined */
  signal?: AbortSignal;
  /** Given the rule and detectors fitted on the reference (e.g. to write them into a bundle). @default undefined */
  onReferenceFitted?: (fitted: FittedReference) => void;
}

/** What {@link evaluatePredictions} returns. */
export interface PredictionsEvaluation {
  readonly pairs: number;
  readonly queries: number;
  readonly metrics: SplitMetrics;
  /** Each OOD score's flag rate at the reference-calibrated threshold. */
  readonly ood: Readonly<Record<string, BundleOodSummary>>;
  /** Each OOD score: the reference's calibration half (ID) against the evaluated file. */
  readonly detection: Readonly<Record<string, { auroc: number; fprAtTpr: number }>>;
  readonly seconds: number;
  readonly reportPath?: string;
  readonly predictionsPath?: string;
  readonly runId?: string;
}

/** Fits the rule and the detectors on the reference, and measures the evaluated file. */
async function measure(
  files: { reference: PredictionFile; evaluated: PredictionFile },
  options: EvaluatePredictionsOptions,
): Promise<MeasuredPredictions> {
  const { resamples = 1000, seed = 0, progress, signal } = options;
  const { reference, evaluated } = files;
  const k = reference.shape.grades;
  const outputs = outputsOf(evaluated);
  progress?.({ stage: 'evaluate', message: 'fitting and calibrating the OOD detectors' });
  const gemm = reference.shape.embeddingWidth === null ? undefined : createOrtGemm();
  const { halves, decision, scores, knnK } = await fitReference(reference, {
    path: pathOfInput(options.reference),
    seed,
    decision: options.decision,
    gemm,
  })
    .then(async (ref) => {
      options.onReferenceFitted?.(ref);
      return { ...ref, scores: await scoreExternal(ref.fitted, outputs, { gemm }) };
    })
    .finally(() => gemm?.dispose());
  signal?.throwIfAborted();
  progress?.({ stage: 'evaluate', message: `bootstrap intervals (${resamples} resamples)` });
  const pairs = evaluated.dataset.pairs;
  const split = {
    labels: outputs.labels,
    ratings: Float64Array.from(pairs, (p) => ratingOf(p, evaluated.dataset)),
    queries: pairs.map((p) => p.query),
  };
  const metrics = computeSplitMetrics(split, outputs, {
    resamples,
    seed,
    grades: k,
    decision: decision.rule,
  });
  // A signal that arrived during the bootstrap (which holds the event loop) is seen here.
  await checkpoint(signal);
  const decided = decideGrades(outputs.probs, decision.rule, { expected: outputs.expected });
  const queries = new Set(split.queries).size;
  return {
    reference,
    evaluated,
    outputs,
    halves,
    decision,
    decided,
    metrics,
    queries,
    scores,
    knnK,
  };
}

/**
 * Evaluates external predictions against an in-distribution reference file (see the module comment).
 * @returns metrics with intervals, OOD flag rates and detection, and, when asked, the files and the run id
 * @throws DataError for a bad line of either file (`file:line: reason`); RangeError for a reference with fewer
 *   than two queries or a grade missing from its fitting half (with embeddings)
 */
export async function evaluatePredictions(
  options: EvaluatePredictionsOptions,
): Promise<PredictionsEvaluation> {
  const t0 = Date.now();
  const { seed = 0, signal } = options;
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir);
  // Both files are read before the run is recorded, so a refused file leaves no run behind.
  const files = await readInputs(options);
  const target = { outDir, storePath: options.storePath, name: options.name, signal };
  const record = {
    config: {
      predictions: resolve(pathOfInput(options.predictions)),
      reference: resolve(pathOfInput(options.reference)),
      ...(options.embeddings === undefined ? {} : { embeddings: resolve(options.embeddings) }),
      ...(options.referenceEmbeddings === undefined
        ? {}
        : { reference_embeddings: resolve(options.referenceEmbeddings) }),
      ...options.recordConfig,
      resamples: options.resamples ?? 1000,
      seed,
      ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
    },
    dataFingerprint: files.evaluated.dataset.source.sha256,
  };
  return withEvaluationRun(target, record, async (run) => {
    const m = await measure(files, options);
    const result = {
      pairs: m.evaluated.dataset.pairs.length,
      queries: m.queries,
      metrics: m.metrics,
      ood: oodSummaries(m.scores),
      detection: Object.fromEntries(
        [...m.scores].map(([name, o]) => [
          name,
          { auroc: o.detection.auroc, fprAtTpr: o.detection.fprAtTpr },
        ]),
      ),
    };
    const seconds = (Date.now() - t0) / 1000;
    if (outDir === undefined) return { ...result, seconds };
    const written = await writeEvaluation(
      { ...run, target: { ...target, outDir } },
      {
        seconds,
        rows: predictionRows(m),
        report: (entry) => reportOf(m, entry, seed),
        metrics: runMetrics(m),
        pairs: result.pairs,
        queries: m.queries,
      },
    );
    return { ...result, seconds, ...written };
  });
}
