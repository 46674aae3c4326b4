/**
 * The text-preparation settings of a bundle as plain JSON: every `prepareText` option written out with its
 * value, so a bundle keeps tokenising as it did at training time even if a default changes later.
 */
import { DEFAULT_MAX_INPUT_LENGTH } from '../features/normalize';
import { DEFAULT_PREPARE_MAX_TOKENS, type PrepareTextOptions } from '../features/prepare-text';
import { DEFAULT_STOP_WORDS } from '../features/stop-words';
import { readArray, readFields, invalidField } from './manifest-fields';

/** Resolved {@link PrepareTextOptions} (tokenizer and normaliser options included) as JSON. */
export interface PrepareTextSettings {
  /** Stop words removed before matching, sorted. */
  readonly stopWords: readonly string[];
  /** Most tokens kept per text. */
  readonly maxTokens: number;
  /** Units after numbers rewritten to their canonical word. */
  readonly canonicalUnits: boolean;
  /** Combining marks stripped (`é` → `e`). */
  readonly foldDiacritics: boolean;
  /** Input cut to this many UTF-16 code units before any work. */
  readonly maxInputLength: number;
}

/**
 * The settings `prepareText` uses for `options`, every default filled in.
 * @param options - the options passed to `prepareText` / `createPairFeaturizer` at training time @default {}
 * @example prepareSettingsFromOptions().maxTokens // 64
 * @see `prepareText` (features/prepare-text.ts), whose options these are
 */
export function prepareSettingsFromOptions(options: PrepareTextOptions = {}): PrepareTextSettings {
  return {
    stopWords: [...(options.stopWords ?? DEFAULT_STOP_WORDS)].sort(),
    maxTokens: options.maxTokens ?? DEFAULT_PREPARE_MAX_TOKENS,
    canonicalUnits: options.canonicalUnits ?? true,
    foldDiacritics: options.foldDiacritics ?? true,
    maxInputLength: options.maxInputLength ?? DEFAULT_MAX_INPUT_LENGTH,
  };
}

/**
 * The `prepareText` options of stored settings.
 * @example prepareOptionsFromSettings(manifest.text.prepare).stopWords?.has('the') // true
 * @see `prepareText` (features/prepare-text.ts), whose options these are
 */
export function prepareOptionsFromSettings(settings: PrepareTextSettings): PrepareTextOptions {
  return {
    stopWords: new Set(settings.stopWords),
    maxTokens: settings.maxTokens,
    canonicalUnits: settings.canonicalUnits,
    foldDiacritics: settings.foldDiacritics,
    maxInputLength: settings.maxInputLength,
  };
}

/**
 * Checks parsed JSON as {@link PrepareTextSettings}.
 * @throws CoreError `INVALID_ARGUMENT` naming the field under `path`
 * @internal
 */
export function parsePrepareSettings(value: unknown, path: string): PrepareTextSettings {
  const f = readFields(value, path);
  const stopWords = readArray(f.raw('stopWords'), `${path}.stopWords`, (word, at) => {
    if (typeof word !== 'string' || word === '') throw invalidField(at, 'a non-empty string', word);
    return word;
  });
  return {
    stopWords,
    maxTokens: f.integer('maxTokens', 1),
    canonicalUnits: f.boolean('canonicalUnits'),
    foldDiacritics: f.boolean('foldDiacritics'),
    maxInputLength: f.integer('maxInputLength', 1),
  };
}
