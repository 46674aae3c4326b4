/**
 * The error of decoding a scorer parameters file: a {@link CoreError} whose `problem` names what is wrong with the
 * bytes, so a caller can say "truncated" or "written for another config" instead of a generic failure.
 */
import { CoreError, type CoreErrorCode } from '../errors';

/** What is wrong with a parameters file. */
export type ParamsFileProblem =
  /** Fewer bytes than the preamble, the header or the data need (an interrupted copy or write). */
  | 'TRUNCATED'
  /** More bytes after the data than the header declares. */
  | 'TRAILING_BYTES'
  /** The magic bytes are not `GSPARAMS`: some other file. */
  | 'NOT_PARAMS_FILE'
  /** Another version of the format. */
  | 'VERSION_MISMATCH'
  /** The JSON header is unreadable or a field is missing or malformed. */
  | 'INVALID_HEADER'
  /** The data's sha256 differs from the header's: the values were damaged or edited. */
  | 'CHECKSUM_MISMATCH'
  /** The scorer sizes in the file differ from the ones expected. */
  | 'CONFIG_MISMATCH'
  /** The file was trained against an embedding table of another size (another vocabulary). */
  | 'EMBEDDINGS_MISMATCH'
  /** Tensor names or dims disagree with the config. */
  | 'SHAPE_MISMATCH'
  /** A value is NaN or infinite. */
  | 'NON_FINITE';

const CORE_CODES: Readonly<Record<ParamsFileProblem, CoreErrorCode>> = {
  TRUNCATED: 'INVALID_ARGUMENT',
  TRAILING_BYTES: 'INVALID_ARGUMENT',
  NOT_PARAMS_FILE: 'INVALID_ARGUMENT',
  VERSION_MISMATCH: 'VERSION_MISMATCH',
  INVALID_HEADER: 'INVALID_ARGUMENT',
  CHECKSUM_MISMATCH: 'INVALID_ARGUMENT',
  CONFIG_MISMATCH: 'SHAPE_MISMATCH',
  EMBEDDINGS_MISMATCH: 'SHAPE_MISMATCH',
  SHAPE_MISMATCH: 'SHAPE_MISMATCH',
  NON_FINITE: 'INVALID_ARGUMENT',
};

/** Words for each problem, the start of every message. */
const TITLES: Readonly<Record<ParamsFileProblem, string>> = {
  TRUNCATED: 'truncated',
  TRAILING_BYTES: 'unexpected bytes after the data',
  NOT_PARAMS_FILE: 'not a gradeshift scorer parameters file',
  VERSION_MISMATCH: 'wrong format version',
  INVALID_HEADER: 'invalid header',
  CHECKSUM_MISMATCH: 'checksum mismatch',
  CONFIG_MISMATCH: 'config mismatch',
  EMBEDDINGS_MISMATCH: 'embedding table mismatch',
  SHAPE_MISMATCH: 'tensor shape mismatch',
  NON_FINITE: 'non-finite value',
};

/** A parameters file that cannot be decoded; `message` = `${problem in words}: ${detail}`. */
export class ParamsFileError extends CoreError {
  readonly problem: ParamsFileProblem;
  /** What is wrong, without the problem's title. */
  readonly detail: string;

  constructor(problem: ParamsFileProblem, detail: string) {
    super(CORE_CODES[problem], `${TITLES[problem]}: ${detail}`);
    this.name = 'ParamsFileError';
    this.problem = problem;
    this.detail = detail;
  }
}

/** `true` when `value` is a {@link ParamsFileError} (optionally with the given problem). */
export function isParamsFileError(
  value: unknown,
  problem?: ParamsFileProblem,
): value is ParamsFileError {
  return value instanceof ParamsFileError && (problem === undefined || value.problem === problem);
}
