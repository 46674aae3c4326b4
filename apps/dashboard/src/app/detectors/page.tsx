/** Detectors: can we tell shifted traffic apart? Histograms, ROC curves, the metric table and a threshold control. */
import { ChartFrame } from '../../components/charts/chart-frame';
import { RocChart } from '../../components/charts/lazy';
import { DetectorExplorer } from '../../components/detector-explorer';
import { PageHeader } from '../../components/page-header';
import { MissingSection, ProblemState } from '../../components/states';
import { detectorViews } from '../../lib/detector-stats';
import { fmt } from '../../lib/format';
import { loadRun, param, problemOf, type SearchParams } from '../../lib/load-run';
import { getTestRows } from '../../lib/test-rows';

export default async function DetectorsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const loaded = await loadRun(param(params, 'run'));
  const title = 'Detectors';
  const lead =
    'Can we detect the shift? OOD scores of the ID and OOD test sets, and what a threshold would flag.';
  if (!loaded.ok)
    return (
      <>
        <PageHeader title={title} lead={lead} />
        <ProblemState problem={loaded.problem} />
      </>
    );
  const header = <PageHeader title={title} lead={lead} loaded={loaded} />;
  let views;
  try {
    const rows = await getTestRows(
      loaded.id,
      loaded.detail.run.finishedAt ?? loaded.detail.run.createdAt,
    );
    views = detectorViews(rows);
  } catch (error) {
    return (
      <>
        {header}
        <ProblemState problem={problemOf(error)} />
      </>
    );
  }
  const detection = loaded.report.detection;
  const level = Number(param(params, 'level'));
  return (
    <>
      {header}
      {views.length === 0 ? (
        <MissingSection what="OOD scores in its predictions" />
      ) : (
        <DetectorExplorer
          views={views}
          calibrated={loaded.report.thresholds ?? {}}
          initialDetector={param(params, 'detector') ?? 'mahalanobis'}
          initialLevel={Number.isFinite(level) && level >= 0 && level <= 1 ? level : undefined}
        />
      )}
      <div className="grid">
        <section className="panel" aria-labelledby="roc-h">
          <h2 id="roc-h">ROC curves (OOD test = positive)</h2>
          <ChartFrame
            name="detector-roc"
            points={views.reduce((s, v) => s + v.roc.length, 0)}
            caption="True vs false positive rate of each detector over all thresholds"
          >
            <RocChart series={views.map((v) => ({ name: v.name, points: v.roc }))} />
          </ChartFrame>
        </section>
        <section className="panel" aria-labelledby="table-h">
          <h2 id="table-h">Detection metrics</h2>
          {detection === null ? (
            <MissingSection what="ood_detection section" />
          ) : (
            <div className="table-wrap">
              <table data-table="detection">
                <thead>
                  <tr>
                    <th scope="col">Detector</th>
                    <th scope="col" className="num">
                      AUROC
                    </th>
                    <th scope="col" className="num">
                      AUPR-In
                    </th>
                    <th scope="col" className="num">
                      AUPR-Out
                    </th>
                    <th scope="col" className="num">
                      FPR@95TPR
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(detection)
                    .sort((a, b) => b[1].auroc - a[1].auroc)
                    .map(([name, d]) => (
                      <tr key={name}>
                        <th scope="row">{name}</th>
                        <td className="num">{fmt(d.auroc)}</td>
                        <td className="num">{fmt(d.auprIn)}</td>
                        <td className="num">{fmt(d.auprOut)}</td>
                        <td className="num">{fmt(d.fprAtTpr)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="note">
            AUROC 0.5 is chance. FPR@95TPR: the false-positive rate at the threshold reaching a 95%
            true-positive rate.
          </p>
        </section>
      </div>
    </>
  );
}
