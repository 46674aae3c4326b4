/**
 * Export of the relevance scorer, with its in-graph OOD scores, as one float32 ONNX model: the file that
 * onnxruntime-node (API) and onnxruntime-web (dashboard) both run.
 */
import { assertFinite, assertFiniteNumber, assertInteger } from '../math/check';
import { onnxInput, onnxOutput, onnxTensor } from '../model/onnx/builders';
import { encodeOnnxModel } from '../model/onnx/encode-model';
import type { OnnxValueInfoSpec } from '../model/onnx/onnx-types';
import { assertEmbeddingTable, assertScorerParams } from '../scorer/check-params';
import type { ScorerParams } from '../scorer/params';
import { SCORER_CONSTANTS } from '../scorer/types';
import { createGraphBuilder } from './graph-builder';
import { addHead } from './head-graph';
import { addMatchValues, addTokenValues } from './match-graph';
import {
  SCORER_ONNX_INPUTS,
  SCORER_ONNX_OOD_OUTPUTS,
  SCORER_ONNX_OPSET,
  SCORER_ONNX_OUTPUTS,
} from './onnx-names';
import { addEnergy, addMahalanobis, type MahalanobisGraphState } from './ood-graph';
import { addKnn, assertKnnGraphState, type KnnGraphState } from './knn-graph';
import { addContent, CONTENT_ONNX_OUTPUTS } from '../content/content-graph';
import type { GraphBuilder } from './graph-builder';

/** Options for {@link exportScorerOnnx}. */
export interface ExportScorerOnnxOptions {
  /** The trained parameters; their config gives the sizes and their embedding table becomes an initializer. */
  params: ScorerParams;
  /** A fitted Mahalanobis state on the feature output (e.g. `@gradeshift/ood`'s `MahalanobisState`). @default undefined (no `ood_mahalanobis` output) */
  mahalanobis?: MahalanobisGraphState;
  /** The energy score's temperature T > 0. @default undefined (no `ood_energy` output) */
  energy?: { readonly temperature: number };
  /**
   * A fitted KNN state on the feature output (e.g. `@gradeshift/ood`'s `KnnState`): adds `ood_knn` [batch], the
   * distance to the k-th nearest bank row computed in the graph (see knn-graph.ts). @default undefined (no `ood_knn`)
   */
  knn?: KnnGraphState;
  /**
   * The content space: the per-embedding-row surprisal table (`buildSurprisalTable`) adds the `content` [batch, 2D]
   * and `ood_surprisal` [batch] outputs; a Mahalanobis state fitted on ID-train content rows adds
   * `ood_content_mahalanobis`, a KNN state on them `ood_content_knn`; the per-row pair weight table
   * (`buildPairWeightTable`) adds `ood_pair_surprisal` [batch]. @default undefined (no content outputs)
   */
  content?: {
    readonly surprisal: Float32Array;
    readonly pairWeights?: Float32Array;
    readonly mahalanobis?: MahalanobisGraphState;
    readonly knn?: KnnGraphState;
  };
  /** Free-form `metadata_props` of the model (e.g. the gradeshift version). @default {} */
  metadata?: Readonly<Record<string, string>>;
}

function assertMahalanobis(
  state: MahalanobisGraphState,
  featureDim: number,
  what = "the scorer's hidden2",
): void {
  assertInteger(state.dim, 'mahalanobis.dim', { min: 1 });
  assertInteger(state.numClasses, 'mahalanobis.numClasses', { min: 1 });
  if (state.dim !== featureDim)
    throw new RangeError(`mahalanobis.dim must equal ${what} = ${featureDim} (got ${state.dim})`);
  if (typeof state.normalize !== 'boolean')
    throw new TypeError(`mahalanobis.normalize must be a boolean (got ${typeof state.normalize})`);
  const { dim: d, numClasses: k } = state;
  if (state.means.length !== k * d)
    throw new RangeError(
      `mahalanobis.means must have numClasses·dim = ${k}·${d} entries (got ${state.means.length})`,
    );
  if (state.whitening.length !== d * d)
    throw new RangeError(
      `mahalanobis.whitening must have dim² = ${d * d} entries (got ${state.whitening.length})`,
    );
  assertFinite(state.means, 'mahalanobis.means');
  assertFinite(state.whitening, 'mahalanobis.whitening');
}

/** Checks the content options against the parameters: one finite value per embedding row, states of width 2·D. */
function assertContent(
  content: NonNullable<ExportScorerOnnxOptions['content']>,
  params: ScorerParams,
): void {
  const rows = params.embeddings.dims[0];
  for (const [name, table] of [
    ['surprisal', content.surprisal],
    ['pairWeights', content.pairWeights],
  ] as const) {
    if (table === undefined) continue;
    if (table.length !== rows)
      throw new RangeError(
        `content.${name} must have one value per embedding row (${rows}; got ${table.length})`,
      );
    assertFinite(table, `content.${name}`);
  }
  const width = 2 * params.config.embeddingDim;
  if (content.mahalanobis !== undefined)
    assertMahalanobis(content.mahalanobis, width, 'the content width 2·D');
  if (content.knn !== undefined) assertKnnGraphState(content.knn, width, 'the content width 2·D');
}

/** The content space's outputs (see {@link ExportScorerOnnxOptions.content}). */
function addContentOutputs(
  g: GraphBuilder,
  input: Omit<Parameters<typeof addContent>[1], 'surprisal' | 'pairWeights'> & {
    content: NonNullable<ExportScorerOnnxOptions['content']>;
    d: number;
  },
): OnnxValueInfoSpec[] {
  const { content, d } = input;
  const added = addContent(g, {
    ...input,
    surprisal: content.surprisal,
    pairWeights: content.pairWeights,
  });
  const outputs = [
    onnxOutput(CONTENT_ONNX_OUTPUTS.content, 'float32', ['batch', 2 * d]),
    onnxOutput(CONTENT_ONNX_OUTPUTS.surprisal, 'float32', ['batch']),
  ];
  if (added.pairSurprisal !== undefined)
    outputs.push(onnxOutput(CONTENT_ONNX_OUTPUTS.pairSurprisal, 'float32', ['batch']));
  if (content.mahalanobis !== undefined) {
    addMahalanobis(g, {
      features: added.content,
      state: content.mahalanobis,
      prefix: 'content_maha',
      output: CONTENT_ONNX_OUTPUTS.mahalanobis,
    });
    outputs.push(onnxOutput(CONTENT_ONNX_OUTPUTS.mahalanobis, 'float32', ['batch']));
  }
  if (content.knn !== undefined) {
    addKnn(g, {
      rows: added.content,
      // The query half is the same for every item of a request: its bank product is taken once per query.
      halves: { first: added.directions.query, second: added.directions.item, width: d },
      state: content.knn,
      prefix: 'content_knn',
      output: CONTENT_ONNX_OUTPUTS.knn,
    });
    outputs.push(onnxOutput(CONTENT_ONNX_OUTPUTS.knn, 'float32', ['batch']));
  }
  return outputs;
}

/** Checks the export's parameters and OOD states against the scorer's config. */
function assertExportOptions(options: ExportScorerOnnxOptions): void {
  const { params, mahalanobis, energy, content, knn } = options;
  assertScorerParams(params);
  const { config } = params;
  assertEmbeddingTable(params.embeddings, config, 'params.embeddings');
  if (mahalanobis !== undefined) assertMahalanobis(mahalanobis, config.hidden2);
  if (content !== undefined) assertContent(content, params);
  if (knn !== undefined) assertKnnGraphState(knn, config.hidden2, "the scorer's hidden2");
  if (energy !== undefined) {
    assertFiniteNumber(energy.temperature, 'energy.temperature');
    if (!(energy.temperature > 0))
      throw new RangeError(`energy.temperature must be > 0 (got ${energy.temperature})`);
  }
}

/**
 * Adds the relevance space's OOD scores the options carry (Mahalanobis and KNN on the hidden features, energy on
 * the logits), in that order.
 * @returns their graph outputs
 */
function addRelevanceOodOutputs(
  g: GraphBuilder,
  values: { readonly logits: string; readonly features: string },
  options: Pick<ExportScorerOnnxOptions, 'mahalanobis' | 'energy' | 'knn'>,
): OnnxValueInfoSpec[] {
  const { logits, features } = values;
  const { mahalanobis, energy, knn } = options;
  const outputs: OnnxValueInfoSpec[] = [];
  if (mahalanobis !== undefined) {
    addMahalanobis(g, { features, state: mahalanobis });
    outputs.push(onnxOutput(SCORER_ONNX_OOD_OUTPUTS.mahalanobis, 'float32', ['batch']));
  }
  if (energy !== undefined) {
    addEnergy(g, { logits, temperature: energy.temperature });
    outputs.push(onnxOutput(SCORER_ONNX_OOD_OUTPUTS.energy, 'float32', ['batch']));
  }
  if (knn !== undefined) {
    addKnn(g, { rows: features, state: knn, prefix: 'knn', output: SCORER_ONNX_OOD_OUTPUTS.knn });
    outputs.push(onnxOutput(SCORER_ONNX_OOD_OUTPUTS.knn, 'float32', ['batch']));
  }
  return outputs;
}

/**
 * Builds the scorer graph. Inputs: `query_ids` int64 [batch, Lq, S], `query_weights` float32 [batch, Lq, S],
 * `item_ids` / `item_weights` [batch, Lt, S], `lexical` float32 [batch, F]. Outputs: `logits` [batch, K],
 * `probs` (softmax), `expected_grade` [batch] (Σ c·p_c), `features` [batch, H2], and, when their states are
 * given, `ood_mahalanobis` [batch] and `ood_energy` [batch]. Everything runs in float32; ids index the
 * embedding initializer through Gather (an id ≥ V fails the run instead of reading garbage).
 *
 * The graph is the forward pass of `forwardScorer` (token vectors, masked best-match cosines, the three match
 * summaries, the term gate, projection, interaction vector and MLP) with the same constants
 * (`SCORER_CONSTANTS`), so the two agree to float32 rounding.
 * @param options - parameters and optional OOD states
 * @returns the ONNX model bytes (opset 18, IR 9)
 * @throws TypeError / RangeError for parameters that disagree with their config, non-finite values, or an OOD
 * state of the wrong size
 * @example const bytes = exportScorerOnnx({ params, mahalanobis: detector.toJSON(), energy: { temperature: 1 } });
 * @see https://onnx.ai/onnx/operators/ (operator semantics)
 * @see https://arxiv.org/abs/2410.18097 (RRADistill: the term-gated scorer)
 */
export function exportScorerOnnx(options: ExportScorerOnnxOptions): Uint8Array {
  const { params, content, metadata = {} } = options;
  assertExportOptions(options);
  const { config } = params;
  const {
    embeddingDim: d,
    slots: s,
    maxQueryTokens: lq,
    maxItemTokens: lt,
    lexicalDim: f,
    hidden2: h2,
    grades: k,
  } = config;
  const g = createGraphBuilder();
  const [v] = params.embeddings.dims;
  const table = params.embeddings.data;
  g.initializer(
    onnxTensor('embeddings', table instanceof Float32Array ? table : Float32Array.from(table), [
      v,
      d,
    ]),
  );
  g.scalar('zero', 0);
  g.scalar('one', 1);
  g.scalar('norm_epsilon', SCORER_CONSTANTS.normEpsilon);
  const names = SCORER_ONNX_INPUTS;
  const query = addTokenValues(g, {
    prefix: 'query',
    ids: names.queryIds,
    weights: names.queryWeights,
  });
  const item = addTokenValues(g, {
    prefix: 'item',
    ids: names.itemIds,
    weights: names.itemWeights,
  });
  const match = addMatchValues(g, { query, item });
  const { logits, features } = addHead(g, { query, item, match, lexical: names.lexical, params });
  const outputs: OnnxValueInfoSpec[] = [
    onnxOutput(SCORER_ONNX_OUTPUTS.logits, 'float32', ['batch', k]),
    onnxOutput(SCORER_ONNX_OUTPUTS.probs, 'float32', ['batch', k]),
    onnxOutput(SCORER_ONNX_OUTPUTS.expectedGrade, 'float32', ['batch']),
    onnxOutput(SCORER_ONNX_OUTPUTS.features, 'float32', ['batch', h2]),
  ];
  outputs.push(...addRelevanceOodOutputs(g, { logits, features }, options));
  if (content !== undefined)
    outputs.push(
      ...addContentOutputs(g, {
        query,
        item,
        queryIds: names.queryIds,
        itemIds: names.itemIds,
        content,
        d,
      }),
    );
  return encodeOnnxModel({
    graph: {
      name: 'gradeshift_scorer',
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [
        onnxInput(names.queryIds, 'int64', ['batch', lq, s]),
        onnxInput(names.queryWeights, 'float32', ['batch', lq, s]),
        onnxInput(names.itemIds, 'int64', ['batch', lt, s]),
        onnxInput(names.itemWeights, 'float32', ['batch', lt, s]),
        onnxInput(names.lexical, 'float32', ['batch', f]),
      ],
      outputs,
      docString:
        'gradeshift relevance scorer: grade logits, probabilities, expected grade, features and OOD scores',
    },
    opsetImports: [{ domain: '', version: SCORER_ONNX_OPSET }],
    metadata,
  });
}
