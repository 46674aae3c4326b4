'use client';
/** A reliability diagram: accuracy per confidence bin against the diagonal of perfect calibration. */
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export interface ReliabilityPoint {
  confidence: number;
  accuracy: number;
  count: number;
}

export default function ReliabilityChart({
  points,
  color,
}: {
  points: ReliabilityPoint[];
  color: string;
}) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart
        accessibilityLayer={false}
        data={points}
        margin={{ top: 8, right: 16, bottom: 16, left: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis
          dataKey="confidence"
          type="number"
          domain={[0, 1]}
          tick={{ fontSize: 12 }}
          label={{ value: 'mean confidence', position: 'insideBottom', offset: -8, fontSize: 12 }}
        />
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
          fill={color}
          barSize={14}
          isAnimationActive={false}
        />
        <Line
          data={[
            { confidence: 0, accuracy: 0 },
            { confidence: 1, accuracy: 1 },
          ]}
          dataKey="accuracy"
          name="perfect calibration"
          stroke="#7f7f7f"
          strokeDasharray="4 4"
          dot={false}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
