/**
 * Runs a cross-encoder exported to ONNX: a BERT-shaped model that reads a (query, item) pair as one sequence
 * pair (`[CLS] query [SEP] item [SEP]`, type ids 0 then 1) and returns relevance `logits` `[batch, K]` (K grades,
 * or 1 for a single score), and, when the export has one, a hidden state for the OOD detectors:
 * `pooled_output` `[batch, hidden]` as is, else the first token's row of `last_hidden_state` (the `[CLS]`
 * state a sequence-classification head reads). Platform-neutral: the session comes from the node or web backend.
 */
import { CoreError } from '../errors';
import type { InferenceSessionLike, TensorLike } from '../model/backend';
import { createTensor } from '../model/tensor';
import { packEncodings } from '../subword/pack-encodings';
import type { SubwordEncoding, SubwordTokenizer } from '../subword/subword-tokenizer';
import { checkBatchSize, runByLength, type BatchOutput } from './run-by-length';

/** Which hidden-state output a cross-encoder gives (null: logits only). */
export type CrossEncoderHidden = 'pooled_output' | 'last_hidden_state' | null;

/** Options of {@link createCrossEncoder}. */
export interface CrossEncoderOptions {
  /** Truncation length of the pair, special tokens included. @default the tokenizer's `maxLength` */
  readonly maxLength?: number;
  /** Pairs per ONNX run. @default 32 */
  readonly batchSize?: number;
}

/** Outputs of a list of pairs, in input order. */
export interface CrossEncoderScores {
  readonly rows: number;
  /** Logits per pair (the model's K; 1 for a single-score model). */
  readonly grades: number;
  /** `rows × grades`, row-major. */
  readonly logits: Float32Array;
  /** `rows × dim` hidden states, or null when the model exports none. */
  readonly hidden: { readonly dim: number; readonly data: Float32Array } | null;
}

/** A cross-encoder over one session and its tokenizer. */
export interface CrossEncoder {
  /** Where the hidden state comes from (`last_hidden_state` gives its first token's row). */
  readonly hidden: CrossEncoderHidden;
  score(
    pairs: readonly { readonly query: string; readonly item: string }[],
  ): Promise<CrossEncoderScores>;
}

function checkSession(session: InferenceSessionLike): CrossEncoderHidden {
  for (const name of ['input_ids', 'attention_mask'])
    if (!session.inputNames.includes(name))
      throw new CoreError(
        'MODEL_LOAD_FAILED',
        `the cross-encoder model has inputs [${session.inputNames.join(', ')}] but no ${name}; export a BERT-shaped model whose inputs are input_ids, attention_mask (and token_type_ids)`,
      );
  if (!session.outputNames.includes('logits'))
    throw new CoreError(
      'MODEL_LOAD_FAILED',
      `the cross-encoder model has outputs [${session.outputNames.join(', ')}] but no logits; export the model with its classification head (e.g. AutoModelForSequenceClassification, output_names=["logits", ...])`,
    );
  if (session.outputNames.includes('pooled_output')) return 'pooled_output';
  if (session.outputNames.includes('last_hidden_state')) return 'last_hidden_state';
  return null;
}

/** Refuses a tokenizer whose pair encoding has no special tokens: query and item would run together. */
function checkPairTokens(tokenizer: SubwordTokenizer): void {
  if (tokenizer.encode('', { pair: '' }).ids.length === 0)
    throw new CoreError(
      'INVALID_ARGUMENT',
      'the tokenizer adds no special tokens to a pair ([CLS] query [SEP] item [SEP]); use the tokenizer.json exported with the cross-encoder (its post_processor holds the pair template)',
    );
}

/** The first token's row of `[batch, sequence, hidden]` states. */
function firstTokenRows(result: TensorLike, batch: number): BatchOutput {
  const [, sequence = 0, dim = 0] = result.dims;
  const data = new Float32Array(batch * dim);
  const states = result.data as Float32Array;
  for (let b = 0; b < batch; b++)
    data.set(states.subarray(b * sequence * dim, b * sequence * dim + dim), b * dim);
  return { dim, data };
}

/**
 * Creates a cross-encoder runner.
 * @throws CoreError `MODEL_LOAD_FAILED` when the session lacks `input_ids`, `attention_mask` or `logits`;
 *   `INVALID_ARGUMENT` for a tokenizer without a pair template or a batch size below 1.
 * @example const ce = createCrossEncoder(session, tokenizer); const { logits } = await ce.score([{ query: 'drill', item: 'DeWalt drill' }]);
 */
export function createCrossEncoder(
  session: InferenceSessionLike,
  tokenizer: SubwordTokenizer,
  options: CrossEncoderOptions = {},
): CrossEncoder {
  const hidden = checkSession(session);
  checkPairTokens(tokenizer);
  const typed = session.inputNames.includes('token_type_ids');
  const batchSize = checkBatchSize(options.batchSize);
  const fetch = hidden === null ? ['logits'] : ['logits', hidden];

  async function runBatch(encodings: readonly SubwordEncoding[]): Promise<BatchOutput[]> {
    const p = packEncodings(encodings, tokenizer.special.pad);
    const tensor = (data: BigInt64Array) => createTensor('int64', data, [p.batch, p.sequence]);
    const feeds: Record<string, TensorLike> = {
      input_ids: tensor(p.inputIds),
      attention_mask: tensor(p.attentionMask),
      ...(typed ? { token_type_ids: tensor(p.tokenTypeIds) } : {}),
    };
    const result = await session.run(feeds, fetch);
    const logits = result['logits'];
    if (logits === undefined || !(logits.data instanceof Float32Array) || logits.dims.length !== 2)
      throw new CoreError(
        'MODEL_RUN_FAILED',
        `the cross-encoder returned no float32 logits [batch, K] (got ${logits === undefined ? 'nothing' : `${logits.type} [${logits.dims.join(', ')}]`})`,
      );
    const out: BatchOutput[] = [{ dim: logits.dims[1] ?? 0, data: logits.data }];
    const state = hidden === null ? undefined : result[hidden];
    if (state !== undefined && state.data instanceof Float32Array)
      out.push(
        hidden === 'pooled_output'
          ? { dim: state.dims[1] ?? 0, data: state.data }
          : firstTokenRows(state, p.batch),
      );
    return out;
  }

  return {
    hidden,
    async score(pairs) {
      const encodings = pairs.map((p) =>
        tokenizer.encode(p.query, { pair: p.item, maxLength: options.maxLength }),
      );
      const [logits, state] = await runByLength(encodings, batchSize, runBatch);
      return {
        rows: pairs.length,
        grades: logits?.dim ?? 0,
        logits: logits?.data ?? new Float32Array(0),
        hidden: state ?? null,
      };
    },
  };
}
