/** Subword tokenization for transformer encoders (Hugging Face `tokenizer.json`, platform-neutral). */
export {
  createSubwordTokenizer,
  type CreateSubwordTokenizerOptions,
  type SubwordEncodeOptions,
  type SubwordEncoding,
  type SubwordSpecialIds,
  type SubwordTokenizer,
} from './subword-tokenizer';
export { tokenizerFromJson } from './tokenizer-from-json';
export { packEncodings, type PackedEncodings } from './pack-encodings';
export { truncationLengths } from './truncation-lengths';
