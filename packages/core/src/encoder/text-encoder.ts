/**
 * Runs a Hugging Face encoder exported to ONNX (`input_ids`, `attention_mask`, optional
 * `token_type_ids`; `sentence_embedding` or `last_hidden_state` out) over texts or query + item pairs:
 * tokenizes with a {@link SubwordTokenizer}, batches texts of similar length together (`runByLength`),
 * and returns one embedding row per input in input order. Platform-neutral: the session comes from
 * the node or web backend.
 */
import { CoreError } from '../errors';
import type { InferenceSessionLike, TensorLike } from '../model/backend';
import { createTensor } from '../model/tensor';
import { packEncodings } from '../subword/pack-encodings';
import type { SubwordEncoding, SubwordTokenizer } from '../subword/subword-tokenizer';
import { meanPool } from './mean-pool';
import { checkBatchSize, runByLength } from './run-by-length';

/** A text, or a query + item pair encoded as one sequence pair. */
export type TextEncoderInput = string | { readonly text: string; readonly pair: string };

/** Options of {@link createTextEncoder}. */
export interface TextEncoderOptions {
  /** Truncation length, special tokens included. @default the tokenizer's `maxLength` */
  readonly maxLength?: number;
  /** Texts per ONNX run. @default 32 */
  readonly batchSize?: number;
}

/** Embeddings of a list of inputs: `rows × dim`, row-major. */
export interface TextEmbeddings {
  readonly rows: number;
  readonly dim: number;
  readonly data: Float32Array;
}

/** An encoder over one session and its tokenizer. */
export interface TextEncoder {
  /** Which output gives the embedding (`last_hidden_state` is mean-pooled and L2-normalised here). */
  readonly output: 'sentence_embedding' | 'last_hidden_state';
  embed(inputs: readonly TextEncoderInput[]): Promise<TextEmbeddings>;
}

function tensor(data: BigInt64Array, batch: number, sequence: number): TensorLike {
  return createTensor('int64', data, [batch, sequence]);
}

function checkSession(session: InferenceSessionLike): TextEncoder['output'] {
  for (const name of ['input_ids', 'attention_mask'])
    if (!session.inputNames.includes(name))
      throw new CoreError(
        'MODEL_LOAD_FAILED',
        `the encoder model has inputs [${session.inputNames.join(', ')}] but no ${name}; export a BERT-shaped encoder (npm run models:minilm shows how)`,
      );
  if (session.outputNames.includes('sentence_embedding')) return 'sentence_embedding';
  if (session.outputNames.includes('last_hidden_state')) return 'last_hidden_state';
  throw new CoreError(
    'MODEL_LOAD_FAILED',
    `the encoder model has outputs [${session.outputNames.join(', ')}]; it needs sentence_embedding or last_hidden_state (export with scripts/models/export_minilm.py, which adds both)`,
  );
}

/**
 * Creates an encoder.
 * @throws CoreError `MODEL_LOAD_FAILED` when the session lacks the inputs or outputs an encoder needs.
 * @example const encoder = createTextEncoder(session, tokenizer, { maxLength: 128 }); const { data, dim } = await encoder.embed(['drill']);
 */
export function createTextEncoder(
  session: InferenceSessionLike,
  tokenizer: SubwordTokenizer,
  options: TextEncoderOptions = {},
): TextEncoder {
  const output = checkSession(session);
  const typed = session.inputNames.includes('token_type_ids');
  const batchSize = checkBatchSize(options.batchSize);

  async function runBatch(
    encodings: readonly SubwordEncoding[],
  ): Promise<{ dim: number; data: Float32Array }> {
    const packed = packEncodings(encodings, tokenizer.special.pad);
    const feeds: Record<string, TensorLike> = {
      input_ids: tensor(packed.inputIds, packed.batch, packed.sequence),
      attention_mask: tensor(packed.attentionMask, packed.batch, packed.sequence),
    };
    if (typed) feeds['token_type_ids'] = tensor(packed.tokenTypeIds, packed.batch, packed.sequence);
    const result = (await session.run(feeds, [output]))[output];
    if (result === undefined || !(result.data instanceof Float32Array))
      throw new CoreError('MODEL_RUN_FAILED', `the encoder returned no float32 ${output}`);
    if (output === 'sentence_embedding') return { dim: result.dims[1] ?? 0, data: result.data };
    const dims = [packed.batch, packed.sequence, result.dims[2] ?? 0] as const;
    return { dim: dims[2], data: meanPool(result.data, packed.attentionMask, { dims }) };
  }

  return {
    output,
    async embed(inputs) {
      const encodings = inputs.map((input) =>
        typeof input === 'string'
          ? tokenizer.encode(input, { maxLength: options.maxLength })
          : tokenizer.encode(input.text, { pair: input.pair, maxLength: options.maxLength }),
      );
      // Similar lengths share a batch: less padding to run through the encoder.
      const [out] = await runByLength(encodings, batchSize, async (batch) => [
        await runBatch(batch),
      ]);
      return { rows: inputs.length, dim: out?.dim ?? 0, data: out?.data ?? new Float32Array(0) };
    },
  };
}
