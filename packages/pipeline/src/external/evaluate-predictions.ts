/**
 * `evaluate --predictions`: a relevance model that runs elsewhere, judged from its outputs. The evaluated file
 * and an in-distribution reference file (format: `read-predictions.ts`) give per pair the true grade, the model's
 * probabilities or logits and optionally an embedding. The decision rule is fitted on the reference; the OOD
 * detectors are fitted on the reference's fitting half and calibrated on its calibration half (split by query);
 * the evaluated file is then measured as one split, `external`, exactly as `evaluateBundle` measures a bundle:
 * the same report.json (with an `external` section), predictions.jsonl and a run-store record of kind `evaluate`.
 */
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

import { decideGrades, type GradeDecision } from '@gradeshift/core';
import { createMatrix, logSoftmax, softmax, type Matrix } from '@gradeshift/core/math';
import { createOrtGemm } from '@gradeshift/core/node';

import { writeRunReport, type ReportInput } from '../contract/read-report';
import { REPORT_FORMATS, REPORT_VERSION, type EvaluationReport } from '../contract/report-schema';
import { DataError } from '../data/data-error';
import type { GradeMapping } from '../data/grade-mapping';
import { writeLinesAtomic } from '../io/atomic-write';
import { checkpoint, type BundleOodSummary } from '../pipeline/evaluate-bundle';
import {
  DEFAULT_DECISION_RULE,
  fitDecision,
  type DecisionFit,
  type DecisionRuleName,
} from '../pipeline/decision-rule';
import {
  evaluationRunMetrics,
  failEvaluationRun,
  recordEvaluationRun,
  summarizeOodScores,
} from '../pipeline/evaluation-report';
import type { SplitOutputs } from '../stages/infer';
import { ratingOf } from '../stages/prepare';
import type { ProgressSink } from '../stages/progress';
import { computeSplitMetrics, type SplitMetrics } from '../stages/split-metrics';
import { openRunStore, type MetricRecord } from '../store/run-store';
import { PIPELINE_VERSION } from '../version';
import { scoreExternal, type ExternalOutputs, type ExternalScore } from './external-detectors';
import { readPredictionFile, type PredictionFile } from './read-predictions';
import { splitReferenceByQuery, type ReferenceHalves } from './split-reference';

/** Options for {@link evaluatePredictions}. */
export interface EvaluatePredictionsOptions {
  /** The predictions file to evaluate (JSONL). */
  predictions: string;
  /** The in-distribution reference file, same format (e.g. the team's validation set). */
  reference: string;
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

/** How the reference split is described in the report. */
export const REFERENCE_SPLIT_METHOD =
  'by query: distinct normalised queries sorted by the 32-bit FNV-1a hash of "<seed>:<query>"; the first half (rounded up) fits the detectors, the rest calibrates their thresholds (95% ID kept) and percentiles';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Probabilities, logits, expected and arg-max grades of a file's outputs. */
function outputsOf(file: PredictionFile): SplitOutputs & ExternalOutputs {
  const n = file.dataset.pairs.length;
  const k = file.shape.grades;
  const given: Matrix = { rows: n, cols: k, data: file.values };
  // Probabilities stand in as logits through their logarithm (softmax of log p is p), floored away from log 0.
  const logits =
    file.shape.output === 'logits'
      ? given
      : {
          rows: n,
          cols: k,
          data: Float64Array.from(file.values, (p) => Math.log(Math.max(p, 1e-12))),
        };
  const probs = file.shape.output === 'logits' ? softmax(logits) : softmax(logSoftmax(logits));
  const expected = new Float64Array(n);
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      const p = probs.data[i * k + c] ?? 0;
      expected[i] = (expected[i] ?? 0) + c * p;
      if (p > (probs.data[i * k + best] ?? 0)) best = c;
    }
    predicted[i] = best;
  }
  const w = file.shape.embeddingWidth;
  const embeddings =
    w === null || file.embeddings === null ? null : { rows: n, cols: w, data: file.embeddings };
  return {
    logits,
    probs,
    expected,
    predicted,
    // The decision rule and the metrics read no features; the detectors read `embeddings`.
    features: createMatrix(n, 0),
    embeddings,
    labels: Int32Array.from(file.dataset.pairs, (p) => p.grade),
  };
}

function* predictionRows(
  m: Pick<Measured, 'evaluated' | 'outputs' | 'decided' | 'scores'>,
): Generator<string> {
  const { evaluated: file, outputs, decided, scores } = m;
  const k = file.shape.grades;
  for (let i = 0; i < file.dataset.pairs.length; i++) {
    const pair = file.dataset.pairs[i];
    if (pair === undefined) continue;
    const ood: Record<string, number> = {};
    const flags: Record<string, boolean> = {};
    for (const [name, o] of scores) {
      ood[name] = round(o.score[i] ?? 0);
      flags[name] = o.flag[i] === 1;
    }
    yield `${JSON.stringify({
      id: pair.id,
      split: 'external',
      line: pair.line,
      query: pair.query,
      item: pair.item,
      grade: pair.grade,
      probs: Array.from(outputs.probs.data.subarray(i * k, (i + 1) * k), round),
      expected: round(outputs.expected[i] ?? 0),
      predicted: decided[i] ?? 0,
      argmax: outputs.predicted[i] ?? 0,
      ood,
      ood_flag: flags,
    })}\n`;
  }
}

/** Everything measured, before anything is written. */
interface Measured {
  readonly reference: PredictionFile;
  readonly evaluated: PredictionFile;
  readonly outputs: SplitOutputs;
  readonly halves: ReferenceHalves;
  readonly decision: { rule: GradeDecision; fit: DecisionFit | null };
  readonly decided: Int32Array;
  readonly metrics: SplitMetrics;
  readonly queries: number;
  readonly scores: Map<string, ExternalScore>;
  readonly knnK: number | null;
}

/**
 * Runs a step that needs enough of the reference file; its RangeError (too few queries, a grade missing from the
 * fitting half) becomes a DataError naming the reference file.
 */
function referenceStep<T>(file: string, step: () => T): T {
  const wrap = (error: unknown): never => {
    if (!(error instanceof RangeError)) throw error;
    throw new DataError(
      'BAD_PREDICTION',
      { file, reason: error.message },
      {
        hint: 'give a larger reference file: in-distribution pairs of many queries, every grade present in each half',
        cause: error,
      },
    );
  };
  try {
    const out = step();
    return (out instanceof Promise ? out.catch(wrap) : out) as T;
  } catch (error) {
    return wrap(error);
  }
}

/** Reads the reference file, then the evaluated file, which must share its shape. */
async function readBoth(
  options: EvaluatePredictionsOptions,
): Promise<{ reference: PredictionFile; evaluated: PredictionFile }> {
  const { progress, signal } = options;
  const mapping = {
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
    ...(options.maxPairs === undefined ? {} : { maxPairs: options.maxPairs }),
  };
  progress?.({ stage: 'evaluate', message: `reading the reference ${options.reference}` });
  const reference = await readPredictionFile(options.reference, mapping);
  signal?.throwIfAborted();
  progress?.({ stage: 'evaluate', message: `reading the predictions ${options.predictions}` });
  const evaluated = await readPredictionFile(options.predictions, {
    ...mapping,
    expect: reference.shape,
  });
  signal?.throwIfAborted();
  return { reference, evaluated };
}

/** Fits the rule and the detectors on the reference, and measures the evaluated file. */
async function measure(
  files: { reference: PredictionFile; evaluated: PredictionFile },
  options: EvaluatePredictionsOptions,
): Promise<Measured> {
  const { resamples = 1000, seed = 0, progress, signal } = options;
  const { reference, evaluated } = files;
  const k = reference.shape.grades;
  const refOutputs = outputsOf(reference);
  const outputs = outputsOf(evaluated);
  const halves = referenceStep(options.reference, () =>
    splitReferenceByQuery(reference.dataset.pairs, seed),
  );
  const fitted = fitDecision(
    { labels: refOutputs.labels, outputs: refOutputs, grades: k },
    options.decision ?? DEFAULT_DECISION_RULE,
  );
  const decision = { rule: fitted.decision, fit: fitted.fit };
  progress?.({ stage: 'evaluate', message: 'fitting and calibrating the OOD detectors' });
  const gemm = reference.shape.embeddingWidth === null ? undefined : createOrtGemm();
  const { scores, knnK } = await referenceStep(options.reference, () =>
    scoreExternal(
      { reference: refOutputs, halves, evaluated: outputs },
      {
        logitsGiven: reference.shape.output === 'logits',
        gemm,
      },
    ),
  ).finally(() => gemm?.dispose());
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

/** Each score's flag rate, threshold and mean ID percentile on the evaluated file. */
const oodSummaries = (scores: ReadonlyMap<string, ExternalScore>) =>
  summarizeOodScores(scores, [...scores.values()][0]?.score.length ?? 0);

/** report.json of an external-predictions evaluation. */
function reportOf(
  m: Measured,
  run: EvaluationReport['run'],
  seed: number,
): ReportInput<EvaluationReport> {
  const ood = oodSummaries(m.scores);
  const ref = m.reference.dataset.source;
  return {
    format: REPORT_FORMATS.evaluation,
    version: REPORT_VERSION,
    kind: 'evaluation',
    run,
    // No bundle: the fitted parts of this evaluation (decision rule, detectors) come from the reference file.
    model: {
      sha256: ref.sha256,
      created_at: new Date().toISOString(),
      gradeshift_version: PIPELINE_VERSION,
      training_data_sha256: ref.sha256,
    },
    data: {
      source: m.evaluated.dataset.source,
      rows: m.evaluated.dataset.pairs.length,
      queries: m.queries,
      issues: 0,
      same_data_as_training: m.evaluated.dataset.source.sha256 === ref.sha256,
    },
    splits: { external: m.metrics },
    ood_thresholds: Object.fromEntries(Object.entries(ood).map(([name, o]) => [name, o.threshold])),
    // Every score reads the external model's own outputs or embedding, as the bundle's relevance space does.
    ood_spaces: Object.fromEntries(Object.keys(ood).map((name) => [name, 'relevance'])),
    ood_flag_rate: ood,
    external: {
      output: m.reference.shape.output,
      embedding_width: m.reference.shape.embeddingWidth,
      reference: ref,
      reference_split: {
        method: REFERENCE_SPLIT_METHOD,
        seed,
        fit: { pairs: m.halves.fit.length, queries: m.halves.fitQueries },
        calibration: { pairs: m.halves.calibration.length, queries: m.halves.calibrationQueries },
      },
      decision: {
        rule: m.decision.rule,
        fit: m.decision.fit === null ? null : { ...m.decision.fit, split: 'reference' },
      },
      knn_k: m.knnK,
      ood_detection: Object.fromEntries([...m.scores].map(([name, o]) => [name, o.detection])),
    },
  };
}

/** Run-store metrics: the bundle evaluation's, plus each score's AUROC and FPR@95 against the reference. */
function runMetrics(m: Measured): MetricRecord[] {
  const records = evaluationRunMetrics({
    metrics: m.metrics,
    ood: oodSummaries(m.scores),
    queries: m.queries,
  });
  for (const [name, o] of m.scores)
    records.push(
      { stage: 'final', split: 'external', name: `${name}.auroc`, value: o.detection.auroc },
      { stage: 'final', split: 'external', name: `${name}.fpr95`, value: o.detection.fprAtTpr },
    );
  return records;
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
  const files = await readBoth(options);
  let store: ReturnType<typeof openRunStore> | undefined;
  let runId: string | undefined;
  try {
    if (outDir !== undefined && options.storePath !== undefined) {
      mkdirSync(outDir, { recursive: true });
      store = openRunStore(options.storePath);
      runId = store.createRun({
        name: options.name ?? basename(outDir),
        kind: 'evaluate',
        outDir,
        config: {
          predictions: resolve(options.predictions),
          reference: resolve(options.reference),
          resamples: options.resamples ?? 1000,
          seed,
          ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
        },
        dataFingerprint: files.evaluated.dataset.source.sha256,
      }).id;
      store.startStage(runId, 'evaluate');
    }
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
    if (outDir === undefined) return { ...result, seconds: (Date.now() - t0) / 1000 };
    mkdirSync(outDir, { recursive: true });
    const predictionsPath = join(outDir, 'predictions.jsonl');
    writeLinesAtomic(predictionsPath, predictionRows(m));
    const reportPath = join(outDir, 'report.json');
    const seconds = (Date.now() - t0) / 1000;
    const run = { id: runId ?? null, name: options.name ?? basename(outDir), seconds };
    writeRunReport<EvaluationReport>(reportPath, reportOf(m, run, seed));
    if (store !== undefined && runId !== undefined)
      recordEvaluationRun(store, runId, {
        metrics: runMetrics(m),
        reportPath,
        predictionsPath,
        pairs: result.pairs,
        queries: m.queries,
      });
    return {
      ...result,
      seconds,
      reportPath,
      predictionsPath,
      ...(runId === undefined ? {} : { runId }),
    };
  } catch (error) {
    failEvaluationRun({ store, runId }, error, signal);
    throw error;
  } finally {
    store?.close();
  }
}
