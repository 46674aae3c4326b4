/**
 * Scoring pairs with an encoder bundle: the one path shared by `gradeshift score` (onnxruntime-node) and the
 * dashboard's Playground (onnxruntime-web). Each distinct text is embedded once (queries first, then items, in
 * order of first appearance), the head graph (`head.onnx`) reads the query and item embeddings and the
 * term-match features, and its logits become float64 probabilities, the expected grade, the grade under the
 * bundle's decision rule, and every OOD score of the manifest with its ID percentile and flag.
 */
import { decideGrades, type GradeDecision } from '../decision/grade-decision';
import { termMatchFeatureMatrix } from '../features/term-match';
import type { TermStatistics } from '../features/term-statistics';
import { createTermWeighting } from '../features/term-weighting';
import type { Matrix, MatrixLike } from '../math/matrix';
import { softmax } from '../math/softmax';
import type { InferenceSessionLike, TensorLike } from '../model/backend';
import { createTensor } from '../model/tensor';
import { ENCODER_HEAD_ONNX } from './encoder-head-graph';
import type { EncoderBundleManifest } from './encoder-bundle-manifest';
import type { BundleOodScore } from './manifest';
import { bundleOodResult, type BundleOodResult } from './score-pairs';

/** A query + item pair. */
export interface EncoderBundlePair {
  readonly query: string;
  readonly item: string;
}

/** Embeds distinct texts, one `dim`-wide row each in input order (the encoder, through any cache). */
export type EmbedTexts = (
  texts: readonly string[],
) => Promise<{ readonly dim: number; readonly data: Float32Array }>;

/** The distinct texts of some pairs embedded: the text table and each pair's query and item row in it. */
export interface EmbeddedPairTexts {
  readonly rows: number;
  /** Embedding width of one text. */
  readonly dim: number;
  /** Distinct texts × dim. */
  readonly texts: Float32Array;
  readonly queryRow: Int32Array;
  readonly itemRow: Int32Array;
}

/**
 * Embeds each distinct text of some pairs once: the queries first, then the items, in order of first appearance.
 * @param pairs - the pairs
 * @param embed - the encoder
 */
export async function embedPairTexts(
  pairs: readonly EncoderBundlePair[],
  embed: EmbedTexts,
): Promise<EmbeddedPairTexts> {
  const index = new Map<string, number>();
  const rowOf = (text: string): number => {
    let row = index.get(text);
    if (row === undefined) index.set(text, (row = index.size));
    return row;
  };
  const queryRow = Int32Array.from(pairs, (p) => rowOf(p.query));
  const itemRow = Int32Array.from(pairs, (p) => rowOf(p.item));
  const table = await embed([...index.keys()]);
  return { rows: pairs.length, dim: table.dim, texts: table.data, queryRow, itemRow };
}

/**
 * The content space of embedded pairs: [q, d] per pair, `rows × 2·dim`.
 * @param pairs - the embedded pairs
 */
export function contentRows(pairs: EmbeddedPairTexts): { dim: number; data: Float32Array } {
  const { dim, texts } = pairs;
  const data = new Float32Array(pairs.rows * 2 * dim);
  for (let i = 0; i < pairs.rows; i++) {
    const q = (pairs.queryRow[i] ?? 0) * dim;
    const d = (pairs.itemRow[i] ?? 0) * dim;
    data.set(texts.subarray(q, q + dim), i * 2 * dim);
    data.set(texts.subarray(d, d + dim), i * 2 * dim + dim);
  }
  return { dim: 2 * dim, data };
}

/** Rows `[start, start + n)` of a `cols`-wide matrix as a float32 tensor. */
const rowsTensor = (
  matrix: { data: Float32Array; cols: number },
  rows: { start: number; n: number },
): TensorLike =>
  createTensor(
    'float32',
    matrix.data.slice(rows.start * matrix.cols, (rows.start + rows.n) * matrix.cols),
    [rows.n, matrix.cols],
  );

/** Runs the head graph over the pairs' embeddings, 1,024 pairs per run. */
async function runHeadGraph(
  session: InferenceSessionLike,
  inputs: {
    content: Float32Array;
    lexical: Float32Array | null;
    rows: number;
    manifest: EncoderBundleManifest;
  },
): Promise<{ logits: Float32Array; hidden: Float32Array }> {
  const { dim } = inputs.manifest.backbone;
  const { lexical: f, hidden: h } = inputs.manifest.head;
  const k = inputs.manifest.grades.length;
  const q = new Float32Array(inputs.rows * dim);
  const d = new Float32Array(inputs.rows * dim);
  for (let i = 0; i < inputs.rows; i++) {
    q.set(inputs.content.subarray(i * 2 * dim, i * 2 * dim + dim), i * dim);
    d.set(inputs.content.subarray(i * 2 * dim + dim, (i + 1) * 2 * dim), i * dim);
  }
  const logits = new Float32Array(inputs.rows * k);
  const hidden = new Float32Array(inputs.rows * h);
  for (let start = 0; start < inputs.rows; start += 1024) {
    const n = Math.min(1024, inputs.rows - start);
    const feeds: Record<string, TensorLike> = {
      [ENCODER_HEAD_ONNX.query]: rowsTensor({ data: q, cols: dim }, { start, n }),
      [ENCODER_HEAD_ONNX.item]: rowsTensor({ data: d, cols: dim }, { start, n }),
    };
    if (inputs.lexical !== null)
      feeds[ENCODER_HEAD_ONNX.lexical] = rowsTensor(
        { data: inputs.lexical, cols: f },
        { start, n },
      );
    const out = await session.run(feeds, [ENCODER_HEAD_ONNX.logits, ENCODER_HEAD_ONNX.hidden]);
    logits.set(out[ENCODER_HEAD_ONNX.logits]?.data as Float32Array, start * k);
    hidden.set(out[ENCODER_HEAD_ONNX.hidden]?.data as Float32Array, start * h);
  }
  return { logits, hidden };
}

/** An encoder bundle's raw scores of n pairs: the head's logits and the detectors' feature spaces. */
export interface EncoderBundleScores {
  readonly rows: number;
  readonly grades: number;
  /** `rows × grades` logits, row-major. */
  readonly logits: Float32Array;
  /** `relevance`: the head's hidden layer; `content`: [q, d] per pair. */
  readonly spaces: {
    readonly relevance: { readonly dim: number; readonly data: Float32Array };
    readonly content: { readonly dim: number; readonly data: Float32Array };
  };
}

/**
 * Scores pairs with an encoder bundle's encoder and head graph.
 * @param pairs - the pairs
 * @param parts - the checked manifest, the encoder, the head session and the term statistics (null when the
 *   head reads no term-match features)
 * @returns the logits and both feature spaces, one row per pair in input order
 */
export async function scoreEncoderBundleHead(
  pairs: readonly EncoderBundlePair[],
  parts: {
    readonly manifest: EncoderBundleManifest;
    readonly embed: EmbedTexts;
    readonly head: InferenceSessionLike;
    readonly termStatistics: TermStatistics | null;
  },
): Promise<EncoderBundleScores> {
  const { manifest, termStatistics } = parts;
  const content = contentRows(await embedPairTexts(pairs, parts.embed));
  const lexical =
    termStatistics === null
      ? null
      : termMatchFeatureMatrix(pairs, { weighting: createTermWeighting(termStatistics) }).data;
  const { logits, hidden } = await runHeadGraph(parts.head, {
    content: content.data,
    lexical,
    rows: pairs.length,
    manifest,
  });
  return {
    rows: pairs.length,
    grades: manifest.grades.length,
    logits,
    spaces: { relevance: { dim: manifest.head.hidden, data: hidden }, content },
  };
}

/** Raw scores as the grade and OOD steps read them: float64 logits too (a cross-encoder's, mapped to grades). */
export type EncoderBundleScoresLike = Omit<EncoderBundleScores, 'logits'> & {
  readonly logits: Float32Array | Float64Array;
};

/** A restored detector of an encoder bundle (`@gradeshift/ood`'s `BundleDetector`). */
export interface EncoderBundleDetector {
  score(input: { features?: MatrixLike; logits?: MatrixLike }): Promise<Float64Array>;
}

/** What the grade and OOD steps read: the rule, the OOD entries and their restored detectors. */
export interface EncoderBundleDecisionParts {
  readonly decision: GradeDecision;
  readonly ood: Readonly<Record<string, BundleOodScore>>;
  readonly detectors: Readonly<Record<string, EncoderBundleDetector>>;
}

/** An encoder bundle's answer for n pairs. */
export interface EncoderBundleOutputs {
  /** n × K probabilities (float64 softmax of the logits), row-major. */
  readonly probs: Float64Array;
  /** Σ_c c·p_c per pair. */
  readonly expected: Float64Array;
  /** The grade under the bundle's decision rule. */
  readonly predicted: Int32Array;
  /** Each OOD score with its ID percentile and flag, by name, in the manifest's order. */
  readonly ood: Map<string, BundleOodResult>;
}

/** Each OOD score of the bundle on the scored pairs, by name (none for 0 pairs: a detector may refuse them). */
async function oodOf(
  scores: EncoderBundleScoresLike,
  parts: EncoderBundleDecisionParts,
): Promise<Map<string, BundleOodResult>> {
  const rows = (space: { dim: number; data: Float32Array | Float64Array }): Matrix => ({
    rows: scores.rows,
    cols: space.dim,
    data: Float64Array.from(space.data),
  });
  const inputs: Record<string, { features?: MatrixLike; logits?: MatrixLike }> = {
    logits: { logits: rows({ dim: scores.grades, data: scores.logits }) },
    features: { features: rows(scores.spaces.relevance) },
    content: { features: rows(scores.spaces.content) },
  };
  const out = new Map<string, BundleOodResult>();
  if (scores.rows === 0) return out;
  for (const [name, detector] of Object.entries(parts.detectors)) {
    const entry = parts.ood[name];
    if (entry?.source.kind !== 'detector') continue;
    const raw = await detector.score(inputs[entry.source.reads ?? ''] ?? {});
    out.set(name, bundleOodResult(entry, raw));
  }
  return out;
}

/**
 * Turns an encoder bundle's raw scores into its answer, as the run's evaluation reads them (`outputsOf`):
 * float64 softmax of the logits, the expected grade, the grade by the bundle's rule, every OOD score.
 * @param scores - the raw scores ({@link scoreEncoderBundleHead})
 * @param parts - the rule, the OOD entries and their detectors (`checkEncoderBundleDecisions`)
 */
export async function encoderBundleOutputs(
  scores: EncoderBundleScoresLike,
  parts: EncoderBundleDecisionParts,
): Promise<EncoderBundleOutputs> {
  const { rows: n, grades: k } = scores;
  const probs = softmax({ rows: n, cols: k, data: Float64Array.from(scores.logits) });
  const expected = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) expected[i] = (expected[i] ?? 0) + c * (probs.data[i * k + c] ?? 0);
  const predicted = n === 0 ? new Int32Array(0) : decideGrades(probs, parts.decision, { expected });
  return { probs: probs.data, expected, predicted, ood: await oodOf(scores, parts) };
}
