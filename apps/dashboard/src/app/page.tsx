/** Overview: ID vs OOD for every metric with intervals, the gap, and how it moved across stages 1 → 2 → 3. */
import { ChartFrame } from '../components/charts/chart-frame';
import { IntervalChart, StagesChart } from '../components/charts/lazy';
import { DataTable, numeric } from '../components/data-table';
import { RunView } from '../components/run-view';
import { MissingSection } from '../components/states';
import { fmt, signed } from '../lib/format';
import { param, type SearchParams } from '../lib/load-run';
import { METRIC_INFO, METRICS, type Interval } from '../lib/report';

const interval = (m: Interval) => `${fmt(m.value)} [${fmt(m.lo)}, ${fmt(m.hi)}]`;
const err = (m: Interval): [number, number] => [
  Math.max(0, m.value - (m.lo ?? m.value)),
  Math.max(0, (m.hi ?? m.value) - m.value),
];

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <RunView
      title="Overview"
      lead="How much worse is the model on shifted traffic, and did training stages 2 and 3 close the gap?"
      run={param(await searchParams, 'run')}
    >
      {({ report: { splits, gap, stages } }) => (
        <>
          {splits === null ? (
            <MissingSection what="ID / OOD test metrics" />
          ) : (
            <div className="grid">
              <section className="panel" aria-labelledby="metrics-h">
                <h2 id="metrics-h">ID vs OOD test, 95% query-bootstrap intervals</h2>
                <ChartFrame
                  name="overview-metrics"
                  points={METRICS.length * 2}
                  caption={`ID test: ${splits.id.n} pairs, ${splits.id.queries} queries · OOD test: ${splits.ood.n} pairs, ${splits.ood.queries} queries`}
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
              <section className="panel" aria-labelledby="gap-h">
                <h2 id="gap-h">The gap (ID − OOD)</h2>
                <DataTable
                  name="gap"
                  columns={['Metric', numeric('ID test'), numeric('OOD test'), numeric('Gap')]}
                >
                  {METRICS.map((m) => {
                    const g = gap?.[m] ?? splits.id[m].value - splits.ood[m].value;
                    // A positive gap means OOD is worse for higher-is-better metrics.
                    const worse = METRIC_INFO[m].higherIsBetter ? g > 0 : g < 0;
                    return (
                      <tr key={m}>
                        <th scope="row">{METRIC_INFO[m].label}</th>
                        <td className="num">{interval(splits.id[m])}</td>
                        <td className="num">{interval(splits.ood[m])}</td>
                        <td className={`num ${worse ? 'bad' : 'good'}`}>{signed(g)}</td>
                      </tr>
                    );
                  })}
                </DataTable>
                <p className="note">
                  Red: OOD is worse. Lower is better for ECE, RMSE and over-recall.
                </p>
              </section>
            </div>
          )}
          {stages === null ? (
            <MissingSection what="training stages" />
          ) : (
            <section className="panel" aria-labelledby="stages-h">
              <h2 id="stages-h">Macro-F1 across stages 1 → 2 → 3</h2>
              <p className="note">
                Stage 1 trains on ID data; stage 2 fine-tunes on ID ∪ the selected pool pairs; stage
                3 interpolates their weights (α = {fmt(stages.alpha, 2)}).
              </p>
              <div className="grid">
                <ChartFrame name="overview-stages" points={9} caption="Macro-F1 by stage">
                  <StagesChart
                    rows={(['stage1', 'stage2', 'stage3'] as const).map((s, i) => ({
                      stage: `Stage ${i + 1}`,
                      id_validation: stages[s].id_validation_macro_f1,
                      id_test: stages[s].id_test_macro_f1,
                      ood_test: stages[s].ood_test_macro_f1,
                    }))}
                  />
                </ChartFrame>
                <DataTable
                  name="stages"
                  columns={['Stage', numeric('ID test'), numeric('OOD test'), numeric('Gap')]}
                >
                  {(['stage1', 'stage2', 'stage3'] as const).map((s, i) => (
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
          )}
        </>
      )}
    </RunView>
  );
}
