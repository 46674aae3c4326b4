/**
 * Feed validation before a run. Runtimes report a wrong feed late and tersely (an index into a kernel's
 * shape check); these messages name the input, the declared shape and what was passed.
 */
import { CoreError } from '../errors';
import type { InferenceSessionLike, TensorLike, TensorMetadata } from './backend';
import { assertTensor } from './tensor';

function formatDims(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

/** `true` when `dims` fits the declared shape (symbolic dims match any size; an empty declaration matches anything). */
export function matchesDeclaredShape(dims: readonly number[], declared: TensorMetadata): boolean {
  if (declared.dims.length === 0) return true;
  if (dims.length !== declared.dims.length) return false;
  return declared.dims.every((d, i) => typeof d === 'string' || d < 0 || d === dims[i]);
}

/**
 * Checks that `feeds` holds exactly the session's inputs, each a well-formed tensor whose type and shape
 * agree with the model's declaration when the runtime reports one.
 * @throws CoreError `INVALID_ARGUMENT` for a missing or unknown input name or a wrong element type,
 * `SHAPE_MISMATCH` for a shape the model does not accept; TypeError/RangeError for a malformed tensor.
 */
export function checkFeeds(
  session: InferenceSessionLike,
  feeds: Readonly<Record<string, TensorLike>>,
): void {
  const expected = new Set(session.inputNames);
  for (const name of Object.keys(feeds)) {
    if (!expected.has(name)) {
      throw new CoreError(
        'INVALID_ARGUMENT',
        `unknown model input "${name}"; the model takes ${session.inputNames.map((n) => `"${n}"`).join(', ')}`,
      );
    }
  }
  for (const name of session.inputNames) {
    const tensor = feeds[name];
    if (tensor === undefined)
      throw new CoreError('INVALID_ARGUMENT', `missing feed for model input "${name}"`);
    assertTensor(tensor, `input "${name}"`);
    const declared = session.inputMetadata?.find((m) => m.name === name);
    if (declared === undefined) continue;
    if (declared.type !== tensor.type) {
      throw new CoreError(
        'INVALID_ARGUMENT',
        `input "${name}" must be ${declared.type} (got ${tensor.type})`,
      );
    }
    if (!matchesDeclaredShape(tensor.dims, declared)) {
      throw new CoreError(
        'SHAPE_MISMATCH',
        `input "${name}" must have shape ${formatDims(declared.dims)} (got ${formatDims(tensor.dims)})`,
      );
    }
  }
}
