/**
 * Reading and writing report.json through its schema: a report of the current version is checked, one of the
 * previous version is upgraded in memory (old runs keep opening), anything else is refused with the version
 * and the command that rebuilds the run. A write is checked the same way before the file is replaced, so every
 * report on disk reads back.
 */
import { existsSync } from 'node:fs';

import { writeFileAtomic } from '../io/atomic-write';
import { RunFolderError } from '../run-folder/run-folder-error';
import { REPORT_FORMATS, REPORT_VERSION, runReportSchema, type RunReport } from './report-schema';
import { readJsonFile } from './read-json-file';
import { describeZodError } from './zod-issue';

const REBUILD: Readonly<Record<RunReport['kind'], string>> = {
  pipeline: 'rebuild the run with this version: gradeshift pipeline --out <run folder> --overwrite',
  evaluation:
    'rebuild the run with this version: gradeshift evaluate --model <bundle> --data <file> … --out <run folder>',
};

/** A value as writers build it: arrays may be readonly. */
type DeepReadonly<T> = T extends (infer TItem)[]
  ? readonly DeepReadonly<TItem>[]
  : T extends object
    ? { readonly [TKey in keyof T]: DeepReadonly<T[TKey]> }
    : T;

/** A report as a writer passes it to {@link writeRunReport}. */
export type ReportInput<TReport extends RunReport = RunReport> = DeepReadonly<TReport>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A version-1 report in the version-2 shape: `kind` from `format`; evaluation runs get `ood_thresholds`. */
function upgradeV1(
  json: Record<string, unknown>,
  kind: RunReport['kind'],
): Record<string, unknown> {
  if (kind === 'pipeline') return { ...json, version: REPORT_VERSION, kind };
  const flags = isObject(json['ood_flag_rate']) ? json['ood_flag_rate'] : {};
  const thresholds = Object.fromEntries(
    Object.entries(flags).map(([name, o]) => [name, isObject(o) ? o['threshold'] : undefined]),
  );
  const run = isObject(json['run']) ? json['run'] : {};
  return {
    ...json,
    version: REPORT_VERSION,
    kind,
    run: { name: null, ...run },
    ood_thresholds: thresholds,
  };
}

/**
 * Checks parsed report.json, upgrading a version-1 report.
 * @param json - the parsed file
 * @param path - the file, for messages
 * @throws RunFolderError `INVALID_REPORT` naming the first bad field, or `VERSION_MISMATCH` naming the version
 * and the command that rebuilds the run
 */
export function parseRunReport(json: unknown, path: string): RunReport {
  const format = isObject(json) ? json['format'] : undefined;
  const kind = (Object.keys(REPORT_FORMATS) as RunReport['kind'][]).find(
    (k) => REPORT_FORMATS[k] === format,
  );
  if (!isObject(json) || kind === undefined)
    throw new RunFolderError('INVALID_REPORT', {
      path,
      reason: `not a gradeshift report (expected "format": "${REPORT_FORMATS.pipeline}" or "${REPORT_FORMATS.evaluation}")`,
    });
  const version = json['version'];
  if (version !== REPORT_VERSION && version !== REPORT_VERSION - 1)
    throw new RunFolderError(
      'VERSION_MISMATCH',
      {
        path,
        reason: `report.json is version ${JSON.stringify(version ?? null)}; this build reads version ${REPORT_VERSION} and upgrades version ${REPORT_VERSION - 1}`,
      },
      { hint: REBUILD[kind] },
    );
  const parsed = runReportSchema.safeParse(
    version === REPORT_VERSION ? json : upgradeV1(json, kind),
  );
  if (!parsed.success)
    throw new RunFolderError(
      'INVALID_REPORT',
      { path, reason: describeZodError(parsed.error) },
      { hint: `the report does not match this build's contract; ${REBUILD[kind]}` },
    );
  return parsed.data;
}

/**
 * Reads `path` (report.json) through {@link parseRunReport}.
 * @returns the report, or null when the file does not exist
 * @throws RunFolderError `INVALID_REPORT` (not JSON, malformed) or `VERSION_MISMATCH`
 */
export function readRunReport(path: string): RunReport | null {
  if (!existsSync(path)) return null;
  return parseRunReport(readJsonFile(path), path);
}

/**
 * Checks a report against the contract as it will read back (NaN becomes null in JSON) and writes it atomically.
 * @returns the report as written
 * @throws RunFolderError `INVALID_REPORT` naming the field, before anything is written
 */
export function writeRunReport<TReport extends RunReport>(
  path: string,
  report: ReportInput<TReport>,
): TReport {
  const text = `${JSON.stringify(report, null, 1)}\n`;
  const checked = parseRunReport(JSON.parse(text), path);
  if (checked.kind !== report.kind)
    throw new RunFolderError('INVALID_REPORT', { path, reason: `kind: expected ${report.kind}` });
  writeFileAtomic(path, text);
  return checked as TReport;
}
