/**
 * The Overview's charts: ID vs OOD test for every metric with its 95% interval, and macro-F1 across training
 * stages 1 → 2 → 3 with its table.
 */
import { fmt, signed } from '../lib/format';
import {
  METRIC_INFO,
  METRICS,
  type Interval,
  type RunReport,
  type SplitMetrics,
} from '../lib/report';
import { ChartFrame } from './charts/chart-frame';
import { IntervalChart, StagesChart } from './charts/lazy';
import { DataTable, numeric } from './data-table';
import { splitLabel } from './samples-filters';

const err = (m: Interval): [number, number] => [
  Math.max(0, m.value - (m.lo ?? m.value)),
  Math.max(0, (m.hi ?? m.value) - m.value),
];

const STAGES = ['stage1', 'stage2', 'stage3'] as const;

/** ID vs OOD test for every metric, each with its 95% query-bootstrap interval. */
export function MetricsSection({ report }: { report: RunReport }) {
  const { splits } = report;
  if (splits === null) return null;
  return (
    <section className="panel" aria-labelledby="metrics-h">
      <h2 id="metrics-h">
        ID vs {report.oodSets.length > 1 ? 'near-OOD' : 'OOD'} test, 95% query-bootstrap intervals
      </h2>
      {report.oodSets.length > 1 ? (
        <p className="note">
          The far-OOD set's figures, gaps and grade mix are in its verdict card above; it was judged
          under other guidelines, so it is not drawn beside ID test here.
        </p>
      ) : null}
      <ChartFrame
        name="overview-metrics"
        points={METRICS.length * 2}
        caption={`ID test: ${splits.id.n} pairs, ${splits.id.queries} queries · OOD test: ${splits.ood.n} pairs, ${splits.ood.queries} queries`}
        summary={METRICS.map(
          (m) =>
            `${METRIC_INFO[m].label}: ID ${fmt(splits.id[m].value)}, OOD ${fmt(splits.ood[m].value)}`,
        ).join('; ')}
      >
        <IntervalChart
          rows={METRICS.map((m) => ({
            label: METRIC_INFO[m].label,
            id: splits.id[m].value,
            idErr: err(splits.id[m]),
            ood: splits.ood[m].value,
            oodErr: err(splits.ood[m]),
          }))}
        />
      </ChartFrame>
    </section>
  );
}

/** Macro-F1 across stages 1 → 2 → 3, as a chart and a table, against the ID test interval. */
export function StagesSection({
  stages,
  id,
}: {
  stages: NonNullable<RunReport['stages']>;
  id: SplitMetrics | undefined;
}) {
  return (
    <section className="panel" aria-labelledby="stages-h">
      <h2 id="stages-h">Macro-F1 across stages 1 → 2 → 3</h2>
      <p className="note">
        Stage 1 trains on ID data; stage 2 fine-tunes on ID ∪ the selected pool pairs; stage 3
        interpolates their weights with α = {fmt(stages.alpha, 2)} (0 keeps stage 1, 1 keeps stage
        2).{' '}
        {id === undefined
          ? ''
          : `Differences smaller than the ID test interval (±${fmt(((id.macro_f1.hi ?? 0) - (id.macro_f1.lo ?? 0)) / 2)}) are within sampling noise.`}
      </p>
      <div className="grid">
        <ChartFrame
          name="overview-stages"
          points={9}
          caption="Macro-F1 by stage, on a 0–1 scale"
          summary={STAGES.map(
            (s, i) =>
              `stage ${i + 1}: ID ${fmt(stages[s].id_test_macro_f1)}, OOD ${fmt(stages[s].ood_test_macro_f1)}`,
          ).join('; ')}
        >
          <StagesChart
            rows={STAGES.map((s, i) => ({
              stage: `Stage ${i + 1}`,
              id_validation: stages[s].id_validation_macro_f1,
              id_test: stages[s].id_test_macro_f1,
              ood_test: stages[s].ood_test_macro_f1,
            }))}
          />
        </ChartFrame>
        <DataTable
          name="stages"
          label="Macro-F1 by stage"
          columns={['Stage', numeric('ID test'), numeric(splitLabel('ood_test')), numeric('Gap')]}
        >
          {STAGES.map((s, i) => (
            <tr key={s}>
              <th scope="row">Stage {i + 1}</th>
              <td className="num">{fmt(stages[s].id_test_macro_f1, 4)}</td>
              <td className="num">{fmt(stages[s].ood_test_macro_f1, 4)}</td>
              <td className="num">
                {signed(stages[s].id_test_macro_f1 - stages[s].ood_test_macro_f1, 4)}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
    </section>
  );
}
