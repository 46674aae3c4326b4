/**
 * The reserved ids and spellings of a {@link Vocabulary}. The tokenizer never emits `<` or `>`, so the
 * spellings cannot clash with a corpus token.
 */

/** Id of the padding token. */
export const PAD_ID = 0;
/** Id of the unknown token. */
export const UNK_ID = 1;
/** Spelling of the padding token. */
export const PAD_TOKEN = '<pad>';
/** Spelling of the unknown token. */
export const UNK_TOKEN = '<unk>';
