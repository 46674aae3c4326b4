/**
 * Runs the exported scorer over n pairs in batches (featurising each batch just before its run, so memory
 * stays bounded), gathers the outputs into n-row arrays and scores the outside OOD detectors.
 * @internal
 */
import { CoreError } from '../errors';
import { CONTENT_ONNX_OUTPUTS } from '../content/content-graph';
import type { InferenceSessionLike, TensorLike } from '../model/backend';
import type { BundleManifest, BundleOodScore } from './manifest';
import type { ExternalOodDetector } from './score-pairs';

/**
 * One OOD score to compute: read from a graph output, or scored by an outside detector (fused scores are
 * combined from these by the caller, on percentiles). @internal
 */
export type PlannedOodScore =
  | { readonly name: string; readonly score: BundleOodScore; readonly output: string }
  | {
      readonly name: string;
      readonly score: BundleOodScore;
      readonly detector: ExternalOodDetector;
      /** The graph output the detector reads. */
      readonly reads: 'features' | 'logits' | 'content';
    };

/** What {@link runScorerBatches} runs. @internal */
export interface ScorerRunPlan {
  readonly session: InferenceSessionLike;
  readonly manifest: BundleManifest;
  /** n, the number of pairs. */
  readonly count: number;
  readonly batchSize: number;
  /** Return the feature rows. */
  readonly keepFeatures: boolean;
  readonly ood: readonly PlannedOodScore[];
  /** The feeds of pairs [start, end). */
  feeds(start: number, end: number): Record<string, TensorLike>;
}

/** Outputs of {@link runScorerBatches}, n rows each. @internal */
export interface ScorerRunResult {
  readonly probs: Float32Array;
  readonly expected: Float32Array;
  readonly features?: Float32Array;
  readonly oodScores: Readonly<Record<string, Float64Array>>;
}

/** Copies one float32 output of `rows` rows into `into` at row `start`. */
function copyRows(
  out: Record<string, TensorLike>,
  name: string,
  at: { into: Float32Array | Float64Array; start: number; rows: number; width: number },
): void {
  const tensor = out[name];
  const { into, start, rows, width } = at;
  if (
    tensor === undefined ||
    !(tensor.data instanceof Float32Array) ||
    tensor.data.length !== rows * width
  ) {
    const got = tensor === undefined ? 'nothing' : `${tensor.type} [${tensor.dims.join(', ')}]`;
    throw new CoreError(
      'SHAPE_MISMATCH',
      `model output "${name}" must be float32 with ${rows}·${width} values for ${rows} pairs (got ${got})`,
    );
  }
  into.set(tensor.data, start * width);
}

/**
 * Runs the plan.
 * @throws CoreError `SHAPE_MISMATCH` for an output of the wrong type or size; errors of the session and detectors
 * @internal
 */
export async function runScorerBatches(plan: ScorerRunPlan): Promise<ScorerRunResult> {
  const { session, manifest, count: n, batchSize, ood } = plan;
  const { grades: k, hidden2: h2 } = manifest.scorer;
  const names = manifest.model.outputs;
  const external = ood.filter(
    (o): o is Extract<PlannedOodScore, { detector: ExternalOodDetector }> => 'detector' in o,
  );
  const needFeatures = plan.keepFeatures || external.some((o) => o.reads === 'features');
  const needLogits = external.some((o) => o.reads === 'logits');
  const needContent = external.some((o) => o.reads === 'content');
  const c = 2 * manifest.scorer.embeddingDim;
  const graphScores = ood.filter(
    (o): o is Extract<PlannedOodScore, { output: string }> => 'output' in o,
  );
  const fetch = [names.probs, names.expectedGrade, ...graphScores.map((o) => o.output)];
  if (needFeatures) fetch.push(names.features);
  if (needLogits) fetch.push(names.logits);
  if (needContent) fetch.push(CONTENT_ONNX_OUTPUTS.content);

  const probs = new Float32Array(n * k);
  const expected = new Float32Array(n);
  const features = needFeatures ? new Float32Array(n * h2) : undefined;
  const logits = needLogits ? new Float32Array(n * k) : undefined;
  const content = needContent ? new Float32Array(n * c) : undefined;
  const oodScores: Record<string, Float64Array> = {};
  for (const o of ood) oodScores[o.name] = new Float64Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const rows = end - start;
    const out = await session.run(plan.feeds(start, end), fetch);
    copyRows(out, names.probs, { into: probs, start, rows, width: k });
    copyRows(out, names.expectedGrade, { into: expected, start, rows, width: 1 });
    if (features !== undefined)
      copyRows(out, names.features, { into: features, start, rows, width: h2 });
    if (logits !== undefined) copyRows(out, names.logits, { into: logits, start, rows, width: k });
    if (content !== undefined)
      copyRows(out, CONTENT_ONNX_OUTPUTS.content, { into: content, start, rows, width: c });
    for (const o of graphScores)
      copyRows(out, o.output, {
        into: oodScores[o.name] ?? new Float64Array(n),
        start,
        rows,
        width: 1,
      });
  }
  // An empty request runs nothing (a detector may refuse 0 rows).
  for (const o of n === 0 ? [] : external) {
    // A content-space detector reads the content rows where others read the relevance features.
    const scores = await o.detector.score({
      features:
        o.reads === 'content'
          ? { rows: n, cols: c, data: content ?? new Float32Array(n * c) }
          : { rows: n, cols: h2, data: features ?? new Float32Array(n * h2) },
      logits: { rows: n, cols: k, data: logits ?? new Float32Array(n * k) },
    });
    if (scores.length !== n)
      throw new CoreError(
        'SHAPE_MISMATCH',
        `detector "${o.name}" returned ${scores.length} scores for ${n} pairs`,
      );
    oodScores[o.name] = Float64Array.from(scores);
  }
  return {
    probs,
    expected,
    ...(plan.keepFeatures && features !== undefined ? { features } : {}),
    oodScores,
  };
}
