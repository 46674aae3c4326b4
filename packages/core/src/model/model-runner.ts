/**
 * Batched inference: split row-aligned inputs into batches, run each through an {@link InferenceSessionLike},
 * and concatenate every output along dim 0. Batching bounds the runtime's working memory (activations of a
 * 100k-row feature matrix would not fit at once) while keeping per-call overhead amortised.
 */
import { CoreError } from '../errors';
import type { InferenceSessionLike, TensorLike } from './backend';
import { checkFeeds } from './check-feeds';
import { allocateTensorData, assertTensor, sliceRows } from './tensor';

/** Options for {@link runBatched}. */
export interface RunBatchedOptions {
  /** Rows per run. @default 1024 */
  batchSize?: number;
  /** Outputs to fetch. @default all of `session.outputNames` */
  outputNames?: readonly string[];
  /** Inputs passed whole to every batch (not sliced), e.g. a query vector shared by all rows. @default {} */
  shared?: Readonly<Record<string, TensorLike>>;
}

/** Default rows per run of {@link runBatched}. */
export const DEFAULT_BATCH_SIZE = 1024;

function rowCount(inputs: Readonly<Record<string, TensorLike>>): number {
  let n: number | undefined;
  let first = '';
  for (const [name, tensor] of Object.entries(inputs)) {
    assertTensor(tensor, `input "${name}"`);
    const rows = tensor.dims[0];
    if (rows === undefined)
      throw new RangeError(
        `input "${name}" must have at least one dimension to be batched (got a scalar)`,
      );
    if (n === undefined) [n, first] = [rows, name];
    else if (rows !== n)
      throw new RangeError(
        `inputs "${first}" and "${name}" must have the same number of rows (got ${n} and ${rows})`,
      );
  }
  if (n === undefined) throw new RangeError('inputs must hold at least one row-aligned tensor');
  return n;
}

async function runOnce(
  session: InferenceSessionLike,
  feeds: Record<string, TensorLike>,
  context: { outputNames: readonly string[]; start: number; end: number },
): Promise<Record<string, TensorLike>> {
  checkFeeds(session, feeds);
  let out: Record<string, TensorLike>;
  try {
    out = await session.run(feeds, context.outputNames);
  } catch (error) {
    if (error instanceof CoreError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CoreError(
      'MODEL_RUN_FAILED',
      `model run failed on rows [${context.start}, ${context.end}): ${message}`,
      { cause: error },
    );
  }
  for (const name of context.outputNames) {
    if (out[name] === undefined)
      throw new CoreError('MODEL_RUN_FAILED', `the runtime returned no output "${name}"`);
  }
  return out;
}

/** Per-output accumulator: the first batch fixes type and trailing dims, later batches must agree. */
function createConcatenator(
  name: string,
  n: number,
): (out: TensorLike | undefined, start: number, rows: number) => TensorLike {
  let result: TensorLike | undefined;
  return (out, start, rows) => {
    if (out === undefined)
      throw new CoreError('MODEL_RUN_FAILED', `the runtime returned no output "${name}"`);
    if (out.dims[0] !== rows) {
      throw new CoreError(
        'SHAPE_MISMATCH',
        `output "${name}" must have the batch's ${rows} rows on dim 0 to be concatenated (got dims [${out.dims.join(', ')}])`,
      );
    }
    const rowSize = rows === 0 ? 0 : out.data.length / rows;
    if (result === undefined) {
      result = {
        type: out.type,
        dims: [n, ...out.dims.slice(1)],
        data: allocateTensorData(out.type, n * rowSize),
      };
    } else if (
      out.type !== result.type ||
      out.dims.slice(1).join() !== result.dims.slice(1).join()
    ) {
      throw new CoreError(
        'SHAPE_MISMATCH',
        `output "${name}" changed from ${result.type} [${result.dims.join(', ')}] to ${out.type} [${out.dims.join(', ')}] between batches`,
      );
    }
    // Types match, so the set below copies between typed arrays of the same kind.
    (result.data as Float32Array).set(out.data as Float32Array, start * rowSize);
    return result;
  };
}

/**
 * Runs `session` over `n` rows in batches and concatenates each output along dim 0.
 * @param session - a loaded model.
 * @param inputs - row-aligned feeds: every tensor has the same `dims[0]` (the row count `n`).
 * @param options - batch size, outputs to fetch, and feeds shared by every batch.
 * @returns one tensor per requested output, with `n` rows.
 * @throws RangeError for a bad batch size or inputs with different row counts; CoreError `INVALID_ARGUMENT` /
 * `SHAPE_MISMATCH` for feeds the model does not accept; CoreError `MODEL_RUN_FAILED` (with `cause`) when the runtime fails.
 * @example
 * const { probs } = await runBatched(session, { features: createTensor('float32', x, [n, d]) }, { batchSize: 512 });
 */
export async function runBatched(
  session: InferenceSessionLike,
  inputs: Readonly<Record<string, TensorLike>>,
  options: RunBatchedOptions = {},
): Promise<Record<string, TensorLike>> {
  const { batchSize = DEFAULT_BATCH_SIZE, shared = {} } = options;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer (got ${batchSize})`);
  const outputNames = options.outputNames ?? session.outputNames;
  for (const name of outputNames) {
    if (!session.outputNames.includes(name))
      throw new CoreError(
        'INVALID_ARGUMENT',
        `unknown model output "${name}"; the model has ${session.outputNames.join(', ')}`,
      );
  }
  for (const name of Object.keys(shared)) {
    if (Object.hasOwn(inputs, name))
      throw new RangeError(
        `input "${name}" is given both as a row-aligned input and as a shared one`,
      );
  }
  const n = rowCount(inputs);
  // One batch (or an empty input): run once and hand the runtime's tensors back without copying.
  if (n <= batchSize)
    return runOnce(session, { ...shared, ...inputs }, { outputNames, start: 0, end: n });

  const concat = new Map(outputNames.map((name) => [name, createConcatenator(name, n)]));
  const results: Record<string, TensorLike> = {};
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const feeds: Record<string, TensorLike> = { ...shared };
    for (const [name, tensor] of Object.entries(inputs))
      feeds[name] = sliceRows(tensor, start, end);
    const out = await runOnce(session, feeds, { outputNames, start, end });
    for (const [name, add] of concat) results[name] = add(out[name], start, end - start);
  }
  return results;
}
