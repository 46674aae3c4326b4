/**
 * The annotation queue as files for annotators:
 * - CSV: `id, rank, query, item, reason`, `<detector>_percentile` and `<detector>_score` per detector, and an
 *   empty `label` column (RFC 4180 quoting; a leading `= + - @` is defused for spreadsheets);
 * - JSONL: one task object per line with `"label": null`;
 * - Label Studio: the tasks to import (`[{"data": {...}}]`, the Basic Label Studio JSON format) and the labelling
 *   config (a `<Choices>` over the grade scale, the item as the text to label, query, reason and OOD
 *   percentiles shown beside it). Format: https://labelstud.io/guide/tasks#Basic-Label-Studio-JSON-format and
 *   https://labelstud.io/guide/task_format.
 */
import type { AnnotationTask } from './annotation-task';

/** The `from_name` of the grade choice in the labelling config; the import reads this control's choices. */
export const LABEL_STUDIO_CONTROL = 'grade';

function detectorNames(tasks: readonly AnnotationTask[]): string[] {
  return [...new Set(tasks.flatMap((t) => Object.keys(t.ood)))].sort();
}

function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The queue as CSV with an empty `label` column. */
export function annotationCsv(tasks: readonly AnnotationTask[]): string {
  const detectors = detectorNames(tasks);
  const header = [
    'id',
    'rank',
    'query',
    'item',
    'reason',
    ...detectors.flatMap((d) => [`${d}_percentile`, `${d}_score`]),
    'label',
  ];
  const rows = tasks.map((t) =>
    [
      t.id,
      String(t.rank),
      t.query,
      t.item,
      t.reason,
      ...detectors.flatMap((d) => {
        const o = t.ood[d];
        return o === undefined ? ['', ''] : [String(o.percentile), String(o.score)];
      }),
      '',
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...rows].join('\r\n')}\r\n`;
}

/** The queue as JSONL, one task per line with `"label": null`. */
export function annotationJsonl(tasks: readonly AnnotationTask[]): string {
  return tasks.map((t) => `${JSON.stringify({ ...t, label: null })}\n`).join('');
}

/** The Label Studio tasks: the pair, reason and OOD figures as task data, `gradeshift_id` to match back. */
export function labelStudioTasks(tasks: readonly AnnotationTask[]): string {
  const detectors = detectorNames(tasks);
  const data = tasks.map((t) => {
    const ood: Record<string, number | null> = {};
    for (const d of detectors) {
      ood[`${d}_percentile`] = t.ood[d]?.percentile ?? null;
      ood[`${d}_score`] = t.ood[d]?.score ?? null;
    }
    const summary = detectors
      .map((d) => `${d} ${t.ood[d] === undefined ? '–' : t.ood[d].percentile.toFixed(3)}`)
      .join(', ');
    return {
      data: {
        gradeshift_id: t.id,
        rank: t.rank,
        query: t.query,
        item: t.item,
        reason: t.reason,
        ood: summary === '' ? 'no OOD scores' : `ID percentiles: ${summary}`,
        ...ood,
      },
    };
  });
  return `${JSON.stringify(data, null, 2)}\n`;
}

const xml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The labelling config: one required single choice among the grades, lowest first. */
export function labelStudioConfig(grades: readonly string[]): string {
  const choices = grades.map((g) => `    <Choice value="${xml(g)}"/>`).join('\n');
  return `<View>
  <Header value="Query: $query"/>
  <Text name="item" value="$item"/>
  <Choices name="${LABEL_STUDIO_CONTROL}" toName="item" choice="single" showInline="true" required="true">
${choices}
  </Choices>
  <Header value="Why it was picked" size="6"/>
  <Text name="reason" value="$reason"/>
  <Text name="ood" value="$ood"/>
</View>
`;
}
