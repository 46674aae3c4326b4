/**
 * Samples: the run's predictions, paged on the server, filterable by split, slice, true and predicted grade, OOD
 * flag and text, sortable by any OOD score or by error; a pair opens in full (`?pair=<split>:<id>`). The state
 * lives in the URL, so any view can be shared, and every aggregate of the other views links here.
 */
import { Glossary } from '../../components/glossary';
import { PairDetail } from '../../components/pair-detail';
import { RunView } from '../../components/run-view';
import { SamplesFilters } from '../../components/samples-filters';
import { DecisionNote } from '../../components/decision-note';
import { SamplesTable } from '../../components/samples-table';
import { count } from '../../lib/format';
import type { LoadedRun, SearchParams } from '../../lib/load-run';
import { pairPercentiles } from '../../lib/pair-percentiles';
import {
  PAGE_SIZE,
  parseRegion,
  readSamplesState,
  samplesHref,
  toPairInput,
  toPredictionsInput,
  type SamplesState,
} from '../../lib/samples-query';
import { getTestRows } from '../../lib/test-rows';
import { getApi, type RouterOutputs } from '../../trpc/server';

type Page = RouterOutputs['runs']['predictions'];
type Row = Page['rows'][number];

/** The page of rows, and the open pair with its percentiles, if one is open and exists. */
async function loadSamples(loaded: LoadedRun, state: SamplesState) {
  const { api } = getApi();
  const { id, detail } = loaded;
  const [page, pair] = await Promise.all([
    api.runs.predictions.query(toPredictionsInput(id, state)),
    state.pair === undefined
      ? undefined
      : api.runs.predictions.query(toPairInput(id, state.pair)).then(async (p) => {
          const row = p.rows[0];
          if (row === undefined) return undefined;
          const rows = await getTestRows(id, detail.run.finishedAt ?? detail.run.createdAt);
          return { row, percentiles: pairPercentiles(rows, row.ood) };
        }),
  ]);
  return { page, pair };
}

export default async function SamplesPage({ searchParams }: { searchParams: SearchParams }) {
  const state = readSamplesState(await searchParams);
  return (
    <RunView
      title="Samples"
      lead="Browse the scored pairs: which ones does the model get wrong, and which look out of distribution?"
      run={state.run}
      load={(loaded) => loadSamples(loaded, state)}
      recover={
        <p>
          <a href={samplesHref({ run: state.run })}>Clear the filters</a>
        </p>
      }
    >
      {(loaded, { page, pair }) => (
        <SamplesView loaded={loaded} state={state} page={page} pair={pair} />
      )}
    </RunView>
  );
}

function SamplesView({
  loaded,
  state,
  page,
  pair,
}: {
  loaded: LoadedRun;
  state: SamplesState;
  page: Page;
  pair: { row: Row; percentiles: Record<string, number | null> } | undefined;
}) {
  const { report } = loaded;
  const grades = report.gradeNames;
  const cursor = state.cursor ?? 0;
  const slices = [...new Set((report.slices ?? []).map((s) => s.slice))].sort();
  const splits = Object.keys(report.testSplits);
  const region = parseRegion(state.region);
  return (
    <>
      {state.pair === undefined ? null : pair === undefined ? (
        <p role="status" className="callout">
          Pair {state.pair} is not in this run.{' '}
          <a href={samplesHref({ ...state, pair: undefined })}>Back to the list</a>
        </p>
      ) : (
        <PairDetail
          row={pair.row}
          grades={grades}
          thresholds={page.thresholds}
          percentiles={pair.percentiles}
          decision={report.decision}
          closeHref={samplesHref({ ...state, pair: undefined })}
        />
      )}
      {region === undefined ? null : (
        <p className="callout" data-region={state.region}>
          Only the pairs whose point on the map lies in x ∈ [{region.x[0]}, {region.x[1]}], y ∈ [
          {region.y[0]}, {region.y[1]}].{' '}
          <a
            href={`/map?${new URLSearchParams({ ...(state.run === undefined ? {} : { run: state.run }), region: state.region ?? '' }).toString()}`}
          >
            Back to the map
          </a>{' '}
          · <a href={samplesHref({ ...state, region: undefined, cursor: undefined })}>All pairs</a>
        </p>
      )}
      <SamplesFilters
        state={state}
        grades={grades}
        splits={splits}
        slices={slices}
        detectors={Object.keys(page.thresholds)}
      />
      <section className="panel" aria-labelledby="rows-h">
        <h2 id="rows-h" data-first-row={cursor + 1}>
          <span data-total={page.total}>{count(page.total)}</span> pairs
          {page.total > 0 ? ` · ${cursor + 1}–${cursor + page.rows.length}` : ''}
        </h2>
        <p className="note">
          Click a score heading to sort by it, and a pair&apos;s Details to see it in full. OOD
          flags use the run&apos;s calibrated thresholds (95% of ID validation pairs kept); every
          score is higher = more out of distribution. Error = |expected grade − true grade|.
        </p>
        <DecisionNote decision={report.decision?.rule ?? null} grades={grades} />
        {page.total === 0 ? (
          <p role="status">
            No pair matches these filters. <a href={samplesHref({ run: state.run })}>Reset them</a>.
          </p>
        ) : (
          <SamplesTable state={state} page={page} grades={grades} />
        )}
        <nav className="pager" aria-label="Pages">
          {cursor > 0 ? (
            <a
              href={samplesHref({
                ...state,
                pair: undefined,
                cursor: Math.max(0, cursor - PAGE_SIZE),
              })}
              rel="prev"
            >
              ← Previous
            </a>
          ) : null}
          {page.nextCursor === null ? null : (
            <a
              href={samplesHref({ ...state, pair: undefined, cursor: page.nextCursor })}
              rel="next"
            >
              Next →
            </a>
          )}
        </nav>
        <Glossary terms={['expected grade', 'score direction', 'calibrated threshold']} />
      </section>
    </>
  );
}
