/**
 * The Samples table: the pair (query and item, kept in view while the score columns scroll), its split and
 * slice, true and predicted grade, the grade probabilities as numbers, the error and each detector's score with
 * its flag; score headings sort, and each pair opens its detail.
 */
import { fmt } from '../lib/format';
import { samplesHref, type SamplesState } from '../lib/samples-query';
import type { RouterOutputs } from '../trpc/server';
import { mostProbable } from './decision-note';
import { DataTable } from './data-table';
import { SortHeader } from './sort-header';

type Page = RouterOutputs['runs']['predictions'];

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
        pair: undefined,
      })}
      active={active}
      order={state.order === 'asc' ? 'asc' : 'desc'}
    />
  );
}

/** A split's badge: ID blue, any OOD split orange. */
export function SplitBadge({ split }: { split: string }) {
  const kind = split === 'id_test' ? 'id' : split.endsWith('ood_test') ? 'ood' : '';
  return <span className={`badge ${kind}`}>{split}</span>;
}

export function SamplesTable({
  state,
  page,
  grades,
}: {
  state: SamplesState;
  page: Page;
  grades: readonly string[];
}) {
  const gradeName = (g: number | null) => (g === null ? '–' : (grades[g] ?? String(g)));
  const short = grades.map((g) => g.slice(0, 3));
  return (
    <DataTable
      name="samples"
      label="Scored pairs"
      className="samples sticky-first"
      columns={[
        { label: 'Pair (query → item)', key: 'pair' },
        'Split',
        'Slice',
        'True',
        'Predicted',
        'Most probable',
        { label: `P(${short.join(' / ')})`, key: 'probs', numeric: true },
        <SamplesSortHeader key="error" state={state} sort="error" label="Error" />,
        ...page.detectors.map((d) => (
          <SamplesSortHeader key={d} state={state} sort={`ood:${d}`} label={d} />
        )),
      ]}
    >
      {page.rows.map((row) => (
        <tr key={`${row.split}:${row.id}`} data-row-id={row.id}>
          <td className="pair-cell">
            {/* Spaces between the parts, so the cell's text reads as words (copying, search, screen readers). */}
            <span className="pair-query">{row.query}</span>{' '}
            <span className="pair-item">{row.item}</span>{' '}
            <a
              className="pair-open"
              href={`${samplesHref({ ...state, pair: `${row.split}:${row.id}` })}#pair`}
              data-pair={`${row.split}:${row.id}`}
            >
              Details<span className="visually-hidden"> of pair {row.id}</span>
            </a>
          </td>
          <td data-col="split">
            <SplitBadge split={row.split} />
          </td>
          <td data-col="slice">{row.slice ?? '–'}</td>
          <td data-col="grade">{gradeName(row.grade)}</td>
          <td data-col="predicted">{gradeName(row.predicted)}</td>
          <td data-col="most-probable">{gradeName(mostProbable(row.probs))}</td>
          <td className="num" data-col="probs">
            {row.probs.map((p) => fmt(p, 2)).join(' / ')}
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
  );
}
