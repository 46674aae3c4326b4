/**
 * The error of reading or writing a model bundle: a closed `code`, the path concerned, what is wrong and what
 * to do next. Shaped like `DataError` so the CLI and API can map codes to exit codes and HTTP statuses.
 */

/** Machine-readable kind of a {@link BundleError}. */
export type BundleErrorCode =
  | 'NOT_FOUND'
  | 'NOT_A_BUNDLE'
  | 'MISSING_FILE'
  | 'INVALID_MANIFEST'
  | 'VERSION_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_MISMATCH';

/** What to do next, per code. */
const HINTS: Readonly<Record<BundleErrorCode, string>> = {
  NOT_FOUND:
    'check the path: a bundle is the folder written by the export stage (e.g. runs/<name>/bundle)',
  NOT_A_BUNDLE:
    'a bundle folder holds exactly model.onnx and manifest.json written by gradeshift; check the path',
  MISSING_FILE: 'the bundle is incomplete: export it again',
  INVALID_MANIFEST: 'the manifest is damaged or was edited by hand: export the bundle again',
  VERSION_MISMATCH:
    'use the gradeshift version that wrote the bundle, or export the bundle again with this version',
  CHECKSUM_MISMATCH:
    'model.onnx is corrupted or was replaced after export: export the bundle again (or restore the file)',
  MODEL_LOAD_FAILED:
    'model.onnx is not a model onnxruntime can load: export the bundle again with this gradeshift version',
  MODEL_MISMATCH:
    'model.onnx and manifest.json come from different exports: export the bundle again',
};

/** Options for {@link BundleError}. */
export interface BundleErrorOptions {
  /** The underlying error. @default undefined */
  cause?: unknown;
  /** What to do next. @default a hint chosen by `code` */
  hint?: string;
}

/** A bundle that cannot be read or written; `message` = `${path}: ${reason}; ${hint}`. */
export class BundleError extends Error {
  readonly code: BundleErrorCode;
  /** The folder or file concerned. */
  readonly path: string;
  /** What is wrong, without the path and hint. */
  readonly reason: string;
  /** What to do next. */
  readonly hint: string;

  constructor(
    code: BundleErrorCode,
    where: { path: string; reason: string },
    options: BundleErrorOptions = {},
  ) {
    const hint = options.hint ?? HINTS[code];
    super(
      `${where.path}: ${where.reason}; ${hint}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'BundleError';
    this.code = code;
    this.path = where.path;
    this.reason = where.reason;
    this.hint = hint;
  }
}

/** `true` when `value` is a {@link BundleError} (optionally with the given code). * @see {@link BundleError}
 */
export function isBundleError(value: unknown, code?: BundleErrorCode): value is BundleError {
  return value instanceof BundleError && (code === undefined || value.code === code);
}
