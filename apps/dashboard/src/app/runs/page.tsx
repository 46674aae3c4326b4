/** Runs: every recorded run, and two of them side by side with a paired test over the queries they share. */
import Link from 'next/link';

import { ChartFrame } from '../../components/charts/chart-frame';
import { BarsChart } from '../../components/charts/lazy';
import { PageHeader } from '../../components/page-header';
import { ProblemState } from '../../components/states';
import { count, fmt, signed } from '../../lib/format';
import { loadRun, param, problemOf, type SearchParams } from '../../lib/load-run';
import { getApi } from '../../trpc/server';

export default async function RunsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const loaded = await loadRun(param(params, 'run'));
  const title = 'Runs';
  const lead =
    'Did the last round of training close the gap? Every recorded run, and any two compared.';
  if (!loaded.ok)
    return (
      <>
        <PageHeader title={title} lead={lead} />
        <ProblemState problem={loaded.problem} />
      </>
    );
  const finished = loaded.runs.filter((r) => r.status === 'succeeded');
  const a = param(params, 'a') ?? finished[1]?.id ?? finished[0]?.id;
  const b = param(params, 'b') ?? finished[0]?.id;
  let compared;
  let compareProblem;
  if (a !== undefined && b !== undefined) {
    try {
      compared = await getApi().api.runs.compare.query({ a, b, split: 'ood_test' });
    } catch (error) {
      compareProblem = problemOf(error);
    }
  }
  const shown = compared?.metrics.filter(
    (m) => (m.split === 'id_test' || m.split === 'ood_test') && m.a !== null && m.b !== null,
  );
  const label = (r: { name: string; kind: string; createdAt: string }) =>
    `${r.name} · ${r.kind} · ${r.createdAt.slice(0, 16).replace('T', ' ')}`;
  return (
    <>
      <PageHeader title={title} lead={lead} loaded={loaded} />
      <section className="panel" aria-labelledby="list-h">
        <h2 id="list-h">{count(loaded.runs.length)} recorded runs</h2>
        <div className="table-wrap">
          <table data-table="runs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">Id</th>
              </tr>
            </thead>
            <tbody>
              {loaded.runs.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    {r.status === 'succeeded' ? (
                      <Link href={`/?run=${encodeURIComponent(r.id)}`}>{r.name}</Link>
                    ) : (
                      r.name
                    )}
                  </th>
                  <td>{r.kind}</td>
                  <td>
                    <span className={`badge ${r.status === 'failed' ? 'flag' : ''}`}>
                      {r.status}
                    </span>
                    {r.error === null ? null : <div className="muted">{r.error}</div>}
                  </td>
                  <td>{r.createdAt.slice(0, 19).replace('T', ' ')}</td>
                  <td>{r.finishedAt?.slice(0, 19).replace('T', ' ') ?? '–'}</td>
                  <td>
                    <code>{r.id.slice(0, 8)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="compare-h">
        <h2 id="compare-h">Compare two runs</h2>
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
        {compareProblem === undefined ? null : <ProblemState problem={compareProblem} />}
        {compared === undefined || shown === undefined ? (
          finished.length < 2 ? (
            <p role="status">
              One finished run so far. Make another with{' '}
              <code>npx gradeshift pipeline --preset homedepot --out runs/NAME</code> to compare.
            </p>
          ) : null
        ) : (
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
              <div className="table-wrap">
                <table data-table="compare">
                  <thead>
                    <tr>
                      <th scope="col">Metric</th>
                      <th scope="col">Split</th>
                      <th scope="col" className="num">
                        A
                      </th>
                      <th scope="col" className="num">
                        B
                      </th>
                      <th scope="col" className="num">
                        B − A
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {compared.metrics.map((m) => (
                      <tr key={`${m.stage}:${m.split}:${m.name}`}>
                        <th scope="row">{m.name}</th>
                        <td>{m.split}</td>
                        <td className="num">{fmt(m.a?.value)}</td>
                        <td className="num">{fmt(m.b?.value)}</td>
                        <td className="num">{signed(m.difference)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="note" data-paired>
                {compared.paired === null
                  ? compared.note
                  : `Paired over ${count(compared.paired.queries)} shared OOD test queries (NDCG@10 per query): B − A = ${signed(compared.paired.meanDifference, 4)}, 95% CI ${signed(compared.paired.bootstrapCi[0], 4)} to ${signed(compared.paired.bootstrapCi[1], 4)}, t-test p = ${fmt(compared.paired.tTestP)}, sign-flip p = ${fmt(compared.paired.signFlipP)}.`}
              </p>
            </div>
          </div>
        )}
      </section>
    </>
  );
}
