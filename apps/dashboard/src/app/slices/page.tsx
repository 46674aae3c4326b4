/**
 * Slices: every department / cluster with its size, metrics (accuracy with its 95% interval), OOD rate and gap,
 * sortable, and a heat map; each slice links to its pairs in Samples.
 */
import { ChartFrame } from '../../components/charts/chart-frame';
import { DataTable } from '../../components/data-table';
import { RunView } from '../../components/run-view';
import { SortHeader } from '../../components/sort-header';
import { MissingSection } from '../../components/states';
import { count, fmt, signed } from '../../lib/format';
import { param, type LoadedRun, type SearchParams } from '../../lib/load-run';
import type { Slice } from '../../lib/report';
import { samplesHref } from '../../lib/samples-query';
import { wilsonInterval } from '../../lib/wilson';

const COLUMNS = [
  { key: 'n', label: 'Pairs', higherIsBetter: null },
  { key: 'accuracy', label: 'Accuracy', higherIsBetter: true },
  { key: 'macro_f1', label: 'Macro-F1', higherIsBetter: true },
  { key: 'gap', label: 'Gap vs ID test (macro-F1)', higherIsBetter: false },
  { key: 'ood_rate', label: 'OOD rate', higherIsBetter: false },
] as const;
type Column = (typeof COLUMNS)[number]['key'] | 'slice';

/** Blue (good) to red (bad) through white, for a value placed in [0, 1] of its column's range. */
function heat(t: number, higherIsBetter: boolean | null): string {
  if (!Number.isFinite(t) || higherIsBetter === null) return 'transparent';
  const good = higherIsBetter ? t : 1 - t;
  const r = Math.round(good < 0.5 ? 230 : 230 - (good - 0.5) * 2 * 150);
  const g = Math.round(good < 0.5 ? 120 + good * 2 * 110 : 230 - (good - 0.5) * 2 * 40);
  const b = Math.round(good < 0.5 ? 110 + good * 2 * 120 : 230);
  return `rgb(${r} ${g} ${b})`;
}

/** The table's order, from the URL (`?sort=&order=`), and the run the URL names. */
interface SliceSort {
  readonly run: string | undefined;
  readonly sort: Column;
  readonly order: 'asc' | 'desc';
}

function readSliceSort(params: Awaited<SearchParams>): SliceSort {
  const sortParam = param(params, 'sort');
  return {
    run: param(params, 'run'),
    sort: COLUMNS.some((c) => c.key === sortParam) ? (sortParam as Column) : 'slice',
    order: param(params, 'order') === 'desc' ? 'desc' : 'asc',
  };
}

/** A slice's value in a column; the gap is the ID test macro-F1 (`idF1`) minus the slice's. */
function sliceValue(s: Slice, key: Column, idF1: number | null): number | string | null {
  if (key === 'slice') return s.slice;
  if (key !== 'gap') return s[key];
  return idF1 === null || s.macro_f1 === null ? null : idF1 - s.macro_f1;
}

/** A column's value as shown: counts, signed gaps and 3-digit metrics; a missing value as a dash. */
function showValue(key: Column, v: number | string | null): string {
  if (typeof v !== 'number') return v ?? '–';
  return key === 'n' ? count(v) : key === 'gap' ? signed(v) : fmt(v);
}

/** The slices in the order the URL asks for, missing values last. */
function sortSlices(slices: readonly Slice[], { sort, order }: SliceSort, idF1: number | null) {
  return [...slices].sort((a, b) => {
    const va = sliceValue(a, sort, idF1);
    const vb = sliceValue(b, sort, idF1);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    const c = typeof va === 'string' ? va.localeCompare(String(vb)) : va - Number(vb);
    return order === 'asc' ? c : -c;
  });
}

export default async function SlicesPage({ searchParams }: { searchParams: SearchParams }) {
  const sort = readSliceSort(await searchParams);
  return (
    <RunView
      run={sort.run}
      title="Slices"
      lead="Which departments break? Each slice of the test sets with its size, metrics, OOD rate and gap."
    >
      {(loaded) =>
        loaded.report.slices === null || loaded.report.slices.length === 0 ? (
          <MissingSection what="slices" />
        ) : (
          <SlicesView loaded={loaded} slices={loaded.report.slices} sort={sort} />
        )
      }
    </RunView>
  );
}

function SlicesView({
  loaded,
  slices,
  sort,
}: {
  loaded: LoadedRun;
  slices: readonly Slice[];
  sort: SliceSort;
}) {
  const idF1 = loaded.report.splits?.id.macro_f1.value ?? null;
  const rows = sortSlices(slices, sort, idF1);
  return (
    <>
      <section className="panel" aria-labelledby="slices-h">
        <h2 id="slices-h">Slices</h2>
        <p className="note">
          Gap = ID test macro-F1 ({fmt(idF1)}) − the slice&apos;s macro-F1: positive means the slice
          is worse. OOD rate: share of the slice above the run&apos;s calibrated Mahalanobis
          threshold. Small slices are noisy: read the accuracy interval before trusting a gap. Each
          slice links to its pairs, largest errors first.
        </p>
        <SlicesTable rows={rows} sort={sort} idF1={idF1} />
      </section>
      <section className="panel" aria-labelledby="heat-h">
        <h2 id="heat-h">Heat map: slices × metrics</h2>
        <SlicesHeatMap rows={rows} idF1={idF1} />
      </section>
    </>
  );
}

/** The sortable table of slices, each linking to its pairs in Samples. */
function SlicesTable({
  rows,
  sort: { run, sort, order },
  idF1,
}: {
  rows: readonly Slice[];
  sort: SliceSort;
  idF1: number | null;
}) {
  const href = (key: Column) => {
    const search = new URLSearchParams();
    if (run !== undefined) search.set('run', run);
    search.set('sort', key);
    search.set('order', sort === key && order === 'asc' ? 'desc' : 'asc');
    return `/slices?${search.toString()}`;
  };
  const sortable = (key: Column, label: string, numeric: boolean) => (
    <SortHeader
      key={key}
      label={label}
      sortKey={key}
      href={href(key)}
      active={sort === key}
      order={order}
      numeric={numeric}
    />
  );
  return (
    <DataTable
      name="slices"
      columns={[
        sortable('slice', 'Slice', false),
        'Side',
        ...COLUMNS.map((c) => sortable(c.key, c.label, true)),
        { label: 'Accuracy 95% CI', numeric: true, key: 'ci' },
      ]}
    >
      {rows.map((s) => (
        <tr key={`${s.side}:${s.slice}`} data-slice={s.slice}>
          <th scope="row">
            <a
              href={samplesHref({
                run,
                split: `${s.side}_test`,
                slice: s.slice,
                sort: 'error',
                order: 'desc',
              })}
              data-drill="slice"
            >
              {s.slice}
            </a>
          </th>
          <td>
            <SideBadge side={s.side} />
          </td>
          {COLUMNS.map((c) => (
            <td key={c.key} className="num" data-col={c.key}>
              {showValue(c.key, sliceValue(s, c.key, idF1))}
            </td>
          ))}
          <td className="num" data-col="accuracy-ci">
            {accuracyInterval(s)}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function SideBadge({ side }: { side: Slice['side'] }) {
  return <span className={`badge ${side === 'ood' ? 'ood' : 'id'}`}>{side}</span>;
}

/** The slice's accuracy 95% Wilson interval, or a dash. */
function accuracyInterval(s: Slice): string {
  const ci = s.accuracy === null ? null : wilsonInterval(s.accuracy, s.n);
  return ci === null ? '–' : `${fmt(ci.lo, 2)}–${fmt(ci.hi, 2)}`;
}

/** The metric columns of the heat map (those with a better direction). */
const HEAT_COLUMNS = COLUMNS.filter((c) => c.higherIsBetter !== null);

/** Slices × metrics, each cell coloured by where it sits in its column's range. */
function SlicesHeatMap({ rows, idF1 }: { rows: readonly Slice[]; idF1: number | null }) {
  const ranges = new Map<Column, { lo: number; hi: number }>(
    HEAT_COLUMNS.map((c) => {
      const vs = rows
        .map((s) => sliceValue(s, c.key, idF1))
        .filter((v): v is number => typeof v === 'number');
      return [c.key, { lo: Math.min(...vs), hi: Math.max(...vs) }];
    }),
  );
  const place = (key: Column, v: number | string | null) => {
    const r = ranges.get(key);
    if (typeof v !== 'number' || r === undefined) return NaN;
    return r.hi > r.lo ? (v - r.lo) / (r.hi - r.lo) : 0.5;
  };
  return (
    <ChartFrame
      name="slices-heatmap"
      points={rows.length * (COLUMNS.length - 1)}
      caption="Each column coloured over its own range: blue is the best slice, red the worst"
    >
      <DataTable
        className="heatmap"
        columns={['Slice', ...HEAT_COLUMNS.map((c) => ({ label: c.label, key: c.key }))]}
      >
        {rows.map((s) => (
          <tr key={`${s.side}:${s.slice}`}>
            <th scope="row">
              {s.slice} <SideBadge side={s.side} />
            </th>
            {HEAT_COLUMNS.map((c) => {
              const v = sliceValue(s, c.key, idF1);
              return (
                <td
                  key={c.key}
                  className="cell"
                  style={{ background: heat(place(c.key, v), c.higherIsBetter) }}
                >
                  {showValue(c.key, v)}
                </td>
              );
            })}
          </tr>
        ))}
      </DataTable>
    </ChartFrame>
  );
}
