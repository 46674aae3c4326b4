'use client';
/** Macro-F1 of each split across stages 1 → 2 → 3. */
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';

import { ID_COLOR, OOD_COLOR } from './colors';
import { ChartBox, fixed, rootProps } from './recharts-parts';

export interface StageRow {
  stage: string;
  id_validation: number;
  id_test: number;
  ood_test: number;
}

export default function StagesChart({ rows }: { rows: StageRow[] }) {
  return (
    <ChartBox height={260}>
      <LineChart {...rootProps({ top: 8, right: 16, bottom: 0, left: 0 }, rows)}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="stage" tick={{ fontSize: 12 }} />
        {/* The full 0–1 scale: a 0.004 change between stages should look as small as it is. */}
        <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tick={{ fontSize: 12 }} width={40} />
        <Tooltip formatter={fixed(4)} />
        <Legend />
        <Line
          dataKey="id_test"
          name="ID test"
          stroke={ID_COLOR}
          strokeWidth={2}
          isAnimationActive={false}
        />
        <Line
          dataKey="ood_test"
          name="OOD test"
          stroke={OOD_COLOR}
          strokeWidth={2}
          strokeDasharray="8 3"
          isAnimationActive={false}
        />
        <Line
          dataKey="id_validation"
          name="ID validation"
          stroke="#7f7f7f"
          strokeDasharray="4 3"
          isAnimationActive={false}
        />
      </LineChart>
    </ChartBox>
  );
}
