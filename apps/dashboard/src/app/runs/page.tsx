/** Runs: every recorded run, and two of them side by side with a paired test over the queries they share. */

import { ChartFrame } from '../../components/charts/chart-frame';
import { BarsChart } from '../../components/charts/lazy';
import { DataTable, numeric } from '../../components/data-table';
import { RunView } from '../../components/run-view';
import { ProblemState } from '../../components/states';
import { count, fmt, signed } from '../../lib/format';
import { baseName, labelsOrigin } from '../../lib/labels-origin';
import {
  param,
  problemOf,
  type LoadedRun,
  type Problem,
  type SearchParams,
} from '../../lib/load-run';
import { getApi, type RouterOutputs } from '../../trpc/server';

type Comparison = RouterOutputs['runs']['compare'];

/** The two runs compared (`?a=&b=`, by default the two newest finished ones) and their comparison, or why it failed. */
async function compareRuns(
  loaded: LoadedRun,
  params: Awaited<SearchParams>,
): Promise<{ a?: string; b?: string; compared?: Comparison; compareProblem?: Problem }> {
  const finished = loaded.runs.filter((r) => r.status === 'succeeded');
  const a = param(params, 'a') ?? finished[1]?.id;
  const b = param(params, 'b') ?? finished[0]?.id;
  // A run compared with itself says nothing (p = 1): the view shows how to get a second run instead.
  if (a === undefined || b === undefined || a === b) return {};
  try {
    return { a, b, compared: await getApi().api.runs.compare.query({ a, b, split: 'ood_test' }) };
  } catch (error) {
    return { a, b, compareProblem: problemOf(error) };
  }
}

export default async function RunsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <RunView
      title="Runs"
      lead="Did the last round of training close the gap? Every recorded run, and any two compared."
      run={param(params, 'run')}
      load={(loaded) => compareRuns(loaded, params)}
    >
      {(loaded, comparison) => <RunsView loaded={loaded} {...comparison} />}
    </RunView>
  );
}

/** "from run X, labels file Y" under a labels run's kind. */
function LabelsOriginLine({
  run,
  runs,
}: {
  run: { kind: string; config?: unknown };
  runs: readonly { id: string; name: string }[];
}) {
  const origin = labelsOrigin(run);
  if (origin === undefined) return null;
  const from = runs.find((r) => r.id === origin.fromRunId);
  return (
    <div className="muted">
      from run{' '}
      {from === undefined ? (
        baseName(origin.fromDir)
      ) : (
        <a href={`/?run=${encodeURIComponent(from.id)}`}>{from.name}</a>
      )}
      , labels file <code>{baseName(origin.labelsFile)}</code>
    </div>
  );
}

function RunsView({
  loaded,
  a,
  b,
  compared,
  compareProblem,
}: {
  loaded: LoadedRun;
  a?: string | undefined;
  b?: string | undefined;
  compared?: Comparison | undefined;
  compareProblem?: Problem | undefined;
}) {
  const finished = loaded.runs.filter((r) => r.status === 'succeeded');
  return (
    <>
      <section className="panel" aria-labelledby="list-h">
        <h2 id="list-h">
          {count(loaded.runs.length)} recorded run{loaded.runs.length === 1 ? '' : 's'}
        </h2>
        <RunsTable runs={loaded.runs} />
      </section>
      <section className="panel" aria-labelledby="compare-h">
        <h2 id="compare-h">Compare two runs</h2>
        {finished.length < 2 ? null : (
          <CompareForm loaded={loaded} finished={finished} a={a} b={b} />
        )}
        {compareProblem === undefined ? null : <ProblemState problem={compareProblem} />}
        {compared === undefined ? (
          finished.length < 2 ? (
            <p role="status">
              One finished run so far. Make another with{' '}
              <code>npx gradeshift pipeline --preset homedepot --out runs/NAME</code> to compare.
            </p>
          ) : (
            <p role="status">Pick two different runs to compare.</p>
          )
        ) : (
          <ComparisonResult compared={compared} />
        )}
      </section>
    </>
  );
}

type RunRow = LoadedRun['runs'][number];

/** Every recorded run: a finished one links to its Overview. */
function RunsTable({ runs }: { runs: readonly RunRow[] }) {
  return (
    <DataTable name="runs" columns={['Name', 'Kind', 'Status', 'Started', 'Finished', 'Id']}>
      {runs.map((r) => (
        <tr key={r.id}>
          <th scope="row">
            {r.status === 'succeeded' ? (
              <a href={`/?run=${encodeURIComponent(r.id)}`}>{r.name}</a>
            ) : (
              r.name
            )}
          </th>
          <td>
            {r.kind}
            <LabelsOriginLine run={r} runs={runs} />
          </td>
          <td>
            <span className={`badge ${r.status === 'failed' ? 'flag' : ''}`}>{r.status}</span>
            {r.error === null ? null : <div className="muted">{r.error}</div>}
          </td>
          <td>{r.createdAt.slice(0, 19).replace('T', ' ')}</td>
          <td>{r.finishedAt?.slice(0, 19).replace('T', ' ') ?? '–'}</td>
          <td>
            <code>{r.id.slice(0, 8)}</code>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The two run pickers (the URL's run kept). */
function CompareForm({
  loaded,
  finished,
  a,
  b,
}: {
  loaded: LoadedRun;
  finished: readonly RunRow[];
  a: string | undefined;
  b: string | undefined;
}) {
  const label = (r: RunRow) =>
    `${r.name} · ${r.kind} · ${r.createdAt.slice(0, 16).replace('T', ' ')}`;
  return (
    <form className="filters" method="get" action="/runs">
      {loaded.explicit ? <input type="hidden" name="run" value={loaded.id} /> : null}
      {(['a', 'b'] as const).map((side) => (
        <label className="field" key={side}>
          Run {side.toUpperCase()}
          <select name={side} defaultValue={side === 'a' ? a : b}>
            {finished.map((r) => (
              <option key={r.id} value={r.id}>
                {label(r)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <button type="submit">Compare</button>
    </form>
  );
}

/** The test metrics of the two runs side by side, their differences, and the paired test. */
function ComparisonResult({ compared }: { compared: Comparison }) {
  const shown = compared.metrics.filter(
    (m) => (m.split === 'id_test' || m.split === 'ood_test') && m.a !== null && m.b !== null,
  );
  const { paired } = compared;
  return (
    <div className="grid">
      <ChartFrame
        name="runs-compare"
        points={shown.length * 2}
        caption={`A = ${compared.a.name}, B = ${compared.b.name}: test metrics of each`}
      >
        <BarsChart
          category="metric"
          series={[
            { key: 'a', label: `A: ${compared.a.name}` },
            { key: 'b', label: `B: ${compared.b.name}` },
          ]}
          rows={shown.map((m) => ({
            metric: `${m.name} (${m.split === 'ood_test' ? 'OOD' : 'ID'})`,
            a: m.a?.value ?? 0,
            b: m.b?.value ?? 0,
          }))}
        />
      </ChartFrame>
      <div>
        <DataTable
          name="compare"
          columns={['Metric', 'Split', numeric('A'), numeric('B'), numeric('B − A')]}
        >
          {compared.metrics.map((m) => (
            <tr key={`${m.stage}:${m.split}:${m.name}`}>
              <th scope="row">{m.name}</th>
              <td>{m.split}</td>
              <td className="num">{fmt(m.a?.value)}</td>
              <td className="num">{fmt(m.b?.value)}</td>
              <td className="num">{signed(m.difference)}</td>
            </tr>
          ))}
        </DataTable>
        <p className="note" data-paired>
          {paired === null
            ? compared.note
            : `Paired over ${count(paired.queries)} shared OOD test queries (NDCG@10 per query): B − A = ${signed(paired.meanDifference, 4)}, 95% CI ${signed(paired.bootstrapCi[0], 4)} to ${signed(paired.bootstrapCi[1], 4)}, t-test p = ${fmt(paired.tTestP)}, sign-flip p = ${fmt(paired.signFlipP)}.`}
        </p>
      </div>
    </div>
  );
}
