/**
 * A labels file that cannot be imported: every problem found, each as `file:line: reason` (line 0 for what
 * concerns the whole file, such as a pick left without a label). Nothing of such a file is imported.
 */

/** One problem of a labels file. */
export interface LabelProblem {
  /** 1-based line of the row or task; 0 for the file as a whole. */
  readonly line: number;
  readonly reason: string;
}

/** The problems shown in the message (all are in `problems`). */
const SHOWN = 20;

/** Thrown by the labels import. */
export class LabelsFileError extends Error {
  readonly file: string;
  readonly problems: readonly LabelProblem[];
  constructor(file: string, problems: readonly LabelProblem[]) {
    const lines = problems
      .slice(0, SHOWN)
      .map((p) => (p.line > 0 ? `${file}:${p.line}: ${p.reason}` : `${file}: ${p.reason}`));
    const more = problems.length > SHOWN ? `\n… and ${problems.length - SHOWN} more` : '';
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the labels file; nothing was imported:\n${lines.join('\n')}${more}`,
    );
    this.name = 'LabelsFileError';
    this.file = file;
    this.problems = problems;
  }
}

/** Whether `error` is a {@link LabelsFileError}. */
export function isLabelsFileError(error: unknown): error is LabelsFileError {
  return error instanceof LabelsFileError;
}
