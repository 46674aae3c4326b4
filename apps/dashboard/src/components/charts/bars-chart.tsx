'use client';
/** A grouped bar chart of a few named series over categories (selection gains, run differences). */
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { seriesColor, tickLabel } from './colors';

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
    <ResponsiveContainer width="100%" height={260}>
      <BarChart
        accessibilityLayer={false}
        data={rows}
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey={category} tick={{ fontSize: 12 }} />
        <YAxis tick={{ fontSize: 12 }} width={56} tickFormatter={tickLabel} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} />
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
    </ResponsiveContainer>
  );
}
