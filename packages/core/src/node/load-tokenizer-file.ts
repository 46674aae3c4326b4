/**
 * Reading a Hugging Face `tokenizer.json` from disk for the node entry; the neutral
 * `tokenizerFromJson` builds the tokenizer from the file's text.
 */
import { readFile } from 'node:fs/promises';

import { CoreError } from '../errors';
import {
  tokenizerFromJson,
  type CreateSubwordTokenizerOptions,
  type SubwordTokenizer,
} from '../subword/index';

/**
 * Loads a tokenizer from a `tokenizer.json` file.
 * @param path - the file's path.
 * @param options - as for `createSubwordTokenizer` (`source` defaults to the path).
 * @throws CoreError `MODEL_LOAD_FAILED` naming the path when the file cannot be read or is not JSON;
 * `INVALID_ARGUMENT` when it is not a usable tokenizer.
 * @example const tokenizer = await loadTokenizerFile('models/minilm/tokenizer.json');
 */
export async function loadTokenizerFile(
  path: string,
  options: CreateSubwordTokenizerOptions = {},
): Promise<SubwordTokenizer> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoreError('MODEL_LOAD_FAILED', `could not read tokenizer "${path}": ${reason}`, {
      cause: error,
    });
  }
  return tokenizerFromJson(text, { source: path, ...options });
}
