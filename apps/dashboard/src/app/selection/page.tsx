/**
 * Selection: what to annotate next (the queue with each pick's reason, 50 picks a page), and whether it beats
 * random and uncertainty.
 */
import { BudgetCurveSection } from '../../components/budget-curve';
import { DecisionNote } from '../../components/decision-note';
import { ChartFrame } from '../../components/charts/chart-frame';
import { BarsChart } from '../../components/charts/lazy';
import { DataTable, numeric } from '../../components/data-table';
import { RunView } from '../../components/run-view';
import { MissingSection } from '../../components/states';
import { count, fmt, pct, signed } from '../../lib/format';
import { param, type LoadedRun, type SearchParams } from '../../lib/load-run';
import type { RunReport } from '../../lib/report';
import { getQueue, type QueueItem } from '../../lib/selection-queue';
import { Glossary } from '../../components/glossary';

const QUEUE_PAGE = 50;

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

export default async function SelectionPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const pageParam = Number(param(params, 'page') ?? '1');
  return (
    <RunView
      title="Selection"
      lead="What should we annotate next? The distribution-aware queue, and how it compares with random and uncertainty picks."
      run={param(params, 'run')}
      load={({ id }) => getQueue(id)}
    >
      {(loaded, queue) => (
        <SelectionView
          loaded={loaded}
          queue={queue}
          page={Number.isInteger(pageParam) && pageParam > 0 ? pageParam : 1}
          run={param(params, 'run')}
        />
      )}
    </RunView>
  );
}

function SelectionView({
  loaded,
  queue,
  page,
  run,
}: {
  loaded: LoadedRun;
  queue: QueueItem[];
  page: number;
  run: string | undefined;
}) {
  const { budget } = loaded.report;
  const exportHref = (format: string) =>
    `/selection/export?run=${encodeURIComponent(loaded.id)}&format=${format}`;
  return (
    <>
      {loaded.report.budgetCurve === null ? null : (
        <BudgetCurveSection curve={loaded.report.budgetCurve} />
      )}
      <StrategyComparison report={loaded.report} />
      <section className="panel" aria-labelledby="queue-h">
        <h2 id="queue-h">
          Annotation queue: <span data-queue-size={queue.length}>{count(queue.length)}</span> picks
          {budget === null
            ? ''
            : ` (${pct(budget.fraction, 0)} of a pool of ${count(budget.pool)})`}
        </h2>
        <p className="filters">
          <a className="button" href={exportHref('csv')} download>
            Export CSV
          </a>
          <a className="button secondary" href={exportHref('jsonl')} download>
            Export JSONL
          </a>
        </p>
        <DecisionNote
          decision={loaded.report.decision?.rule ?? null}
          grades={loaded.report.gradeNames}
        />
        <QueuePage queue={queue} page={page} run={run} grades={loaded.report.gradeNames} />
        <Glossary terms={['fused percentile', 'entropy']} />
      </section>
    </>
  );
}

/** The gains chart and table of the selection strategies, and the paired test against random. */
function StrategyComparison({ report }: { report: RunReport }) {
  const { selection, comparison } = report;
  if (selection === null) return <MissingSection what="selection comparison" />;
  const strategies = Object.entries(selection);
  return (
    <div className="grid">
      <section className="panel" aria-labelledby="compare-h">
        <h2 id="compare-h">Gain in OOD test macro-F1 over stage 1, by strategy</h2>
        <ChartFrame
          name="selection-gains"
          points={strategies.length * 2}
          caption="Mean over seeds; stage 2 = fine-tuned on the picks, stage 3 = interpolated"
        >
          <BarsChart
            category="strategy"
            series={[
              { key: 'stage2', label: 'Stage 2' },
              { key: 'stage3', label: 'Stage 3' },
            ]}
            rows={strategies.map(([name]) => ({
              strategy: name,
              stage2: comparison?.gains[name]?.stage2_ood_macro_f1_gain ?? 0,
              stage3: comparison?.gains[name]?.stage3_ood_macro_f1_gain ?? 0,
            }))}
          />
        </ChartFrame>
      </section>
      <section className="panel" aria-labelledby="strategies-h">
        <h2 id="strategies-h">Strategies</h2>
        <DataTable
          name="strategies"
          columns={[
            'Strategy',
            ...['Seeds', 'Picked', 'Stage 2 OOD F1', 'Stage 3 OOD F1', 'Gain (stage 3)'].map(
              numeric,
            ),
          ]}
        >
          {strategies.map(([name, runs]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="num">{runs.length}</td>
              <td className="num">{fmt(mean(runs.map((r) => r.picked)), 0)}</td>
              <td className="num">{fmt(mean(runs.map((r) => r.stage2.ood_test_macro_f1)), 4)}</td>
              <td className="num">{fmt(mean(runs.map((r) => r.stage3.ood_test_macro_f1)), 4)}</td>
              <td className="num">
                {signed(comparison?.gains[name]?.stage3_ood_macro_f1_gain, 4)}
              </td>
            </tr>
          ))}
        </DataTable>
        <PairedNote comparison={comparison} />
      </section>
    </div>
  );
}

/** Distribution-aware vs random, paired over the OOD test queries, and what it means. */
function PairedNote({ comparison }: { comparison: RunReport['comparison'] }) {
  const paired = comparison?.paired_distribution_aware_vs_random ?? null;
  if (paired === null) return null;
  return (
    <p className="note" data-paired>
      Distribution-aware vs random, paired over {count(paired.queries)} OOD test queries: mean
      difference {signed(paired.mean_difference, 4)} (95% CI {signed(paired.bootstrap_ci[0], 4)} to{' '}
      {signed(paired.bootstrap_ci[1], 4)}), t-test p = {fmt(paired.t_test_p)}, sign-flip p ={' '}
      {fmt(paired.sign_flip_p)}.{' '}
      {comparison?.distribution_aware_beats_random !== true
        ? 'Distribution-aware selection gains no more OOD macro-F1 than random on this run.'
        : paired.sign_flip_p < 0.05
          ? 'Distribution-aware selection gains more OOD macro-F1 than random, and the paired difference is significant at 5%.'
          : 'Distribution-aware selection gains more OOD macro-F1 than random on this run, but the paired difference is not significant at 5%: it may be seed noise.'}
    </p>
  );
}

/** One page of the queue (50 picks) with each pick's reason, and the pager. */
function QueuePage({
  queue,
  page: requested,
  run,
  grades,
}: {
  queue: QueueItem[];
  page: number;
  run: string | undefined;
  grades: readonly string[];
}) {
  const pages = Math.max(1, Math.ceil(queue.length / QUEUE_PAGE));
  const page = Math.min(requested, pages);
  const shown = queue.slice((page - 1) * QUEUE_PAGE, page * QUEUE_PAGE);
  const pageHref = (n: number) =>
    `/selection?${new URLSearchParams({ ...(run === undefined ? {} : { run }), page: String(n) }).toString()}`;
  return (
    <>
      {queue.length === 0 ? (
        <p role="status">
          This run picked nothing from its pool (seed 0 of distribution-aware selection).
        </p>
      ) : (
        <QueueTable shown={shown} grades={grades} />
      )}
      {pages > 1 ? (
        <nav className="pager" aria-label="Queue pages">
          {page > 1 ? (
            <a href={pageHref(page - 1)} rel="prev">
              ← Previous
            </a>
          ) : null}
          <span className="muted">
            picks {(page - 1) * QUEUE_PAGE + 1}–{(page - 1) * QUEUE_PAGE + shown.length} of{' '}
            {count(queue.length)} (page {page} of {pages})
          </span>
          {page < pages ? (
            <a href={pageHref(page + 1)} rel="next">
              Next →
            </a>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function QueueTable({ shown, grades }: { shown: QueueItem[]; grades: readonly string[] }) {
  return (
    <DataTable
      name="queue"
      columns={[
        numeric('#'),
        'Query',
        'Item',
        'Predicted',
        ...['Fused percentile', 'Cluster'].map(numeric),
        'Why it was picked',
      ]}
    >
      {shown.map((q) => (
        <tr key={q.id}>
          <td className="num">{q.rank}</td>
          <td className="text-cell">{q.query}</td>
          <td className="text-cell">{q.item}</td>
          <td>{grades[q.predicted] ?? q.predicted}</td>
          <td className="num">{fmt(q.fusedPercentile)}</td>
          <td className="num">{q.cluster ?? '–'}</td>
          <td>
            {q.summary}
            {q.detectors.length === 0 ? null : (
              <div className="muted">
                {q.detectors.map((d) => `${d.kind} ${pct(d.percentile)}`).join(' · ')}
              </div>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
