/**
 * Loading a run for a page: the run list, the chosen run (`?run=` or the newest finished one) and its parsed
 * report, or the problem that stops the page, told in a way that says what to do.
 */
import { cache } from 'react';

import { DashboardEnvError } from '../env';
import { apiErrorCode, getApi, isUnreachable, type RouterOutputs } from '../trpc/server';
import { parseReport, type RunReport } from './report';

export type RunRecord = RouterOutputs['runs']['list'][number];
export type RunDetail = RouterOutputs['runs']['get'];

/** Why a page cannot show a run. */
export type Problem =
  | { readonly kind: 'config'; readonly message: string }
  | { readonly kind: 'unreachable'; readonly apiUrl: string; readonly message: string }
  | { readonly kind: 'no-run'; readonly running: RunRecord | undefined }
  | { readonly kind: 'not-found'; readonly run: string }
  | { readonly kind: 'error'; readonly message: string };

/** A loaded run. */
export interface LoadedRun {
  readonly ok: true;
  readonly runs: RunRecord[];
  readonly detail: RunDetail;
  readonly report: RunReport;
  /** The run's id, for API calls. */
  readonly id: string;
  /** Whether the run was named in the URL (links then carry it). */
  readonly explicit: boolean;
}

export type LoadResult = LoadedRun | { readonly ok: false; readonly problem: Problem };

/** The problem an API call failed with. */
export function problemOf(error: unknown, run?: string): Problem {
  if (error instanceof DashboardEnvError) return { kind: 'config', message: error.message };
  if (isUnreachable(error)) {
    let apiUrl = '(unknown)';
    try {
      apiUrl = getApi().url;
    } catch {
      // The configuration error is reported above; here only the URL is missing.
    }
    return {
      kind: 'unreachable',
      apiUrl,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  if (run !== undefined && apiErrorCode(error) === 'NOT_FOUND') return { kind: 'not-found', run };
  return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** The run a page shows when the URL names none: the newest finished pipeline run, else any finished run. */
function pickDefault(runs: readonly RunRecord[]): RunRecord | undefined {
  const done = runs.filter((r) => r.status === 'succeeded');
  return done.find((r) => r.kind === 'pipeline') ?? done[0];
}

/**
 * Loads the run a page shows; cached for the request, so the layout and the page share one call.
 * @param run - the run id or name from `?run=`, if any
 */
export const loadRun = cache(async (run: string | undefined): Promise<LoadResult> => {
  try {
    const { api } = getApi();
    const runs = await api.runs.list.query({ limit: 200 });
    const chosen = run ?? pickDefault(runs)?.id;
    if (chosen === undefined)
      return {
        ok: false,
        problem: { kind: 'no-run', running: runs.find((r) => r.status === 'running') },
      };
    const detail = await api.runs.get.query({ id: chosen });
    return {
      ok: true,
      runs,
      detail,
      report: parseReport(detail.report),
      id: detail.run.id,
      explicit: run !== undefined,
    };
  } catch (error) {
    return { ok: false, problem: problemOf(error, run) };
  }
});

export { param, type SearchParams } from './search-params';
