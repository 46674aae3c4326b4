/**
 * Samples: the run's predictions, paged on the server, filterable by split, true and predicted grade, OOD flag
 * and text, sortable by any OOD score or by error. The state lives in the URL, so any view can be shared.
 */
import Link from 'next/link';

import { PageHeader } from '../../components/page-header';
import { ProblemState } from '../../components/states';
import { count, fmt } from '../../lib/format';
import { loadRun, problemOf, type SearchParams } from '../../lib/load-run';
import {
  PAGE_SIZE,
  readSamplesState,
  samplesHref,
  toPredictionsInput,
  type SamplesState,
} from '../../lib/samples-query';
import { getApi } from '../../trpc/server';

const SPLITS = [
  { value: 'id_test', label: 'ID test' },
  { value: 'ood_test', label: 'OOD test' },
  { value: 'pool', label: 'Pool (unlabelled)' },
];

function SortHeader({ state, sort, label }: { state: SamplesState; sort: string; label: string }) {
  const active = state.sort === sort;
  const order = active && state.order !== 'asc' ? 'asc' : 'desc';
  return (
    <th
      scope="col"
      className="num"
      aria-sort={active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <Link href={samplesHref({ ...state, sort, order, cursor: undefined })} data-sort={sort}>
        {label}
        {active ? (state.order === 'asc' ? ' ▲' : ' ▼') : ''}
      </Link>
    </th>
  );
}

export default async function SamplesPage({ searchParams }: { searchParams: SearchParams }) {
  const state = readSamplesState(await searchParams);
  const loaded = await loadRun(state.run);
  const title = 'Samples';
  const lead =
    'Browse the scored pairs: which ones does the model get wrong, and which look out of distribution?';
  if (!loaded.ok)
    return (
      <>
        <PageHeader title={title} lead={lead} />
        <ProblemState problem={loaded.problem} />
      </>
    );
  let page;
  try {
    page = await getApi().api.runs.predictions.query(toPredictionsInput(loaded.id, state));
  } catch (error) {
    return (
      <>
        <PageHeader title={title} lead={lead} loaded={loaded} />
        <ProblemState problem={problemOf(error)} />
        <p>
          <Link href={samplesHref({ run: state.run })}>Clear the filters</Link>
        </p>
      </>
    );
  }
  const grades = loaded.report.gradeNames;
  const gradeName = (g: number | null) => (g === null ? '–' : (grades[g] ?? String(g)));
  const cursor = state.cursor ?? 0;
  return (
    <>
      <PageHeader title={title} lead={lead} loaded={loaded} />
      <section className="panel" aria-labelledby="filters-h">
        <h2 id="filters-h">Filters</h2>
        <form className="filters" method="get" action="/samples" role="search">
          {state.run === undefined ? null : <input type="hidden" name="run" value={state.run} />}
          {state.sort === undefined ? null : <input type="hidden" name="sort" value={state.sort} />}
          {state.order === undefined ? null : (
            <input type="hidden" name="order" value={state.order} />
          )}
          <label className="field">
            Split
            <select name="split" defaultValue={state.split ?? ''}>
              <option value="">all</option>
              {SPLITS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            True grade
            <select name="grade" defaultValue={state.grade ?? ''}>
              <option value="">any</option>
              {grades.map((g, i) => (
                <option key={g} value={i}>
                  {g}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Predicted grade
            <select name="predicted" defaultValue={state.predicted ?? ''}>
              <option value="">any</option>
              {grades.map((g, i) => (
                <option key={g} value={i}>
                  {g}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            OOD detector
            <select name="ood" defaultValue={state.ood ?? ''}>
              <option value="">no OOD filter</option>
              {Object.keys(page.thresholds).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            OOD flag
            <select name="flagged" defaultValue={state.flagged ?? 'yes'}>
              <option value="yes">flagged</option>
              <option value="no">not flagged</option>
            </select>
          </label>
          <label className="field">
            Text in query or item
            <input type="search" name="q" defaultValue={state.q ?? ''} placeholder="e.g. shower" />
          </label>
          <button type="submit">Apply</button>
          <Link className="button secondary" href={samplesHref({ run: state.run })}>
            Reset
          </Link>
        </form>
      </section>
      <section className="panel" aria-labelledby="rows-h">
        <h2 id="rows-h">
          <span data-total={page.total}>{count(page.total)}</span> pairs
          {page.total > 0 ? ` · ${cursor + 1}–${cursor + page.rows.length}` : ''}
        </h2>
        <p className="note">
          Click a score heading to sort by it; flags use the run&apos;s calibrated thresholds (95%
          of ID validation pairs kept). Error = |expected grade − true grade|.
        </p>
        {page.total === 0 ? (
          <p role="status">
            No pair matches these filters.{' '}
            <Link href={samplesHref({ run: state.run })}>Reset them</Link>.
          </p>
        ) : (
          <div className="table-wrap">
            <table data-table="samples">
              <thead>
                <tr>
                  <th scope="col">Query</th>
                  <th scope="col">Item</th>
                  <th scope="col">Split</th>
                  <th scope="col">True</th>
                  <th scope="col">Predicted</th>
                  <th scope="col">Probabilities</th>
                  <SortHeader state={state} sort="error" label="Error" />
                  {page.detectors.map((d) => (
                    <SortHeader key={d} state={state} sort={`ood:${d}`} label={d} />
                  ))}
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <tr key={`${row.split}:${row.id}`} data-row-id={row.id}>
                    <td className="text-cell">{row.query}</td>
                    <td className="text-cell">{row.item}</td>
                    <td data-col="split">
                      <span
                        className={`badge ${row.split === 'ood_test' ? 'ood' : row.split === 'id_test' ? 'id' : ''}`}
                      >
                        {row.split}
                      </span>
                    </td>
                    <td data-col="grade">{gradeName(row.grade)}</td>
                    <td data-col="predicted">{gradeName(row.predicted)}</td>
                    <td>
                      <span
                        className="probs"
                        role="img"
                        aria-label={row.probs
                          .map((p, i) => `${gradeName(i)} ${fmt(p, 2)}`)
                          .join(', ')}
                        title={row.probs.map((p, i) => `${gradeName(i)} ${fmt(p, 3)}`).join('\n')}
                      >
                        {row.probs.map((p, i) => (
                          <span key={i} style={{ height: `${Math.max(2, p * 22)}px` }} />
                        ))}
                      </span>
                    </td>
                    <td className="num" data-col="error">
                      {fmt(row.error, 2)}
                    </td>
                    {page.detectors.map((d) => (
                      <td key={d} className="num" data-col={`ood:${d}`}>
                        {fmt(row.ood[d], 3)}
                        {row.flags[d] === true ? (
                          <>
                            {' '}
                            <span className="badge flag" title={`above the ${d} threshold`}>
                              OOD
                            </span>
                          </>
                        ) : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          {cursor > 0 ? (
            <Link
              href={samplesHref({ ...state, cursor: Math.max(0, cursor - PAGE_SIZE) })}
              rel="prev"
            >
              ← Previous
            </Link>
          ) : null}
          {page.nextCursor === null ? null : (
            <Link href={samplesHref({ ...state, cursor: page.nextCursor })} rel="next">
              Next →
            </Link>
          )}
        </nav>
      </section>
    </>
  );
}
