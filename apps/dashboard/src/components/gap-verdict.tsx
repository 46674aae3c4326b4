/**
 * The Overview's verdict for one OOD split: the macro-F1 gap with its own interval and p-value, one plain
 * sentence saying what it means, and the next step with links to the pairs behind it; then every metric's gap
 * with its interval and p-value, each gap a link to the split's pairs with the largest errors.
 */
import { fmt, signed } from '../lib/format';
import { gapTest, type GapTest } from '../lib/gap-test';
import {
  METRIC_INFO,
  METRICS,
  type Interval,
  type MetricName,
  type SplitMetrics,
} from '../lib/report';
import { samplesHref } from '../lib/samples-query';
import { DataTable, numeric } from './data-table';
import { splitLabel } from './samples-filters';

const interval = (m: Interval) => `${fmt(m.value)} [${fmt(m.lo)}, ${fmt(m.hi)}]`;

/** The test of one metric's gap between ID test and an OOD split. */
export function metricGap(id: SplitMetrics, ood: SplitMetrics, m: MetricName): GapTest | null {
  return gapTest({ ...id[m], queries: id.queries }, { ...ood[m], queries: ood.queries });
}

/** Whether OOD is worse on a metric by this gap (ID − OOD). */
const worseOn = (m: MetricName, gap: number) => (METRIC_INFO[m].higherIsBetter ? gap > 0 : gap < 0);

/** The verdict's sentence and next step. */
function verdict(test: GapTest | null, split: string): { finding: string; next: string } {
  const name = splitLabel(split);
  if (test === null)
    return {
      finding: `The report has no intervals to test the macro-F1 gap on ${name}.`,
      next: 'Re-run the pipeline with resamples > 0 to get intervals.',
    };
  const size = `${fmt(Math.abs(test.gap))} macro-F1 (95% CI ${signed(test.lo)} to ${signed(test.hi)}, p = ${fmt(test.p)})`;
  if (test.p >= 0.05)
    return {
      finding: `No measurable gap: on ${name} macro-F1 differs from ID test by ${size}, within what sampling different queries alone produces.`,
      next: `Nothing to fix on macro-F1 yet. To tell a real gap from noise, gather more ${name} queries (the interval is ±${fmt((test.hi - test.lo) / 2)} wide); check the other metrics below and the Calibration view.`,
    };
  if (test.gap > 0)
    return {
      finding: `The model is measurably worse on shifted traffic: ${name} macro-F1 is lower by ${size}.`,
      next: 'Find where: open the slices with the largest gap, and the shifted pairs with the largest errors; then see whether a detector can flag them (Detectors).',
    };
  return {
    finding: `${name} is graded better than ID test, by ${size}: this shift does not hurt macro-F1.`,
    next: 'The shifted traffic is easier here; check calibration and over-recall below before trusting its probabilities.',
  };
}

export function GapVerdict({
  id,
  ood,
  split,
  run,
}: {
  id: SplitMetrics;
  ood: SplitMetrics;
  /** The OOD split's name in the report. */
  split: string;
  /** The run named in the URL, carried by the links. */
  run: string | undefined;
}) {
  const f1 = metricGap(id, ood, 'macro_f1');
  const { finding, next } = verdict(f1, split);
  const worstPairs = samplesHref({ run, split, sort: 'error', order: 'desc' });
  const slices = `/slices?${new URLSearchParams({ ...(run === undefined ? {} : { run }), sort: 'gap', order: 'desc' }).toString()}`;
  return (
    <section className="panel verdict" aria-labelledby={`verdict-${split}-h`} data-verdict={split}>
      <h2 id={`verdict-${split}-h`}>
        Verdict: ID test vs {splitLabel(split)} ({ood.n} pairs, {ood.queries} queries)
      </h2>
      <p data-verdict-finding>
        <strong>{finding}</strong>
      </p>
      <p>
        Next: {next} <a href={slices}>Slices by gap</a> ·{' '}
        <a href={worstPairs} data-drill="worst-pairs">
          {splitLabel(split)} pairs with the largest errors
        </a>
      </p>
      <DataTable
        name={`gap-${split}`}
        label={`Gap between ID test and ${splitLabel(split)}`}
        columns={[
          'Metric',
          numeric('ID test'),
          numeric(splitLabel(split)),
          numeric('Gap (ID − OOD) [95% CI]'),
          numeric('p'),
          'OOD is',
        ]}
      >
        {METRICS.map((m) => {
          const test = metricGap(id, ood, m);
          const gap = test?.gap ?? id[m].value - ood[m].value;
          const significant = test !== null && test.p < 0.05;
          const word = !significant ? 'no different' : worseOn(m, gap) ? 'worse' : 'better';
          return (
            <tr key={m}>
              <th scope="row">{METRIC_INFO[m].label}</th>
              <td className="num">
                <a href={samplesHref({ run, split: 'id_test', sort: 'error', order: 'desc' })}>
                  {interval(id[m])}
                </a>
              </td>
              <td className="num">{interval(ood[m])}</td>
              <td className="num">
                <a href={worstPairs} data-drill={`gap-${m}`}>
                  {signed(gap)}
                  {test === null ? '' : ` [${signed(test.lo)}, ${signed(test.hi)}]`}
                </a>
              </td>
              <td className="num">{test === null ? '–' : fmt(test.p)}</td>
              <td className={significant ? (word === 'worse' ? 'bad' : 'good') : undefined}>
                {word}
              </td>
            </tr>
          );
        })}
      </DataTable>
      <p className="note">
        Gap intervals and p-values: Welch&apos;s t from the two query-bootstrap intervals (ID and
        OOD queries are disjoint). Lower is better for ECE, RMSE and over-recall, so there a
        negative gap means OOD is worse. Each gap links to the {splitLabel(split)} pairs with the
        largest errors.
      </p>
    </section>
  );
}
