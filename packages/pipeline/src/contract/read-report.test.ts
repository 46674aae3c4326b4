import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { isRunFolderError } from '../run-folder/run-folder-error';
import { parseRunReport, readRunReport, writeRunReport } from './read-report';
import { samplePipelineReport, sampleEvaluationReport } from './test-fixtures';

const dir = mkdtempSync(join(tmpdir(), 'gradeshift-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The error `fn` throws, as code and message. */
function failure(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (isRunFolderError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a RunFolderError');
}

/** A report as version 1 wrote it. */
function asVersion1(report: Record<string, unknown>): Record<string, unknown> {
  const { kind: _kind, ood_thresholds: _thresholds, ...rest } = report;
  const v1: Record<string, unknown> = { ...rest, version: 1 };
  if (report['kind'] === 'evaluation') {
    const run = report['run'] as Record<string, unknown>;
    v1['run'] = { id: run['id'], seconds: run['seconds'] };
    return v1;
  }
  return { ...v1, ood_thresholds: report['ood_thresholds'] };
}

describe('report.json contract', () => {
  it('parses a report of each run kind, through a file written by the checked writer', () => {
    for (const report of [samplePipelineReport(), sampleEvaluationReport()]) {
      const path = join(dir, `${report.kind}.json`);
      writeRunReport(path, report);
      const read = readRunReport(path);
      expect(read).toEqual(report);
      expect(read?.kind).toBe(report.kind);
    }
    expect(readRunReport(join(dir, 'missing.json'))).toBeNull();
  });

  it('upgrades a version-1 report of each kind', () => {
    const pipeline = samplePipelineReport();
    expect(parseRunReport(asVersion1(pipeline), 'report.json')).toEqual(pipeline);
    const evaluation = sampleEvaluationReport();
    const upgraded = parseRunReport(asVersion1(evaluation), 'report.json');
    expect(upgraded.kind).toBe('evaluation');
    // Version 1 had no run name; its thresholds come from ood_flag_rate.
    expect(upgraded).toEqual({ ...evaluation, run: { ...evaluation.run, name: null } });
  });

  it('refuses another version, naming it and the command that rebuilds the run', () => {
    const v0 = { ...samplePipelineReport(), version: 0 };
    const { code, message } = failure(() => parseRunReport(v0, '/runs/a/report.json'));
    expect(code).toBe('VERSION_MISMATCH');
    expect(message).toContain(
      'report.json is version 0; this build reads version 2 and upgrades version 1',
    );
    expect(message).toContain('gradeshift pipeline --out <run folder> --overwrite');
    const v3 = { ...sampleEvaluationReport(), version: 3 };
    expect(failure(() => parseRunReport(v3, 'r')).message).toContain('gradeshift evaluate');
  });

  it('names the field of a malformed report', () => {
    const report = samplePipelineReport();
    const bad = {
      ...report,
      splits: { ...report.splits, id_test: { ...report.splits.id_test, macro_f1: { value: 'x' } } },
    };
    const { code, message } = failure(() => parseRunReport(bad, '/runs/a/report.json'));
    expect(code).toBe('INVALID_REPORT');
    expect(message).toMatch(/^\/runs\/a\/report\.json: splits\.id_test\.macro_f1\.value: /);
    expect(failure(() => parseRunReport({ format: 'other' }, 'r')).message).toContain(
      'not a gradeshift report',
    );
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "format": ');
    expect(failure(() => readRunReport(path)).message).toContain('not JSON');
  });

  it('writes nothing when the report breaks the contract', () => {
    const path = join(dir, 'kept.json');
    writeRunReport(path, sampleEvaluationReport());
    const before = readFileSync(path, 'utf8');
    const bad = {
      ...sampleEvaluationReport(),
      data: { ...sampleEvaluationReport().data, rows: 1.5 },
    };
    expect(failure(() => writeRunReport(path, bad)).message).toContain('data.rows');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
