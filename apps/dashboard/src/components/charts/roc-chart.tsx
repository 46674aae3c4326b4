'use client';
/** ROC curves of every detector (OOD is the positive class). */
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

import { seriesColor, seriesDash } from './colors';

export interface RocSeries {
  name: string;
  points: { fpr: number; tpr: number }[];
}

export default function RocChart({ series }: { series: RocSeries[] }) {
  return (
    <ResponsiveContainer width="100%" height={300}>
      <LineChart accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 16, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="fpr"
          type="number"
          domain={[0, 1]}
          tick={{ fontSize: 12 }}
          label={{
            value: 'false positive rate',
            position: 'insideBottom',
            offset: -8,
            fontSize: 12,
          }}
        />
        <YAxis dataKey="tpr" type="number" domain={[0, 1]} tick={{ fontSize: 12 }} width={40} />
        <Tooltip
          formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))}
          labelFormatter={(v) => `FPR ${Number(v).toFixed(3)}`}
        />
        <Legend verticalAlign="top" />
        <Line
          data={[
            { fpr: 0, tpr: 0 },
            { fpr: 1, tpr: 1 },
          ]}
          dataKey="tpr"
          name="chance"
          stroke="#b0b6c2"
          strokeDasharray="4 4"
          dot={false}
          legendType="none"
          isAnimationActive={false}
        />
        {series.map((s, i) => (
          <Line
            key={s.name}
            data={s.points}
            dataKey="tpr"
            name={s.name}
            stroke={seriesColor(i)}
            strokeDasharray={seriesDash(i)}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
