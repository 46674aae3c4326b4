import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { DataError } from '../data/data-error';
import { matchTeacher, readTeacherFile, teacherKey } from './teacher-file';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-teacher-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let count = 0;
function fileOf(lines: readonly (string | object)[]): string {
  const path = join(dir, `t${count++}.jsonl`);
  writeFileSync(
    path,
    lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n',
  );
  return path;
}

async function refusal(path: string): Promise<DataError> {
  const error = await readTeacherFile(path, 3).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('readTeacherFile and matchTeacher', () => {
  it('matches pairs by their prepared texts, without a grade, and renormalises the probabilities', async () => {
    const path = fileOf([
      // gradeshift score's rows: extra fields (expected, rank, ood) are not read; probs rounded to 1e-6.
      {
        id: '7',
        query: 'Cordless  drill ',
        item: 'DeWalt\u00a020V drill',
        probs: [0.1, 0.3, 0.6000004],
        rank: 1,
      },
      { query: 'cafe\u0301 table', item: 'bistro table', probs: [0.7, 0.2, 0.1], grade: 'strong' },
      { query: 'hammer', item: 'claw hammer', probs: [0.2, 0.2, 0.6] },
    ]);
    const file = await readTeacherFile(path, 3);
    expect(file.lines).toBe(3);
    expect(file.rows.size).toBe(3);
    expect(file.output).toBe('probs');
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The run's pairs as the loader prepared them: NFC, whitespace collapsed and trimmed.
    const pairs = [
      { query: 'hammer', item: 'claw hammer' },
      { query: 'Cordless drill', item: 'DeWalt 20V drill' },
      { query: 'café table', item: 'bistro table' },
      { query: 'hammer', item: 'claw hammer' },
    ];
    const { values } = matchTeacher(file, pairs, 'training pairs');
    expect(Array.from(values.subarray(0, 3))).toEqual([0.2, 0.2, 0.6]);
    const sum = 1.0000004;
    expect(Array.from(values.subarray(3, 6))).toBeDeepCloseTo(
      [0.1 / sum, 0.3 / sum, 0.6000004 / sum],
      {
        abs: 1e-15,
      },
    );
    expect(values.subarray(3, 6).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(Array.from(values.subarray(6, 9))).toBeDeepCloseTo([0.7, 0.2, 0.1], { abs: 1e-15 });
    expect(Array.from(values.subarray(9, 12))).toEqual([0.2, 0.2, 0.6]);
  });

  it('keys texts the way the loader prepares them (one key for NFD and NFC, runs of spaces)', () => {
    expect(teacherKey('cafe\u0301  table', ' x ')).toBe(teacherKey('café table', 'x'));
    expect(teacherKey('a', 'b c')).not.toBe(teacherKey('a b', 'c'));
    expect(teacherKey('q', 'x'.repeat(2500))).toBe(teacherKey('q', 'x'.repeat(2000)));
  });

  it('names how many pairs are missing, the first few, and what to do', async () => {
    const file = await readTeacherFile(fileOf([{ query: 'a', item: 'b', logits: [0, 1, 2] }]), 3);
    expect(file.output).toBe('logits');
    const pairs = [
      { query: 'a', item: 'b' },
      ...Array.from({ length: 5 }, (_, i) => ({ query: `q${i}`, item: `item ${i}` })),
    ];
    const error = (() => {
      try {
        matchTeacher(file, pairs, 'ID-train and pool pairs');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DataError);
    const e = error as DataError;
    expect(e.code).toBe('TEACHER_MISSING_PAIRS');
    expect(e.reason).toBe(
      '5 of the 6 ID-train and pool pairs have no line in the teacher file (1 distinct pairs), e.g. ("q0", "item 0"), ("q1", "item 1"), ("q2", "item 2")',
    );
    expect(e.hint).toMatch(/--teacher-pairs <file> writes them\) and pass that file as --teacher/);
  });

  it('refuses a bad row as file:line: reason', async () => {
    const path = fileOf([
      { query: 'a', item: 'b', probs: [0.2, 0.3, 0.5] },
      { query: 'a', item: 'c', probs: [0.2, 0.3, 0.6] },
    ]);
    const e = await refusal(path);
    expect(e.code).toBe('BAD_PREDICTION');
    expect(e.line).toBe(2);
    expect(e.message).toMatch(new RegExp(`^${path}:2: the probabilities sum to 1\\.10000`));
  });

  it('refuses another number of grades than the student has, and a pair repeated with other values', async () => {
    const width = await refusal(fileOf([{ query: 'a', item: 'b', probs: [0.5, 0.5] }]));
    expect(width.line).toBe(1);
    expect(width.reason).toBe('the teacher gives 2 grades, the student has 3');
    const conflict = await refusal(
      fileOf([
        { query: 'a', item: 'b', probs: [0.2, 0.3, 0.5] },
        { query: 'a ', item: 'b', probs: [0.2, 0.3, 0.5] },
        { query: 'a', item: 'b', probs: [0.3, 0.3, 0.4] },
      ]),
    );
    expect(conflict.line).toBe(3);
    expect(conflict.reason).toBe('the pair is given again with other values');
  });
});
