'use client';
/** ROC curves of every detector (OOD is the positive class). */
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

import { seriesColor, seriesDash } from './colors';
import { ChartBox, diagonal, fixed, rootProps, unitAxis } from './recharts-parts';

export interface RocSeries {
  name: string;
  points: { fpr: number; tpr: number }[];
}

export default function RocChart({ series }: { series: RocSeries[] }) {
  return (
    <ChartBox height={300}>
      <LineChart {...rootProps({ top: 8, right: 16, bottom: 16, left: 0 })}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...unitAxis('fpr', 'false positive rate')} />
        <YAxis {...unitAxis('tpr')} width={40} />
        <Tooltip formatter={fixed(3)} labelFormatter={(v) => `FPR ${Number(v).toFixed(3)}`} />
        <Legend verticalAlign="top" />
        <Line {...diagonal('fpr', 'tpr')} name="chance" stroke="#b0b6c2" legendType="none" />
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
    </ChartBox>
  );
}
