/**
 * The Overview's charts: ID vs OOD test (near, and far when the run has a far set) for every metric with its
 * 95% interval, and macro-F1 across training stages 1 → 2 → 3 with its table.
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

/** A split's size, as the metrics chart's caption gives it. */
const sizeOf = (name: string, m: SplitMetrics) => `${name}: ${m.n} pairs, ${m.queries} queries`;

/**
 * ID vs OOD test for every metric, each with its 95% query-bootstrap interval; the far-OOD set beside near
 * when the run has one (report.json `splits.far_test`).
 */
export function MetricsSection({ report }: { report: RunReport }) {
  const { splits } = report;
  if (splits === null) return null;
  const far = report.testSplits['far_test'];
  const sets = report.oodSets.length > 1;
  const ood = far === undefined ? 'OOD' : 'near OOD';
  return (
    <section className="panel" aria-labelledby="metrics-h">
      <h2 id="metrics-h">
        ID vs {far !== undefined ? 'near- and far-OOD' : sets ? 'near-OOD' : 'OOD'} test, 95%
        query-bootstrap intervals
      </h2>
      {far !== undefined ? (
        <p className="note" data-far-note>
          Near and far OOD were judged under different guidelines, with different grade mixes: read
          each against ID test, never the two sets against each other. The far set&apos;s gaps and
          grade mix are in its verdict card above.
        </p>
      ) : sets ? (
        <p className="note">
          The far-OOD set's figures, gaps and grade mix are in its verdict card above; it was judged
          under other guidelines, so it is not drawn beside ID test here.
        </p>
      ) : null}
      <ChartFrame
        name="overview-metrics"
        points={METRICS.length * (far === undefined ? 2 : 3)}
        caption={[
          sizeOf('ID test', splits.id),
          sizeOf(far === undefined ? 'OOD test' : 'near-OOD test', splits.ood),
          ...(far === undefined ? [] : [sizeOf('far-OOD test', far)]),
        ].join(' · ')}
        summary={METRICS.map(
          (m) =>
            `${METRIC_INFO[m].label}: ID ${fmt(splits.id[m].value)}, ${ood} ${fmt(splits.ood[m].value)}${far === undefined ? '' : `, far OOD ${fmt(far[m].value)}`}`,
        ).join('; ')}
      >
        <IntervalChart
          rows={METRICS.map((m) => ({
            label: METRIC_INFO[m].label,
            id: splits.id[m].value,
            idErr: err(splits.id[m]),
            ood: splits.ood[m].value,
            oodErr: err(splits.ood[m]),
            ...(far === undefined ? {} : { far: far[m].value, farErr: err(far[m]) }),
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
  far,
}: {
  stages: NonNullable<RunReport['stages']>;
  id: SplitMetrics | undefined;
  /** Whether the run has a far-OOD set (its stages are measured on the near set only). */
  far: boolean;
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
      {far ? (
        <p className="note" data-stages-near-only>
          OOD test here is the near set: the run records the far set&apos;s figures for its final
          model (the chart above), not for each stage.
        </p>
      ) : null}
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
