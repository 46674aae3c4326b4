/**
 * Does a tokenizer fit its ONNX model? Every id the tokenizer can emit must index a row of the model's
 * token-embedding table, read from the model bytes (`findEmbeddingTable`).
 */
import { CoreError } from '../errors';
import { findEmbeddingTables } from '../model/onnx/find-embedding-table';
import type { SubwordTokenizer } from '../subword/subword-tokenizer';

/**
 * Checks the tokenizer's vocabulary against the model's embedding table.
 * @param tokenizer - the tokenizer.
 * @param model - the ONNX bytes.
 * @param source - the tokenizer's and the model's names, for the message.
 * @returns the token table's rows (null when the graph has no recognisable table: nothing checked) and the
 *   position table's rows (null when not found)
 * @throws CoreError `MODEL_LOAD_FAILED` when the tokenizer has more ids than the table has rows
 * @example checkVocabulary(tokenizer, bytes, { tokenizer: 'tokenizer.json', model: 'model.onnx' });
 */
export function checkVocabulary(
  tokenizer: SubwordTokenizer,
  model: Uint8Array,
  source: { readonly tokenizer: string; readonly model: string },
): { rows: number | null; positions: number | null } {
  const { token: table, position } = findEmbeddingTables(model);
  const rows = table?.dims[0] ?? null;
  if (rows !== null && tokenizer.vocabSize > rows)
    throw new CoreError(
      'MODEL_LOAD_FAILED',
      `${source.tokenizer} has ${tokenizer.vocabSize} ids but ${source.model}'s token-embedding table (${table?.name}) has ${rows} rows: the tokenizer does not belong to this model; use the tokenizer.json exported with the model`,
    );
  return { rows, positions: position?.dims[0] ?? null };
}
