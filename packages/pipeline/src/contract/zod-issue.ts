/**
 * A zod failure told as one line that names the first bad field: `splits.id_test.macro_f1.value: expected
 * number, received string`.
 */
import type { z } from 'zod';

/** The first issue of a failed parse as `<field path>: <message>` (`(root)` for the value itself). */
export function describeZodError(error: z.ZodError): string {
  const [first] = error.issues;
  if (first === undefined) return 'invalid';
  const field = first.path.length === 0 ? '(root)' : first.path.map(String).join('.');
  // Messages written for the contract read on from the field ("data.sha256 must be 64 hex digits").
  const sep = first.message.startsWith('must ') ? ' ' : ': ';
  return `${field}${sep}${first.message}`;
}
