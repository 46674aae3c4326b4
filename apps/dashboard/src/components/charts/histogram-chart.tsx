'use client';
/** Score histograms of the ID and OOD test sets (share of each set per bin), with the threshold marked. */
// The series and threshold marker, then the frame every chart shares.
import { Area, AreaChart, ReferenceLine } from 'recharts';
import { CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';

import { ID_COLOR, OOD_COLOR } from './colors';
import { ChartBox, rootProps } from './recharts-parts';

export interface HistogramBin {
  x: number;
  id: number;
  ood: number;
}

const percent = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : String(v));

export default function HistogramChart(props: { bins: HistogramBin[]; threshold: number }) {
  return (
    <ChartBox height={260}>
      <AreaChart {...rootProps({ top: 20, right: 16, bottom: 0, left: 0 }, props.bins)}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="x"
          type="number"
          domain={['dataMin', 'dataMax']}
          tick={{ fontSize: 12 }}
          tickFormatter={(v: number) => v.toPrecision(3)}
        />
        <YAxis
          tick={{ fontSize: 12 }}
          width={44}
          tickFormatter={(v: number) => `${Math.round(v * 100)}%`}
        />
        <Tooltip
          labelFormatter={(v) => `score ≈ ${Number(v).toPrecision(4)}`}
          formatter={percent}
        />
        <Legend />
        <Area
          type="step"
          dataKey="id"
          name="ID test"
          stroke={ID_COLOR}
          fill={ID_COLOR}
          fillOpacity={0.3}
          isAnimationActive={false}
        />
        <Area
          type="step"
          dataKey="ood"
          name="OOD test (dashed)"
          stroke={OOD_COLOR}
          strokeDasharray="6 3"
          strokeWidth={2}
          fill={OOD_COLOR}
          fillOpacity={0.3}
          isAnimationActive={false}
        />
        <ReferenceLine
          x={props.threshold}
          stroke="#c23b3b"
          strokeWidth={2}
          label={{ value: 'threshold', fontSize: 11, position: 'top' }}
        />
      </AreaChart>
    </ChartBox>
  );
}
