/**
 * Labels from Label Studio's JSON export (https://labelstud.io/guide/export#JSON, task format:
 * https://labelstud.io/guide/task_format): an array of tasks, each with its `data` (ours carry `gradeshift_id`)
 * and `annotations`, each annotation a `result` list whose `choices` items hold `value.choices`. Cancelled
 * annotations (`was_cancelled`) are skipped; annotators who disagree on a task are a conflict. The JSON_MIN
 * export (flat objects with the data fields and the control's name, `grade`) is read too.
 */
import { LABEL_STUDIO_CONTROL } from './annotation-export';
import type { RawLabel } from './import-labels';

/** The 1-based line where each element of the top-level JSON array starts. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expectElement = false;
  for (const ch of text) {
    if (ch === '\n') line += 1;
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expectElement && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth += 1;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth -= 1;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;

/** The grade choices of one annotation's `result`. */
function choicesOf(result: unknown): string[] {
  if (!Array.isArray(result)) return [];
  return result.flatMap((r) => {
    const item = asRecord(r);
    if (item?.['type'] !== 'choices') return [];
    const from = item['from_name'];
    if (from !== undefined && from !== LABEL_STUDIO_CONTROL) return [];
    const choices = asRecord(item['value'])?.['choices'];
    return Array.isArray(choices) ? choices.map(String) : [];
  });
}

/** The label of one exported task, or why it has none. */
function taskLabel(task: Record<string, unknown>): {
  id: unknown;
  label?: string;
  problem?: string;
} {
  const data = asRecord(task['data']);
  if (data === undefined) {
    // JSON_MIN: the data fields and each control's value at the top level.
    const grade = task[LABEL_STUDIO_CONTROL];
    return { id: task['gradeshift_id'], ...(typeof grade === 'string' ? { label: grade } : {}) };
  }
  const id = data['gradeshift_id'];
  const annotations = Array.isArray(task['annotations']) ? task['annotations'] : [];
  const labels = new Set<string>();
  for (const a of annotations) {
    const annotation = asRecord(a);
    if (annotation === undefined || annotation['was_cancelled'] === true) continue;
    const choices = choicesOf(annotation['result']);
    if (choices.length > 1)
      return {
        id,
        problem: `one annotation chose ${choices.length} grades (${choices.join(', ')})`,
      };
    for (const c of choices) labels.add(c);
  }
  if (labels.size > 1) return { id, problem: `annotators disagree: ${[...labels].join(' vs ')}` };
  const [label] = labels;
  return { id, ...(label === undefined ? {} : { label }) };
}

/**
 * The raw labels of a Label Studio JSON (or JSON_MIN) export.
 * @param text - the file's content
 * @returns one raw label per task, with the line where the task starts; or a problem for the whole file
 */
export function labelStudioLabels(text: string): RawLabel[] | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!Array.isArray(parsed)) return { problem: 'a Label Studio export is a JSON array of tasks' };
  const lines = elementLines(text);
  return parsed.map((element, i): RawLabel => {
    const line = lines[i] ?? 0;
    const task = asRecord(element);
    if (task === undefined) return { line, problem: 'a task is a JSON object' };
    const { id, label, problem } = taskLabel(task);
    if (typeof id !== 'string' && typeof id !== 'number')
      return {
        line,
        problem: 'the task has no data.gradeshift_id (was it exported by gradeshift?)',
      };
    return {
      line,
      id: String(id),
      ...(label === undefined ? {} : { label }),
      ...(problem === undefined ? {} : { problem }),
    };
  });
}
