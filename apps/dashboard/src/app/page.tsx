/**
 * Overview: a verdict per OOD split (the gap with its own interval and p-value, what it means, what to do next,
 * links to the pairs behind it), ID vs OOD for every metric with intervals, and how macro-F1 moved across
 * training stages 1 → 2 → 3.
 */
import { ChartFrame } from '../components/charts/chart-frame';
import { IntervalChart, StagesChart } from '../components/charts/lazy';
import { DataTable, numeric } from '../components/data-table';
import { GapVerdict } from '../components/gap-verdict';
import { Glossary } from '../components/glossary';
import { RunView } from '../components/run-view';
import { splitLabel } from '../components/samples-filters';
import { OodSetVerdict } from '../components/ood-set-verdict';
import { MissingSection } from '../components/states';
import { fmt, signed } from '../lib/format';
import { param, type SearchParams } from '../lib/load-run';
import { METRIC_INFO, METRICS, oodSplitNames, type Interval, type RunReport } from '../lib/report';

const err = (m: Interval): [number, number] => [
  Math.max(0, m.value - (m.lo ?? m.value)),
  Math.max(0, (m.hi ?? m.value) - m.value),
];

/** A verdict card per OOD set (near, far), after the sentence on their guidelines. */
function OodSetVerdicts({ report, run }: { report: RunReport; run: string | undefined }) {
  return (
    <>
      {report.oodSets.length > 1 ? (
        <p className="callout" data-guidelines-note>
          Near and far OOD were judged under different guidelines (the training file&apos;s and
          another retailer&apos;s), with different grade mixes: compare each set with ID test, never
          the two sets with each other. Each card shows both grade mixes.
        </p>
      ) : null}
      {report.oodSets.map((set) => (
        <OodSetVerdict
          key={set.kind}
          set={set}
          grades={report.gradeNames}
          sameGuidelines={set.source.path === report.sourcePath}
          run={run}
        />
      ))}
    </>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const run = param(await searchParams, 'run');
  return (
    <RunView
      title="Overview"
      lead="How much worse is the model on shifted traffic, and did training stages 2 and 3 close the gap?"
      run={run}
    >
      {({ report }) => {
        const { splits, stages, testSplits } = report;
        const id = testSplits['id_test'];
        const oodNames = oodSplitNames(report);
        return (
          <>
            {report.oodSets.length > 0 ? (
              <OodSetVerdicts report={report} run={run} />
            ) : id === undefined || oodNames.length === 0 ? (
              <MissingSection what="ID / OOD test metrics" />
            ) : (
              oodNames.map((name) => {
                const ood = testSplits[name];
                return ood === undefined ? null : (
                  <GapVerdict key={name} id={id} ood={ood} split={name} run={run} />
                );
              })
            )}
            {splits === null ? null : (
              <section className="panel" aria-labelledby="metrics-h">
                <h2 id="metrics-h">
                  ID vs {report.oodSets.length > 1 ? 'near-OOD' : 'OOD'} test, 95% query-bootstrap
                  intervals
                </h2>
                {report.oodSets.length > 1 ? (
                  <p className="note">
                    The far-OOD set's figures, gaps and grade mix are in its verdict card above; it
                    was judged under other guidelines, so it is not drawn beside ID test here.
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
            )}
            {stages === null ? (
              <MissingSection what="training stages" />
            ) : (
              <section className="panel" aria-labelledby="stages-h">
                <h2 id="stages-h">Macro-F1 across stages 1 → 2 → 3</h2>
                <p className="note">
                  Stage 1 trains on ID data; stage 2 fine-tunes on ID ∪ the selected pool pairs;
                  stage 3 interpolates their weights with α = {fmt(stages.alpha, 2)} (0 keeps stage
                  1, 1 keeps stage 2).{' '}
                  {id === undefined
                    ? ''
                    : `Differences smaller than the ID test interval (±${fmt(((id.macro_f1.hi ?? 0) - (id.macro_f1.lo ?? 0)) / 2)}) are within sampling noise.`}
                </p>
                <div className="grid">
                  <ChartFrame
                    name="overview-stages"
                    points={9}
                    caption="Macro-F1 by stage, on a 0–1 scale"
                    summary={(['stage1', 'stage2', 'stage3'] as const)
                      .map(
                        (s, i) =>
                          `stage ${i + 1}: ID ${fmt(stages[s].id_test_macro_f1)}, OOD ${fmt(stages[s].ood_test_macro_f1)}`,
                      )
                      .join('; ')}
                  >
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
                    label="Macro-F1 by stage"
                    columns={[
                      'Stage',
                      numeric('ID test'),
                      numeric(splitLabel('ood_test')),
                      numeric('Gap'),
                    ]}
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
            <Glossary
              terms={[
                'gap',
                'interval',
                'p-value',
                'over-recall',
                'α',
                'AUROC',
                'calibrated threshold',
              ]}
            />
          </>
        );
      }}
    </RunView>
  );
}
