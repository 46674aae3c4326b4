'use client';
/** A reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration. */
import { Bar, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from 'recharts';

import { ChartBox, diagonal, rootProps, unitAxis } from './recharts-parts';

export interface ReliabilityPoint {
  confidence: number;
  accuracy: number;
  count: number;
}

export default function ReliabilityChart(props: { points: ReliabilityPoint[]; color: string }) {
  return (
    <ChartBox height={260}>
      <ComposedChart {...rootProps({ top: 8, right: 16, bottom: 16, left: 0 }, props.points)}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis {...unitAxis('confidence', 'mean confidence')} />
        <YAxis type="number" domain={[0, 1]} tick={{ fontSize: 12 }} width={40} />
        <Tooltip
          formatter={(v, name) =>
            typeof v === 'number' && name !== 'pairs' ? v.toFixed(3) : String(v)
          }
          labelFormatter={(v) => `confidence ${Number(v).toFixed(3)}`}
        />
        <Bar
          dataKey="accuracy"
          name="accuracy"
          fill={props.color}
          barSize={14}
          isAnimationActive={false}
        />
        <Line {...diagonal('confidence', 'accuracy')} name="perfect calibration" stroke="#7f7f7f" />
      </ComposedChart>
    </ChartBox>
  );
}
