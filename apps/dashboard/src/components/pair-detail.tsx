/**
 * One pair in full: its texts, true and predicted grade, each grade's probability as a number, the expected
 * grade and error, the decision rule that turned the probabilities into the grade, and each detector's score
 * with its threshold, flag and percentile among the ID test pairs, and the nearest training pairs.
 */
import { fmt, pct } from '../lib/format';
import type { Decision } from '../lib/report';
import type { RouterOutputs } from '../trpc/server';
import { DataTable, numeric } from './data-table';
import { Glossary } from './glossary';
import { NearestTrainingPairs } from './nearest-training-pairs';
import { SplitBadge } from './samples-table';

type Row = RouterOutputs['runs']['predictions']['rows'][number];

/** The decision rule in words, with this pair's numbers where the rule uses them. */
function ruleText(decision: Decision | null, grades: readonly string[], row: Row): string {
  if (decision === null) return 'The run does not record its decision rule.';
  const { rule } = decision;
  if (rule.kind === 'argmax') return 'The most probable grade is the predicted grade.';
  if (rule.kind === 'ordinal-thresholds' && rule.lowestAt !== undefined) {
    const p0 = row.probs[0] ?? 0;
    const over = p0 >= rule.lowestAt;
    const first = `${grades[0] ?? 0} when its probability is at least ${fmt(rule.lowestAt, 3)} (here ${fmt(p0, 2)}${over ? ': so ' + (grades[0] ?? 0) : ''})`;
    if (over) return `Ordinal thresholds with an override: ${first}.`;
    return `Ordinal thresholds with an override: ${first}; else the expected grade ${fmt(row.expected, 2)} is cut at ${rule.thresholds
      .map((t) => fmt(t, 2))
      .join(' and ')}.`;
  }
  if (rule.kind === 'ordinal-thresholds')
    return `Ordinal thresholds: the expected grade ${fmt(row.expected, 2)} is cut at ${rule.thresholds
      .map((t) => fmt(t, 2))
      .join(' and ')} (below the first: ${grades[0] ?? 0}; between: ${grades[1] ?? 1}; above: ${
      grades[2] ?? 2
    }).`;
  const adjusted = row.probs.map(
    (p, i) => `${grades[i] ?? i} ${fmt(Math.log(Math.max(p, 1e-12)) + (rule.offsets[i] ?? 0), 2)}`,
  );
  return `Grade offsets: log-probability plus a per-grade offset (${rule.offsets
    .map((o, i) => `${grades[i] ?? i} ${o >= 0 ? '+' : ''}${fmt(o, 2)}`)
    .join(', ')}), the largest wins: ${adjusted.join(', ')}.`;
}

export function PairDetail({
  row,
  grades,
  thresholds,
  percentiles,
  decision,
  closeHref,
}: {
  row: Row;
  grades: readonly string[];
  thresholds: Readonly<Record<string, number>>;
  /** Per detector, the share of ID test scores at or below this pair's score. */
  percentiles: Readonly<Record<string, number | null>>;
  decision: Decision | null;
  closeHref: string;
}) {
  return (
    <section
      className="panel pair-detail"
      id="pair"
      aria-labelledby="pair-h"
      data-pair-detail={row.id}
    >
      <h2 id="pair-h">
        Pair {row.id} <SplitBadge split={row.split} />{' '}
        <a className="small" href={closeHref}>
          Close
        </a>
      </h2>
      <PairFacts row={row} grades={grades} />
      <div className="grid">
        <div>
          <h3>Probabilities</h3>
          <DataTable
            name="pair-probs"
            label="Grade probabilities"
            columns={['Grade', numeric('Probability')]}
          >
            {row.probs.map((p, i) => (
              <tr key={i}>
                <th scope="row">{grades[i] ?? i}</th>
                <td className="num" data-prob={i}>
                  {fmt(p, 4)}
                </td>
              </tr>
            ))}
          </DataTable>
          <p className="note" data-detail="rule">
            {ruleText(decision, grades, row)}
          </p>
        </div>
        <div>
          <h3>OOD scores (higher = more out of distribution)</h3>
          <OodScoresTable row={row} thresholds={thresholds} percentiles={percentiles} />
        </div>
      </div>
      <NearestTrainingPairs neighbours={row.neighbours} grades={grades} />
      <Glossary
        terms={[
          'expected grade',
          'decision rule',
          'score direction',
          'calibrated threshold',
          'percentile',
        ]}
      />
    </section>
  );
}

/** The pair's texts, slice, true and predicted grade, expected grade and error. */
function PairFacts({ row, grades }: { row: Row; grades: readonly string[] }) {
  const gradeName = (g: number | null) => (g === null ? 'not labelled' : (grades[g] ?? String(g)));
  return (
    <dl className="pair-facts">
      <div>
        <dt>Query</dt>
        <dd>{row.query}</dd>
      </div>
      <div>
        <dt>Item</dt>
        <dd>{row.item}</dd>
      </div>
      <div>
        <dt>Slice</dt>
        <dd>{row.slice ?? '–'}</dd>
      </div>
      <div>
        <dt>True grade</dt>
        <dd data-detail="grade">{gradeName(row.grade)}</dd>
      </div>
      <div>
        <dt>Predicted grade</dt>
        <dd data-detail="predicted">{gradeName(row.predicted)}</dd>
      </div>
      <div>
        <dt>Expected grade · error</dt>
        <dd>
          {fmt(row.expected, 3)} · {fmt(row.error, 3)}
        </dd>
      </div>
    </dl>
  );
}

/** Each detector's score of the pair with its threshold, flag and ID test percentile. */
function OodScoresTable({
  row,
  thresholds,
  percentiles,
}: {
  row: Row;
  thresholds: Readonly<Record<string, number>>;
  percentiles: Readonly<Record<string, number | null>>;
}) {
  return (
    <DataTable
      name="pair-ood"
      label="OOD scores of the pair"
      columns={[
        'Detector',
        numeric('Score'),
        numeric('Threshold'),
        'Flag',
        numeric('ID test percentile'),
      ]}
    >
      {Object.entries(row.ood).map(([d, score]) => (
        <tr key={d}>
          <th scope="row">{d}</th>
          <td className="num">{fmt(score, 3)}</td>
          <td className="num">{fmt(thresholds[d], 3)}</td>
          <td>{row.flags[d] === true ? <span className="badge flag">OOD</span> : 'no'}</td>
          <td className="num" data-percentile={d}>
            {pct(percentiles[d])}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
