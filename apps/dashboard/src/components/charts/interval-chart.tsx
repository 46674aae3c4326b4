'use client';
/** ID vs OOD (near, and far when the run has a far set) per metric, each bar with its 95% interval. */
import { Bar, BarChart, CartesianGrid, ErrorBar, Legend, Tooltip, XAxis, YAxis } from 'recharts';

import { FAR_COLOR, ID_COLOR, OOD_COLOR } from './colors';
import { ChartBox, fixed, rootProps } from './recharts-parts';

export interface IntervalRow {
  label: string;
  id: number;
  idErr: [number, number];
  ood: number;
  oodErr: [number, number];
  /** The far-OOD set's value and interval, when the run has one. */
  far?: number;
  farErr?: [number, number];
}

/** The legend in series order (ID, near, far), not recharts' default alphabetical one. */
const SERIES_ORDER = ['id', 'ood', 'far'];
const bySeries = (item: { dataKey?: unknown }) => SERIES_ORDER.indexOf(String(item.dataKey));

export default function IntervalChart({ rows }: { rows: IntervalRow[] }) {
  const far = rows.some((r) => r.far !== undefined);
  return (
    <ChartBox height={280}>
      <BarChart {...rootProps({ top: 8, right: 8, bottom: 0, left: 0 }, rows)}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="label"
          tick={{ fontSize: 11 }}
          interval={0}
          angle={-30}
          textAnchor="end"
          height={48}
        />
        <YAxis domain={[0, 1]} tick={{ fontSize: 12 }} width={40} />
        <Tooltip formatter={fixed(3)} />
        <Legend itemSorter={bySeries} />
        <Bar dataKey="id" name="ID test" fill={ID_COLOR} isAnimationActive={false}>
          <ErrorBar dataKey="idErr" width={4} stroke="#1d2330" />
        </Bar>
        <Bar
          dataKey="ood"
          name={far ? 'Near-OOD test' : 'OOD test'}
          fill={OOD_COLOR}
          isAnimationActive={false}
        >
          <ErrorBar dataKey="oodErr" width={4} stroke="#1d2330" />
        </Bar>
        {far ? (
          <Bar
            dataKey="far"
            name="Far-OOD test"
            className="bar-far"
            fill={FAR_COLOR}
            isAnimationActive={false}
          >
            <ErrorBar dataKey="farErr" width={4} stroke="#1d2330" />
          </Bar>
        ) : null}
      </BarChart>
    </ChartBox>
  );
}
