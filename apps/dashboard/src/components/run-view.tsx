/**
 * The frame every run view shares: loads the run the URL names (or the newest finished one), shows the header
 * with the run picker, and in place of the view the state that says what to do when the run, or the data the
 * view fetches for it, cannot be loaded.
 */
import type { ReactNode } from 'react';

import { loadRun, problemOf, type LoadedRun } from '../lib/load-run';
import { PageHeader } from './page-header';
import { ProblemState } from './states';

export interface RunViewProps<T> {
  readonly title: string;
  readonly lead: string;
  /** The run named in the URL (`?run=`), if any. */
  readonly run: string | undefined;
  /** Fetches what the view needs beyond the run and its report; a failure is shown as a problem state. */
  readonly load?: (loaded: LoadedRun) => Promise<T>;
  /** Shown under the problem state when `load` fails, e.g. a link that clears the filters. */
  readonly recover?: ReactNode;
  /** The view, given the run and what `load` fetched. */
  readonly children: (loaded: LoadedRun, data: T) => ReactNode;
}

export async function RunView<T = undefined>({
  title,
  lead,
  run,
  load,
  recover,
  children,
}: RunViewProps<T>) {
  const loaded = await loadRun(run);
  if (!loaded.ok)
    return (
      <>
        <PageHeader title={title} lead={lead} />
        <ProblemState problem={loaded.problem} />
      </>
    );
  const header = <PageHeader title={title} lead={lead} loaded={loaded} />;
  let data: T;
  try {
    data = load === undefined ? (undefined as T) : await load(loaded);
  } catch (error) {
    return (
      <>
        {header}
        <ProblemState problem={problemOf(error)} />
        {recover}
      </>
    );
  }
  return (
    <>
      {header}
      {children(loaded, data)}
    </>
  );
}
