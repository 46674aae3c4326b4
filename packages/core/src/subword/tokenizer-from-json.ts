/**
 * Building a tokenizer from the contents of a Hugging Face `tokenizer.json` (its text or the parsed
 * object), with no file system: the browser fetches the file and passes its text, `loadTokenizerFile`
 * in the node entry reads it from disk and passes its text.
 */
import { CoreError } from '../errors';
import {
  createSubwordTokenizer,
  type CreateSubwordTokenizerOptions,
  type SubwordTokenizer,
} from './subword-tokenizer';

/**
 * Builds a tokenizer from `tokenizer.json` contents.
 * @param contents - the file's text, or the already-parsed JSON.
 * @param options - as for `createSubwordTokenizer` (`source` names the file in error messages).
 * @throws CoreError `MODEL_LOAD_FAILED` naming the source when the text is not JSON;
 * `INVALID_ARGUMENT` when the JSON is not a usable tokenizer.
 * @example const tokenizer = tokenizerFromJson(await (await fetch('/models/minilm/tokenizer.json')).text());
 */
export function tokenizerFromJson(
  contents: string | object,
  options: CreateSubwordTokenizerOptions = {},
): SubwordTokenizer {
  let json: unknown = contents;
  if (typeof contents === 'string') {
    try {
      json = JSON.parse(contents);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CoreError(
        'MODEL_LOAD_FAILED',
        `${options.source ?? 'tokenizer.json'}: not JSON (${reason}); pass the tokenizer.json exported with the model`,
        { cause: error },
      );
    }
  }
  return createSubwordTokenizer(json, options);
}
