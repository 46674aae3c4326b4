/** Calibration: reliability diagrams for ID and OOD, ECE and over-recall with their intervals. */
import { ChartFrame } from '../../components/charts/chart-frame';
import { ID_COLOR, OOD_COLOR } from '../../components/charts/colors';
import { ReliabilityChart } from '../../components/charts/lazy';
import { Glossary } from '../../components/glossary';
import { RunView } from '../../components/run-view';
import { MissingSection } from '../../components/states';
import { count, fmt } from '../../lib/format';
import { param, type SearchParams } from '../../lib/load-run';
import type { Interval, SplitMetrics } from '../../lib/report';

const withInterval = (m: Interval) => `${fmt(m.value)} [${fmt(m.lo)}, ${fmt(m.hi)}]`;

function SplitPanel({ name, split, color }: { name: string; split: SplitMetrics; color: string }) {
  const bins = (split.reliability ?? []).filter((b) => b.count > 0);
  const slug = name.toLowerCase().replace(/\s+/g, '-');
  return (
    <section className="panel" aria-labelledby={`${slug}-h`}>
      <h2 id={`${slug}-h`}>{name}</h2>
      <dl className="kpis">
        <div className="kpi">
          <dt>ECE</dt>
          <dd data-kpi={`${slug}-ece`}>{withInterval(split.ece)}</dd>
        </div>
        <div className="kpi">
          <dt>Over-recall</dt>
          <dd data-kpi={`${slug}-over-recall`}>{withInterval(split.over_recall)}</dd>
        </div>
        <div className="kpi">
          <dt>Pairs</dt>
          <dd>{count(split.n)}</dd>
        </div>
      </dl>
      {bins.length === 0 ? (
        <MissingSection what="reliability bins" />
      ) : (
        <ChartFrame
          name={`reliability-${slug}`}
          points={bins.length}
          caption={`Accuracy of the predicted grade per confidence bin (${bins.length} non-empty bins); bars under the diagonal are over-confident`}
        >
          <ReliabilityChart
            color={color}
            points={bins.map((b) => ({
              confidence: b.meanConfidence,
              accuracy: b.accuracy,
              count: b.count,
            }))}
          />
        </ChartFrame>
      )}
    </section>
  );
}

export default async function CalibrationPage({ searchParams }: { searchParams: SearchParams }) {
  return (
    <RunView
      title="Calibration"
      lead="Do the grade probabilities mean what they say, in distribution and under shift?"
      run={param(await searchParams, 'run')}
    >
      {({ report: { splits } }) =>
        splits === null ? (
          <MissingSection what="ID / OOD test metrics" />
        ) : (
          <>
            <div className="grid">
              <SplitPanel name="ID test" split={splits.id} color={ID_COLOR} />
              <SplitPanel name="OOD test" split={splits.ood} color={OOD_COLOR} />
            </div>
            <p className="note">
              ECE: expected calibration error of the top-grade confidence (lower is better).
              Over-recall: share of irrelevant pairs the model grades as relevant (lower is better).
              Intervals: 95% query bootstrap.
            </p>
            <Glossary terms={['ECE', 'over-recall', 'interval']} />
          </>
        )
      }
    </RunView>
  );
}
