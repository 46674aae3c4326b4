/**
 * Samples: the run's predictions, paged on the server, filterable by split, true and predicted grade, OOD flag
 * and text, sortable by any OOD score or by error. The state lives in the URL, so any view can be shared.
 */
import { DataTable } from '../../components/data-table';
import { RunView } from '../../components/run-view';
import {
  gradeOptions,
  optionsOf,
  SelectField,
  type SelectFieldProps,
} from '../../components/select-field';
import { SortHeader } from '../../components/sort-header';
import { count, fmt } from '../../lib/format';
import type { LoadedRun, SearchParams } from '../../lib/load-run';
import {
  PAGE_SIZE,
  readSamplesState,
  samplesHref,
  toPredictionsInput,
  type SamplesState,
} from '../../lib/samples-query';
import { getApi, type RouterOutputs } from '../../trpc/server';

const SPLITS = [
  { value: 'id_test', label: 'ID test' },
  { value: 'ood_test', label: 'OOD test' },
  { value: 'pool', label: 'Pool (unlabelled)' },
];
const FLAGS = [
  { value: 'yes', label: 'flagged' },
  { value: 'no', label: 'not flagged' },
];

/** A column header that sorts the samples by `sort` (descending first). */
function SamplesSortHeader({
  state,
  sort,
  label,
}: {
  state: SamplesState;
  sort: string;
  label: string;
}) {
  const active = state.sort === sort;
  return (
    <SortHeader
      label={label}
      sortKey={sort}
      href={samplesHref({
        ...state,
        sort,
        order: active && state.order !== 'asc' ? 'asc' : 'desc',
        cursor: undefined,
      })}
      active={active}
      order={state.order === 'asc' ? 'asc' : 'desc'}
    />
  );
}

export default async function SamplesPage({ searchParams }: { searchParams: SearchParams }) {
  const state = readSamplesState(await searchParams);
  return (
    <RunView
      title="Samples"
      lead="Browse the scored pairs: which ones does the model get wrong, and which look out of distribution?"
      run={state.run}
      load={({ id }) => getApi().api.runs.predictions.query(toPredictionsInput(id, state))}
      recover={
        <p>
          <a href={samplesHref({ run: state.run })}>Clear the filters</a>
        </p>
      }
    >
      {(loaded, page) => <SamplesView loaded={loaded} state={state} page={page} />}
    </RunView>
  );
}

function SamplesView({
  loaded,
  state,
  page,
}: {
  loaded: LoadedRun;
  state: SamplesState;
  page: RouterOutputs['runs']['predictions'];
}) {
  const grades = loaded.report.gradeNames;
  const gradeName = (g: number | null) => (g === null ? '–' : (grades[g] ?? String(g)));
  const cursor = state.cursor ?? 0;
  return (
    <>
      <section className="panel" aria-labelledby="filters-h">
        <h2 id="filters-h">Filters</h2>
        <form className="filters" method="get" action="/samples" role="search">
          {state.run === undefined ? null : <input type="hidden" name="run" value={state.run} />}
          {state.sort === undefined ? null : <input type="hidden" name="sort" value={state.sort} />}
          {state.order === undefined ? null : (
            <input type="hidden" name="order" value={state.order} />
          )}
          {[
            {
              label: 'Split',
              name: 'split',
              value: state.split ?? '',
              empty: 'all',
              options: SPLITS,
            },
            {
              label: 'True grade',
              name: 'grade',
              value: state.grade ?? '',
              empty: 'any',
              options: gradeOptions(grades),
            },
            {
              label: 'Predicted grade',
              name: 'predicted',
              value: state.predicted ?? '',
              empty: 'any',
              options: gradeOptions(grades),
            },
            {
              label: 'OOD detector',
              name: 'ood',
              value: state.ood ?? '',
              empty: 'no OOD filter',
              options: optionsOf(Object.keys(page.thresholds)),
            },
            { label: 'OOD flag', name: 'flagged', value: state.flagged ?? 'yes', options: FLAGS },
          ].map((field: SelectFieldProps) => (
            <SelectField key={field.name} {...field} />
          ))}
          <label className="field">
            Text in query or item
            <input type="search" name="q" defaultValue={state.q ?? ''} placeholder="e.g. shower" />
          </label>
          <button type="submit">Apply</button>
          <a className="button secondary" href={samplesHref({ run: state.run })}>
            Reset
          </a>
        </form>
      </section>
      <section className="panel" aria-labelledby="rows-h">
        <h2 id="rows-h" data-first-row={cursor + 1}>
          <span data-total={page.total}>{count(page.total)}</span> pairs
          {page.total > 0 ? ` · ${cursor + 1}–${cursor + page.rows.length}` : ''}
        </h2>
        <p className="note">
          Click a score heading to sort by it; flags use the run&apos;s calibrated thresholds (95%
          of ID validation pairs kept). Error = |expected grade − true grade|.
        </p>
        {page.total === 0 ? (
          <p role="status">
            No pair matches these filters. <a href={samplesHref({ run: state.run })}>Reset them</a>.
          </p>
        ) : (
          <DataTable
            name="samples"
            columns={[
              'Query',
              'Item',
              'Split',
              'True',
              'Predicted',
              'Probabilities',
              <SamplesSortHeader key="error" state={state} sort="error" label="Error" />,
              ...page.detectors.map((d) => (
                <SamplesSortHeader key={d} state={state} sort={`ood:${d}`} label={d} />
              )),
            ]}
          >
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
                    aria-label={row.probs.map((p, i) => `${gradeName(i)} ${fmt(p, 2)}`).join(', ')}
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
          </DataTable>
        )}
        <nav className="pager" aria-label="Pages">
          {cursor > 0 ? (
            <a href={samplesHref({ ...state, cursor: Math.max(0, cursor - PAGE_SIZE) })} rel="prev">
              ← Previous
            </a>
          ) : null}
          {page.nextCursor === null ? null : (
            <a href={samplesHref({ ...state, cursor: page.nextCursor })} rel="next">
              Next →
            </a>
          )}
        </nav>
      </section>
    </>
  );
}
