'use client';
/** A grouped bar chart of a few named series over categories (selection gains, run differences). */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { seriesColor, tickLabel } from './colors';
import { ChartBox, fixed, rootProps } from './recharts-parts';

export interface BarsSeries {
  key: string;
  label: string;
}

export default function BarsChart({
  rows,
  series,
  category,
}: {
  rows: Record<string, string | number>[];
  series: BarsSeries[];
  category: string;
}) {
  return (
    <ChartBox height={260}>
      <BarChart {...rootProps({ top: 8, right: 16, bottom: 0, left: 8 }, rows)}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey={category} tick={{ fontSize: 12 }} />
        <YAxis tick={{ fontSize: 12 }} width={56} tickFormatter={tickLabel} />
        <Tooltip formatter={fixed(4)} />
        <Legend />
        <ReferenceLine y={0} stroke="#1d2330" />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={seriesColor(i)}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartBox>
  );
}
