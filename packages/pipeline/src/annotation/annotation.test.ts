/**
 * The annotation round trip on invented pairs: the queue exported as CSV, JSONL and a Label Studio import, and
 * labels read back from each format, with every problem of a bad file named by line. The Label Studio export
 * fixtures follow the documented JSON format (https://labelstud.io/guide/task_format: tasks with `data` and
 * `annotations[].result[]` of type `choices`, `value.choices`; JSON_MIN: https://labelstud.io/guide/export#JSON-MIN).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { parseCsv } from '../data/csv';
import type { SelectionLine } from '../run-folder/selection-file';
import {
  annotationCsv,
  annotationJsonl,
  labelStudioConfig,
  labelStudioTasks,
} from './annotation-export';
import { annotationTasks, gradeMapperOf, gradeNamesOf } from './annotation-task';
import { parseLabels, readLabelsFile } from './import-labels';
import { isLabelsFileError, type LabelProblem } from './labels-error';

const GRADES = ['irrelevant', 'weak', 'strong'];

const lines: SelectionLine[] = [
  {
    rank: 2,
    pool_index: 7,
    role: 'train',
    id: 'p-7',
    query: 'cordless drill',
    item: 'Acme 20V Drill, "Max"',
    grade: 2,
    reason: {
      summary: 'percentile 0.991 ≥ 0.95; cluster 2 (14 candidates)',
      detectors: [
        { kind: 'mahalanobis', score: 41.5, percentile: 0.991 },
        { kind: 'knn', score: 0.8, percentile: 0.97 },
      ],
    },
  },
  {
    rank: 1,
    pool_index: 3,
    role: 'validation',
    id: 'p-3',
    query: 'garden hose',
    item: '=SUM(A1)',
    grade: 0,
    reason: { summary: 'random' },
  },
  {
    rank: 3,
    pool_index: 9,
    role: 'train',
    id: 'p-9',
    query: 'tile saw',
    item: 'Acme Wet Tile Saw',
    grade: 1,
    reason: null,
  },
];
const tasks = annotationTasks(lines);
const ids = tasks.map((t) => t.id);

/** A Label Studio JSON export task for `id` with one annotation per chosen grade. */
function exportedTask(taskId: number, id: string, choices: (string | null)[]) {
  return {
    id: taskId,
    data: { gradeshift_id: id, query: 'q', item: 'i' },
    annotations: choices.map((choice, i) => ({
      id: taskId * 10 + i,
      result:
        choice === null
          ? []
          : [
              {
                id: `r${i}`,
                from_name: 'grade',
                to_name: 'item',
                type: 'choices',
                value: { choices: [choice] },
              },
            ],
      was_cancelled: false,
      ground_truth: false,
      completed_by: 1,
    })),
    predictions: [],
  };
}

function problemsOf(fn: () => unknown): LabelProblem[] {
  try {
    fn();
  } catch (error) {
    if (isLabelsFileError(error)) return [...error.problems];
    throw error;
  }
  throw new Error('expected a LabelsFileError');
}

describe('exporting the queue', () => {
  it('orders tasks by rank and reads the reason and OOD scores of any strategy', () => {
    expect(tasks.map((t) => t.id)).toEqual(['p-3', 'p-7', 'p-9']);
    expect(tasks[1]?.ood).toEqual({
      mahalanobis: { score: 41.5, percentile: 0.991 },
      knn: { score: 0.8, percentile: 0.97 },
    });
    expect(tasks[0]).toMatchObject({ reason: 'random', ood: {} });
    expect(tasks[2]).toMatchObject({ reason: '', ood: {} });
    expect(() => annotationTasks([...lines, { ...lines[0]!, rank: 4 }])).toThrow(/share the id/);
  });

  it('writes CSV with OOD columns and an empty label column, quoted and defused', () => {
    const records = parseCsv(annotationCsv(tasks)).map((e) =>
      e.kind === 'record' ? e.fields : [],
    );
    expect(records[0]).toEqual([
      'id',
      'rank',
      'query',
      'item',
      'reason',
      'knn_percentile',
      'knn_score',
      'mahalanobis_percentile',
      'mahalanobis_score',
      'label',
    ]);
    expect(records[1]).toEqual([
      'p-3',
      '1',
      'garden hose',
      "'=SUM(A1)",
      'random',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(records[2]?.slice(3, 9)).toEqual([
      'Acme 20V Drill, "Max"',
      'percentile 0.991 ≥ 0.95; cluster 2 (14 candidates)',
      '0.97',
      '0.8',
      '0.991',
      '41.5',
    ]);
    expect(records).toHaveLength(4);
  });

  it('writes JSONL tasks with a null label', () => {
    const rows = annotationJsonl(tasks)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r['id'], r['label']])).toEqual([
      ['p-3', null],
      ['p-7', null],
      ['p-9', null],
    ]);
  });

  it('writes Label Studio tasks ([{data}]) and a Choices config over the grade scale', () => {
    const imported = JSON.parse(labelStudioTasks(tasks)) as { data: Record<string, unknown> }[];
    expect(imported).toHaveLength(3);
    expect(imported[1]?.data).toMatchObject({
      gradeshift_id: 'p-7',
      query: 'cordless drill',
      reason: expect.stringContaining('percentile 0.991'),
      mahalanobis_percentile: 0.991,
      knn_score: 0.8,
      ood: 'ID percentiles: knn 0.970, mahalanobis 0.991',
    });
    const config = labelStudioConfig(['bad & worse', ...GRADES]);
    expect(config).toContain('<Choices name="grade" toName="item" choice="single"');
    expect(config).toContain('<Choice value="bad &amp; worse"/>');
    expect(config.match(/<Choice value=/g)).toHaveLength(4);
    expect(config).toContain('<Text name="item" value="$item"/>');
  });

  it('names the grades of a preset and of a custom mapping', () => {
    expect(gradeNamesOf({ preset: 'homedepot' })).toEqual(GRADES);
    expect(
      gradeNamesOf({
        path: 'x.csv',
        columns: { query: 'q', item: 'i', label: 'l' },
        grades: { kind: 'values', grades: [['0'], ['1']], names: ['no', 'yes'] },
      } as never),
    ).toEqual(['no', 'yes']);
  });
});

describe('importing labels', () => {
  const check = { grades: GRADES, ids };

  it('reads the filled CSV by name or index, any case, with duplicates that agree', () => {
    const csv =
      'id,rank,query,item,label\r\np-3,1,a,b,Irrelevant\r\np-7,2,a,b,2\r\np-9,3,a,b,weak\r\np-9,3,a,b,WEAK\r\n';
    const got = parseLabels(csv, { ...check, file: 'queue.csv' });
    expect(got.format).toBe('csv');
    expect([...got.labels]).toEqual([
      ['p-3', 0],
      ['p-7', 2],
      ['p-9', 1],
    ]);
  });

  it('reports every problem of a CSV as file:line: reason and imports nothing', () => {
    const csv = [
      'id,query,"item\nwith break",label',
      'p-3,a,"two\nlines",strong',
      'p-7,a,b,',
      'p-8,a,b,weak',
      'p-3,a,b,weak',
      'p-9,a,b,excellent',
    ].join('\n');
    const problems = problemsOf(() => parseLabels(csv, { ...check, file: 'q.csv' }));
    expect(problems).toEqual([
      { line: 5, reason: 'id p-7: no label' },
      { line: 6, reason: 'unknown id "p-8": not a task of this queue' },
      { line: 7, reason: 'id p-3 is labelled weak here and strong at line 3' },
      {
        line: 8,
        reason:
          'id p-9: label "excellent" is not on the scale (irrelevant (0), weak (1), strong (2))',
      },
    ]);
    const message = (() => {
      try {
        parseLabels(csv, { ...check, file: 'q.csv' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(
      /^4 problems in the labels file; nothing was imported:\nq\.csv:5: id p-7: no label\n/,
    );
  });

  it('names a task left without a row, a CSV without a label column, and out-of-range indices', () => {
    expect(
      problemsOf(() => parseLabels('id,label\np-3,0\np-7,3\n', { ...check, file: 'q.csv' })),
    ).toEqual([
      {
        line: 3,
        reason: 'id p-7: label "3" is not on the scale (irrelevant (0), weak (1), strong (2))',
      },
      { line: 0, reason: 'no row for task id p-9' },
    ]);
    expect(
      problemsOf(() => parseLabels('id,grade\n', { ...check, file: 'q.csv' }))[0]?.reason,
    ).toMatch(/needs an id and a label column/);
  });

  it('takes an optional rating column on rating data: it must agree with the label, or stands for it', () => {
    const ratings = gradeMapperOf({ preset: 'homedepot' });
    const csv = 'id,label,rating\np-3,irrelevant,1.33\np-7,,2.67\np-9,weak,\n';
    const got = parseLabels(csv, { ...check, ratings, file: 'r.csv' });
    expect([...got.labels]).toEqual([
      ['p-3', 0],
      ['p-7', 2],
      ['p-9', 1],
    ]);
    expect([...got.ratings]).toEqual([
      ['p-3', 1.33],
      ['p-7', 2.67],
    ]);
    const bad = 'id,label,rating\np-3,strong,1.33\np-7,weak,9\np-9,,\n';
    expect(
      problemsOf(() => parseLabels(bad, { ...check, ratings, file: 'r.csv' })).map((p) => p.line),
    ).toEqual([2, 3, 4]);
    expect(
      problemsOf(() => parseLabels(bad, { ...check, ratings, file: 'r.csv' }))[0]?.reason,
    ).toBe('id p-3: rating 1.33 is grade irrelevant, but the label says strong');
  });

  it('reads JSONL with labels as names or numbers, and names malformed lines', () => {
    const jsonl = '{"id":"p-3","label":"weak"}\n{"id":"p-7","label":2}\n\n{"id":"p-9","label":0}\n';
    expect([...parseLabels(jsonl, { ...check, file: 'l.jsonl' }).labels.values()]).toEqual([
      1, 2, 0,
    ]);
    const bad = '{"id":"p-3","label":"weak"}\n{"id":"p-7"\n[1]\n{"label":"weak"}\n';
    expect(problemsOf(() => parseLabels(bad, { ...check, file: 'l.jsonl' }))).toEqual([
      { line: 2, reason: 'not a JSON line' },
      { line: 3, reason: 'not a JSON object' },
      { line: 4, reason: 'no id' },
      { line: 0, reason: 'no row for task id p-7' },
      { line: 0, reason: 'no row for task id p-9' },
    ]);
  });

  describe('Label Studio exports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradeshift-labels-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the JSON export: choices of non-cancelled annotations, agreeing annotators', () => {
      const cancelled = exportedTask(2, 'p-7', ['strong', 'weak']);
      (cancelled.annotations[1] as { was_cancelled: boolean }).was_cancelled = true;
      const path = join(dir, 'project-1-at-2026.json');
      writeFileSync(
        path,
        JSON.stringify(
          [
            exportedTask(1, 'p-3', ['irrelevant', 'irrelevant']),
            cancelled,
            exportedTask(3, 'p-9', ['weak']),
          ],
          null,
          2,
        ),
      );
      const got = readLabelsFile(path, check);
      expect(got.format).toBe('labelstudio');
      expect([...got.labels]).toEqual([
        ['p-3', 0],
        ['p-7', 2],
        ['p-9', 1],
      ]);
    });

    it('names the task line of disagreements, unlabelled tasks and foreign tasks', () => {
      const text = JSON.stringify(
        [
          exportedTask(1, 'p-3', ['weak', 'strong']),
          exportedTask(2, 'p-7', [null]),
          { id: 3, data: { text: 'x' }, annotations: [] },
          exportedTask(4, 'p-9', ['great']),
        ],
        null,
        2,
      );
      const starts = text.split('\n').flatMap((l, i) => (l === '  {' ? [i + 1] : []));
      expect(problemsOf(() => parseLabels(text, { ...check, file: 'ls.json' }))).toEqual([
        { line: starts[0], reason: 'id p-3: annotators disagree: weak vs strong' },
        { line: starts[1], reason: 'id p-7: no label' },
        {
          line: starts[2],
          reason: 'the task has no data.gradeshift_id (was it exported by gradeshift?)',
        },
        {
          line: starts[3],
          reason:
            'id p-9: label "great" is not on the scale (irrelevant (0), weak (1), strong (2))',
        },
      ]);
      // Compact JSON (one line) still names the line.
      expect(
        problemsOf(() =>
          parseLabels(JSON.stringify([exportedTask(1, 'p-3', [])]), { ...check, file: 'ls.json' }),
        )[0],
      ).toEqual({ line: 1, reason: 'id p-3: no label' });
    });

    it('reads the JSON_MIN export, and refuses what is not a task array', () => {
      const min = JSON.stringify([
        { gradeshift_id: 'p-3', query: 'q', grade: 'weak', id: 1, annotator: 1 },
        { gradeshift_id: 'p-7', grade: 'strong', id: 2 },
        { gradeshift_id: 'p-9', grade: 'irrelevant', id: 3 },
      ]);
      expect([...parseLabels(min, { ...check, file: 'min.json' }).labels.values()]).toEqual([
        1, 2, 0,
      ]);
      expect(problemsOf(() => parseLabels('{"a":1}', { ...check, file: 'x.json' }))).toEqual([
        { line: 0, reason: 'a Label Studio export is a JSON array of tasks' },
      ]);
      expect(problemsOf(() => readLabelsFile(join(dir, 'missing.json'), check))[0]?.reason).toMatch(
        /^cannot read: ENOENT/,
      );
    });
  });
});
