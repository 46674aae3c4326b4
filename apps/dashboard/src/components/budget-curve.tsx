/**
 * The Selection view's budget curve (report.json `budget_curve`, measured on the far-OOD test set): the mean
 * far macro-F1 gain over stage 1 per budget and strategy after stages 2 and 3 (two SVG charts), the same figures
 * with the ID change and its interval in a table, the paired per-query tests between strategies, and whether the
 * goal (distribution-aware above random with p < 0.05 at some budget, without an ID loss) was met.
 */
import { count, fmt, pct, signed } from '../lib/format';
import type { BudgetCurve as Curve } from '../lib/report';
import { ChartFrame } from './charts/chart-frame';
import { SvgLineChart } from './charts/svg-line-chart';
import { DataTable, numeric } from './data-table';

type Summary = Curve['summary'][number];

/** A budget as a share of the pool (`1%`, `0.5%`). */
export const budgetLabel = (f: number): string => pct(f, f < 0.01 ? 1 : 0);

const STAGES = [
  { key: 'stage2', label: 'Stage 2 (fine-tuned on the picks)' },
  { key: 'stage3', label: 'Stage 3 (interpolated)' },
] as const;

/** Whether a strategy's stage-3 ID macro-F1 stays inside stage 1's ID interval. */
function idLoss(curve: Curve, s: Summary): boolean | null {
  const [lo] = curve.id_macro_f1_interval;
  return lo === null ? null : curve.stage1.id_macro_f1 + s.id_macro_f1_change.value < lo;
}

function CurveCharts({ curve }: { curve: Curve }) {
  const categories = curve.budgets.map(budgetLabel);
  const at = (strategy: string, b: number) =>
    curve.summary.find((s) => s.strategy === strategy && s.budget_fraction === b);
  return (
    <div className="grid">
      {STAGES.map(({ key, label }) => {
        const series = curve.strategies.map((strategy) => ({
          name: strategy,
          values: curve.budgets.map((b) => at(strategy, b)?.far_macro_f1_gain[key] ?? null),
        }));
        return (
          <ChartFrame
            key={key}
            name={`budget-curve-${key}`}
            points={series.reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0)}
            caption={`${label}: far-test macro-F1 gain over stage 1, mean over ${curve.seeds.length} seed(s); the dashed line is no gain`}
            summary={series
              .map(
                (s) =>
                  `${s.name}: ${s.values.map((v, i) => `${categories[i] ?? ''} ${signed(v)}`).join(', ')}`,
              )
              .join('; ')}
          >
            <SvgLineChart
              categories={categories}
              series={series}
              yLabel="Far macro-F1 gain"
              xLabel="Budget (share of the pool)"
            />
          </ChartFrame>
        );
      })}
    </div>
  );
}

function CurveTable({ curve }: { curve: Curve }) {
  return (
    <DataTable
      name="budget-curve"
      label="Budget curve: gains per budget and strategy"
      columns={[
        'Budget',
        'Strategy',
        ...[
          'Picks',
          'From far pool',
          'Far F1 gain, stage 2',
          'Far F1 gain, stage 3',
          'Far NDCG@10 gain, stage 3',
          'ID F1 change [95% CI]',
        ].map(numeric),
        'ID loss?',
      ]}
    >
      {curve.summary.map((s) => {
        const loss = idLoss(curve, s);
        const c = s.id_macro_f1_change;
        return (
          <tr
            key={`${s.strategy}-${s.budget_fraction}`}
            data-curve-row={`${s.strategy}@${s.budget_fraction}`}
          >
            <th scope="row">{budgetLabel(s.budget_fraction)}</th>
            <td>{s.strategy}</td>
            <td className="num">{count(s.budget)}</td>
            <td className="num">{pct(s.far_share)}</td>
            <td className="num">{signed(s.far_macro_f1_gain.stage2, 4)}</td>
            <td className="num" data-gain-stage3>
              {signed(s.far_macro_f1_gain.stage3, 4)}
            </td>
            <td className="num">{signed(s.far_ndcg_at_10_gain.stage3, 4)}</td>
            <td className="num">
              {signed(c.value, 4)}
              {c.lo === null || c.hi === null ? '' : ` [${signed(c.lo, 4)}, ${signed(c.hi, 4)}]`}
            </td>
            <td>{loss === null ? '–' : loss ? 'yes: below the ID interval' : 'no'}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

function TestsTable({ curve }: { curve: Curve }) {
  return (
    <DataTable
      name="budget-tests"
      label="Paired per-query tests between strategies"
      columns={[
        'Budget',
        'Stage',
        'Metric',
        'Comparison',
        ...['Queries', 'Mean difference [95% CI]', 't-test p', 'Sign-flip p'].map(numeric),
      ]}
    >
      {curve.tests.map((t) => (
        <tr key={`${t.budget_fraction}-${t.stage}-${t.metric}-${t.strategy}-${t.versus}`}>
          <th scope="row">{budgetLabel(t.budget_fraction)}</th>
          <td>{t.stage === 'stage2' ? 'Stage 2' : 'Stage 3'}</td>
          <td>{t.metric}</td>
          <td>
            {t.strategy} vs {t.versus}
          </td>
          <td className="num">{count(t.queries)}</td>
          <td className="num">
            {signed(t.mean_difference, 4)} [{signed(t.bootstrap_ci[0], 4)},{' '}
            {signed(t.bootstrap_ci[1], 4)}]
          </td>
          <td className={t.t_test_p < 0.05 ? 'num good' : 'num'}>{fmt(t.t_test_p)}</td>
          <td className={t.sign_flip_p < 0.05 ? 'num good' : 'num'}>{fmt(t.sign_flip_p)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function BudgetCurveSection({ curve }: { curve: Curve }) {
  const origin = curve.pool.by_origin;
  return (
    <section className="panel" aria-labelledby="curve-h" data-budget-curve>
      <h2 id="curve-h">Budget curve on far-OOD traffic</h2>
      <p
        className={curve.goal.met ? 'callout' : 'callout callout-warn'}
        data-goal={curve.goal.met ? 'met' : 'not-met'}
      >
        <strong>Goal {curve.goal.met ? 'met' : 'not met'}:</strong> {curve.goal.summary}
      </p>
      <p className="note">
        Goal: distribution-aware selection gains more far-test macro-F1 than random with p &lt; 0.05
        at some budget, without an ID loss (stage-3 ID macro-F1 below stage 1&apos;s 95% interval{' '}
        {fmt(curve.id_macro_f1_interval[0])}–{fmt(curve.id_macro_f1_interval[1])}). Pool:{' '}
        {count(curve.pool.pairs)} pairs ({count(origin.id ?? 0)} ID, {count(origin.near ?? 0)} near,{' '}
        {count(origin.far ?? 0)} far); {curve.seeds.length} seed(s) per budget; stage 1: far
        macro-F1 {fmt(curve.stage1.far_macro_f1)}, ID macro-F1 {fmt(curve.stage1.id_macro_f1)}.
      </p>
      <CurveCharts curve={curve} />
      <h3>Gains per budget (mean over seeds)</h3>
      <CurveTable curve={curve} />
      <h3>Paired tests on far-test queries</h3>
      {curve.tests.length === 0 ? (
        <p role="status">The run recorded no paired test.</p>
      ) : (
        <TestsTable curve={curve} />
      )}
    </section>
  );
}
