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

export default async function SlicesPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <RunView
      title="Slices"
      lead="Which departments break? Each slice of the test sets with its size, metrics, OOD rate and gap."
      run={param(params, 'run')}
    >
      {(loaded) =>
        loaded.report.slices === null || loaded.report.slices.length === 0 ? (
          <MissingSection what="slices" />
        ) : (
          <SlicesView loaded={loaded} slices={loaded.report.slices} params={params} />
        )
      }
    </RunView>
  );
}

function SlicesView({
  loaded,
  slices,
  params,
}: {
  loaded: LoadedRun;
  slices: readonly Slice[];
  params: Awaited<SearchParams>;
}) {
  const run = param(params, 'run');
  const idF1 = loaded.report.splits?.id.macro_f1.value ?? null;
  const value = (s: Slice, key: Column): number | string | null =>
    key === 'slice'
      ? s.slice
      : key === 'gap'
        ? idF1 === null || s.macro_f1 === null
          ? null
          : idF1 - s.macro_f1
        : s[key];
  const sortParam = param(params, 'sort');
  const sort: Column = COLUMNS.some((c) => c.key === sortParam) ? (sortParam as Column) : 'slice';
  const order = param(params, 'order') === 'desc' ? 'desc' : 'asc';
  const rows = [...slices].sort((a, b) => {
    const va = value(a, sort);
    const vb = value(b, sort);
    if (va === null || vb === null) return va === vb ? 0 : va === null ? 1 : -1;
    const c = typeof va === 'string' ? va.localeCompare(String(vb)) : va - Number(vb);
    return order === 'asc' ? c : -c;
  });
  const href = (key: Column) => {
    const search = new URLSearchParams();
    if (run !== undefined) search.set('run', run);
    search.set('sort', key);
    search.set('order', sort === key && order === 'asc' ? 'desc' : 'asc');
    return `/slices?${search.toString()}`;
  };
  const ranges = Object.fromEntries(
    COLUMNS.map((c) => {
      const vs = slices
        .map((s) => value(s, c.key))
        .filter((v): v is number => typeof v === 'number');
      return [c.key, { lo: Math.min(...vs), hi: Math.max(...vs) }];
    }),
  ) as Record<string, { lo: number; hi: number }>;
  const place = (key: string, v: number | null) => {
    const r = ranges[key];
    return v === null || r === undefined ? NaN : r.hi > r.lo ? (v - r.lo) / (r.hi - r.lo) : 0.5;
  };
  const show = (key: Column, v: number | string | null) =>
    typeof v !== 'number'
      ? (v ?? '–')
      : key === 'n'
        ? count(v)
        : key === 'gap'
          ? signed(v)
          : fmt(v);
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
    <>
      <section className="panel" aria-labelledby="slices-h">
        <h2 id="slices-h">Slices</h2>
        <p className="note">
          Gap = ID test macro-F1 ({fmt(idF1)}) − the slice&apos;s macro-F1: positive means the slice
          is worse. OOD rate: share of the slice above the run&apos;s calibrated Mahalanobis
          threshold. Small slices are noisy: read the accuracy interval before trusting a gap. Each
          slice links to its pairs, largest errors first.
        </p>
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
                <span className={`badge ${s.side === 'ood' ? 'ood' : 'id'}`}>{s.side}</span>
              </td>
              {COLUMNS.map((c) => (
                <td key={c.key} className="num" data-col={c.key}>
                  {show(c.key, value(s, c.key))}
                </td>
              ))}
              <td className="num" data-col="accuracy-ci">
                {(() => {
                  const ci = s.accuracy === null ? null : wilsonInterval(s.accuracy, s.n);
                  return ci === null ? '–' : `${fmt(ci.lo, 2)}–${fmt(ci.hi, 2)}`;
                })()}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>
      <section className="panel" aria-labelledby="heat-h">
        <h2 id="heat-h">Heat map: slices × metrics</h2>
        <ChartFrame
          name="slices-heatmap"
          points={rows.length * (COLUMNS.length - 1)}
          caption="Each column coloured over its own range: blue is the best slice, red the worst"
        >
          <DataTable
            className="heatmap"
            columns={[
              'Slice',
              ...COLUMNS.filter((c) => c.higherIsBetter !== null).map((c) => ({
                label: c.label,
                key: c.key,
              })),
            ]}
          >
            {rows.map((s) => (
              <tr key={`${s.side}:${s.slice}`}>
                <th scope="row">
                  {s.slice}{' '}
                  <span className={`badge ${s.side === 'ood' ? 'ood' : 'id'}`}>{s.side}</span>
                </th>
                {COLUMNS.filter((c) => c.higherIsBetter !== null).map((c) => {
                  const v = value(s, c.key);
                  return (
                    <td
                      key={c.key}
                      className="cell"
                      style={{
                        background: heat(
                          place(c.key, typeof v === 'number' ? v : null),
                          c.higherIsBetter,
                        ),
                      }}
                    >
                      {show(c.key, v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </DataTable>
        </ChartFrame>
      </section>
    </>
  );
}
