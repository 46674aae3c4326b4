/**
 * Plain-text views of run-store records: the run list and one run's details.
 */
import type { ArtifactRecord, MetricRecord, RunRecord } from '@gradeshift/pipeline';

import { formatEstimate, textTable } from './metric-table';

/** Seconds between two ISO times as `1h02m`, `3m05s` or `12.4s`; `–` while running. */
export function formatDuration(startIso: string, endIso: string | null): string {
  if (endIso === null) return '–';
  const seconds = (Date.parse(endIso) - Date.parse(startIso)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** `2024-05-01T12:34:56.789Z` → `2024-05-01 12:34:56`. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** The run list: id (first 8 characters), status, kind, name, created, duration, output folder. */
export function formatRunTable(runs: readonly RunRecord[]): string {
  return textTable([
    ['id', 'status', 'kind', 'name', 'created (UTC)', 'took', 'out'],
    ...runs.map((r) => [
      r.id.slice(0, 8),
      r.status,
      r.kind,
      r.name,
      shortTime(r.createdAt),
      formatDuration(r.createdAt, r.finishedAt),
      r.outDir,
    ]),
  ]);
}

/** What `runs show` prints. */
export interface RunDetails {
  readonly run: RunRecord;
  readonly stages: readonly { stage: string; startedAt: string; finishedAt: string | null }[];
  readonly metrics: readonly MetricRecord[];
  readonly artifacts: readonly ArtifactRecord[];
}

/** One run: its fields, stages with durations, metrics with intervals, artifacts. */
export function formatRunDetails(details: RunDetails): string {
  const { run, stages, metrics, artifacts } = details;
  const lines = [
    `run ${run.id}`,
    `  name:     ${run.name}`,
    `  kind:     ${run.kind}`,
    `  status:   ${run.status}${run.error === null ? '' : ` (${run.error})`}`,
    `  created:  ${shortTime(run.createdAt)} UTC`,
    `  finished: ${run.finishedAt === null ? '–' : `${shortTime(run.finishedAt)} UTC`} (${formatDuration(run.createdAt, run.finishedAt)})`,
    `  out:      ${run.outDir}`,
  ];
  if (run.dataFingerprint !== null) lines.push(`  data:     sha256 ${run.dataFingerprint}`);
  if (stages.length > 0) {
    lines.push('', 'stages:');
    lines.push(
      textTable(
        stages.map((s) => [
          '  ' + s.stage,
          s.finishedAt === null ? 'unfinished' : formatDuration(s.startedAt, s.finishedAt),
        ]),
      ),
    );
  }
  if (metrics.length > 0) {
    lines.push('', 'metrics:');
    lines.push(textTable(metrics.map((m) => [`  ${m.stage}`, m.split, m.name, formatEstimate(m)])));
  }
  if (artifacts.length > 0) {
    lines.push('', 'artifacts:');
    lines.push(textTable(artifacts.map((a) => [`  ${a.kind}`, a.path])));
  }
  return lines.join('\n');
}
