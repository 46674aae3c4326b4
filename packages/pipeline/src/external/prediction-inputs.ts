/**
 * The two inputs of an external-predictions evaluation, each a JSONL file (`read-predictions.ts`) or predictions
 * already in memory (a backbone's scores over a dataset), optionally with its embeddings from a `.npy` file
 * (`read-npy.ts`), and checked to share one shape: the same number of grades, the same kind of output, the same
 * embedding width.
 */
import { DataError } from '../data/data-error';
import type { GradeMapping } from '../data/grade-mapping';
import type { EvaluatePredictionsOptions } from './evaluate-predictions';
import type { PredictionShape } from './prediction-line';
import { readNpy } from './read-npy';
import { readPredictionFile, type PredictionFile } from './read-predictions';

/** A predictions JSONL path, or predictions in memory. */
export type PredictionsInput = string | PredictionFile;

/** The path an input is named by in errors and in the run record. */
export const pathOfInput = (input: PredictionsInput): string =>
  typeof input === 'string' ? input : input.dataset.source.path;

/** What {@link readInputs} reads: the inputs of `evaluatePredictions`. */
export type PredictionInputs = Pick<
  EvaluatePredictionsOptions,
  | 'predictions'
  | 'reference'
  | 'embeddings'
  | 'referenceEmbeddings'
  | 'mapping'
  | 'maxPairs'
  | 'progress'
  | 'signal'
>;

/** The file with its embeddings taken from a `.npy` matrix, checked against its pairs. */
async function withNpy(file: PredictionFile, npy: string): Promise<PredictionFile> {
  const source = file.dataset.source.path;
  if (file.shape.embeddingWidth !== null)
    throw new DataError(
      'EMBEDDING_WIDTH',
      { file: npy, reason: `${source} already gives an \`embedding\` on its lines` },
      { hint: 'give the embeddings in one place: the `embedding` field or the .npy file' },
    );
  const m = await readNpy(npy);
  const pairs = file.dataset.pairs.length;
  if (m.rows !== pairs)
    throw new DataError(
      'EMBEDDING_WIDTH',
      { file: npy, reason: `the matrix has ${m.rows} rows but ${source} has ${pairs} pairs` },
      {
        hint: `write one embedding row per line of ${source}, in the same order (np.save of an array of shape (${pairs}, width))`,
      },
    );
  return { ...file, shape: { ...file.shape, embeddingWidth: m.cols }, embeddings: m.data };
}

/** Refuses an evaluated input whose shape differs from the reference's. */
function checkSameShape(evaluated: PredictionShape, reference: PredictionShape): void {
  if (evaluated.grades !== reference.grades || evaluated.output !== reference.output)
    throw new DataError(
      'BAD_PREDICTION',
      {
        file: evaluated.file,
        reason: `${evaluated.grades} ${evaluated.output} per pair, but the reference ${reference.file} gives ${reference.grades} ${reference.output}`,
      },
      { hint: 'score the evaluated pairs and the reference pairs with the same model' },
    );
  if (evaluated.embeddingWidth !== reference.embeddingWidth)
    throw new DataError(
      'EMBEDDING_WIDTH',
      {
        file: evaluated.file,
        reason: `embedding width ${evaluated.embeddingWidth ?? 'none'} here, ${reference.embeddingWidth ?? 'none'} in the reference ${reference.file}`,
      },
      {
        hint: 'embed the evaluated pairs and the reference pairs with the same encoder and output layer (the same width), or give embeddings for neither to skip the Mahalanobis and KNN scores',
      },
    );
}

/** One input: read when a path, then its `.npy` embeddings attached. */
async function readInput(
  input: PredictionsInput,
  npy: string | undefined,
  options: { mapping?: GradeMapping; maxPairs?: number; expect?: PredictionShape },
): Promise<PredictionFile> {
  const file = typeof input === 'string' ? await readPredictionFile(input, options) : input;
  return npy === undefined ? file : withNpy(file, npy);
}

/**
 * Reads the reference, then the evaluated input, attaches their `.npy` embeddings, and checks they share a shape.
 * @throws DataError for a bad line, a bad `.npy`, or inputs of different shapes (with what to do)
 */
export async function readInputs(
  options: PredictionInputs,
): Promise<{ reference: PredictionFile; evaluated: PredictionFile }> {
  const { progress, signal } = options;
  const read = {
    ...(options.mapping === undefined ? {} : { mapping: options.mapping }),
    ...(options.maxPairs === undefined ? {} : { maxPairs: options.maxPairs }),
  };
  if (options.embeddings === undefined && options.referenceEmbeddings !== undefined)
    throw new DataError(
      'EMBEDDING_WIDTH',
      {
        file: options.referenceEmbeddings,
        reason: 'the reference has .npy embeddings but the evaluated predictions have none',
      },
      { hint: "give the evaluated pairs' embeddings too (--embeddings), or neither" },
    );
  progress?.({
    stage: 'evaluate',
    message: `reading the reference ${pathOfInput(options.reference)}`,
  });
  const reference = await readInput(options.reference, options.referenceEmbeddings, read);
  signal?.throwIfAborted();
  progress?.({
    stage: 'evaluate',
    message: `reading the predictions ${pathOfInput(options.predictions)}`,
  });
  // Lines of a JSONL file are checked against the reference's own lines (before any .npy is attached).
  const lineShape =
    typeof options.reference === 'string' &&
    options.referenceEmbeddings === undefined &&
    options.embeddings === undefined
      ? reference.shape
      : undefined;
  const evaluated = await readInput(options.predictions, options.embeddings, {
    ...read,
    ...(lineShape === undefined ? {} : { expect: lineShape }),
  });
  signal?.throwIfAborted();
  checkSameShape(evaluated.shape, reference.shape);
  return { reference, evaluated };
}
