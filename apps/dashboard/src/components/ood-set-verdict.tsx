/**
 * The Overview's verdict card for one OOD set of a run (report.json `ood_sets`): the macro-F1 gap with its own
 * interval and p-value, the share of the set the verdict's best detector flags, the set's grade mix beside ID
 * test's, the pipeline's one-sentence verdict and its next step (with the Selection view one click away).
 */
import { fmt, pct, signed } from '../lib/format';
import { METRIC_INFO, METRICS, type OodSet } from '../lib/report';
import { samplesHref } from '../lib/samples-query';
import { withRun } from '../lib/views';
import { DataTable, numeric } from './data-table';
import { splitLabel } from './samples-filters';

/** The set's readable name. */
export const setLabel = (set: Pick<OodSet, 'kind'>): string =>
  set.kind === 'near' ? 'Near OOD' : 'Far OOD';

type Gap = OodSet['gap']['macro_f1'];

/** `+0.060 [+0.040, +0.080], p = 0.010` */
const gapText = (g: Gap | undefined): string =>
  g === undefined
    ? '–'
    : `${signed(g.value)}${g.lo === null || g.hi === null ? '' : ` [${signed(g.lo)}, ${signed(g.hi)}]`}${g.p === null ? '' : `, p = ${fmt(g.p)}`}`;

function GradeMix({ set, grades }: { set: OodSet; grades: readonly string[] }) {
  return (
    <DataTable
      name={`grade-mix-${set.kind}`}
      label={`Grade mix of ID test and ${setLabel(set)}`}
      columns={['Grade', numeric('ID test'), numeric(setLabel(set))]}
    >
      {set.grade_mix.map((share, g) => (
        <tr key={g}>
          <th scope="row">{grades[g] ?? g}</th>
          <td className="num">{pct(set.id_grade_mix[g])}</td>
          <td className="num">{pct(share)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

function GapTable({ set, run }: { set: OodSet; run: string | undefined }) {
  const worst = samplesHref({ run, split: set.split, sort: 'error', order: 'desc' });
  return (
    <DataTable
      name={`set-gap-${set.kind}`}
      label={`Gap between ID test and ${setLabel(set)}`}
      columns={['Metric', numeric('Gap (ID − set) [95% CI], p')]}
    >
      {METRICS.map((m) => (
        <tr key={m}>
          <th scope="row">{METRIC_INFO[m].label}</th>
          <td className="num">
            <a href={worst} data-drill={`gap-${m}`}>
              {gapText(set.gap[m])}
            </a>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function OodSetVerdict({
  set,
  grades,
  sameGuidelines,
  run,
}: {
  set: OodSet;
  grades: readonly string[];
  /** Whether the set comes from the training file (judged under the same guidelines as ID). */
  sameGuidelines: boolean;
  /** The run named in the URL, carried by the links. */
  run: string | undefined;
}) {
  const { verdict } = set;
  const best = set.detection[verdict.best_detector];
  const f1 = set.gap.macro_f1;
  const label = setLabel(set);
  return (
    <section
      className="panel verdict"
      aria-labelledby={`verdict-${set.kind}-h`}
      data-verdict={set.split}
      data-ood-set={set.kind}
    >
      <h2 id={`verdict-${set.kind}-h`}>
        Verdict: {label} — {set.description} ({set.pairs} pairs, {set.queries} queries)
      </h2>
      <p data-verdict-finding>
        <strong>{verdict.summary}</strong> Macro-F1 gap (ID test − {label}):{' '}
        <span data-set-gap>{gapText(f1)}</span> (95% query-bootstrap interval of the difference).
      </p>
      <dl className="kpis">
        <div className="kpi">
          <dt>Macro-F1 gap</dt>
          <dd>{signed(f1?.value)}</dd>
        </div>
        <div className="kpi">
          <dt>p-value of the gap</dt>
          <dd>{fmt(f1?.p)}</dd>
        </div>
        <div className="kpi">
          <dt>Flagged by {verdict.best_detector}</dt>
          <dd data-set-flagged>{pct(best?.flagged)}</dd>
        </div>
        <div className="kpi">
          <dt>{verdict.best_detector} AUROC</dt>
          <dd>{fmt(best?.auroc)}</dd>
        </div>
      </dl>
      <p data-next-step>
        Next: {verdict.next_step}{' '}
        <a href={withRun('/selection', run)} data-drill="selection">
          Selection: what to annotate
        </a>{' '}
        ·{' '}
        <a href={samplesHref({ run, split: set.split, sort: 'error', order: 'desc' })}>
          {splitLabel(set.split)} pairs with the largest errors
        </a>{' '}
        · <a href={withRun('/map', run)}>where it sits on the Map</a>
      </p>
      <div className="grid">
        <GapTable set={set} run={run} />
        <div>
          <GradeMix set={set} grades={grades} />
          <p className="note" data-guidelines>
            {sameGuidelines
              ? `${label} comes from the training file and was judged under the same guidelines as ID test; its grade mix still differs by department, so read each gap beside the two mixes.`
              : `${label} was judged under different guidelines (another retailer's annotators) with a different grade mix: a gap here mixes the shift with the labelling, so read it beside the two mixes.`}
          </p>
        </div>
      </div>
    </section>
  );
}
