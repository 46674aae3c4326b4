/**
 * An error with a machine-readable `code` of its own union, the shape of the API's request errors (`PathError`,
 * `RunError`): `errors.ts` maps each class and code to an HTTP status.
 */
export class CodedError<TCode extends string> extends Error {
  readonly code: TCode;

  /**
   * @param name - the class's name (`error.name`)
   * @param code - what went wrong
   * @param message - the client-facing message
   */
  constructor(name: string, code: TCode, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}
