/** Detectors: can we tell shifted traffic apart? Histograms, ROC curves, the metric table and a threshold control. */
import { ChartFrame } from '../../components/charts/chart-frame';
import { RocChart } from '../../components/charts/lazy';
import { DataTable, numeric } from '../../components/data-table';
import { DetectorExplorer } from '../../components/detector-explorer';
import { DetectorVerdict } from '../../components/detector-verdict';
import { Glossary } from '../../components/glossary';
import { RunView } from '../../components/run-view';
import { SetDetection } from '../../components/set-detection';
import { MissingSection } from '../../components/states';
import { detectorViews } from '../../lib/detector-stats';
import { fmt } from '../../lib/format';
import { param, type SearchParams } from '../../lib/load-run';
import { getTestRows } from '../../lib/test-rows';

export default async function DetectorsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const level = Number(param(params, 'level'));
  return (
    <RunView
      title="Detectors"
      lead="Can we detect the shift? OOD scores of the ID and OOD test sets, and what a threshold would flag."
      run={param(params, 'run')}
      load={async ({ id, detail: { run } }) =>
        detectorViews(await getTestRows(id, run.finishedAt ?? run.createdAt))
      }
    >
      {({ report }, views) => (
        <>
          {report.oodSets.length > 0 ? (
            <SetDetection sets={report.oodSets} spaces={report.spaces} />
          ) : null}
          {report.detection === null ? null : <DetectorVerdict detection={report.detection} />}
          {views.length === 0 ? (
            <MissingSection what="OOD scores in its predictions" />
          ) : (
            <DetectorExplorer
              views={views}
              calibrated={report.thresholds ?? {}}
              initialDetector={param(params, 'detector') ?? 'mahalanobis'}
              initialLevel={Number.isFinite(level) && level >= 0 && level <= 1 ? level : undefined}
              run={param(params, 'run')}
            />
          )}
          <div className="grid">
            <section className="panel" aria-labelledby="roc-h">
              <h2 id="roc-h">ROC curves (OOD test = positive)</h2>
              <ChartFrame
                name="detector-roc"
                points={views.reduce((s, v) => s + v.roc.length, 0)}
                caption="True vs false positive rate of each detector over all thresholds (the diagonal is chance)"
                summary={views
                  .map((v) => `${v.name}: AUROC ${fmt(report.detection?.[v.name]?.auroc)}`)
                  .join('; ')}
              >
                <RocChart series={views.map((v) => ({ name: v.name, points: v.roc }))} />
              </ChartFrame>
            </section>
            <section className="panel" aria-labelledby="table-h">
              <h2 id="table-h">Detection metrics</h2>
              {report.detection === null ? (
                <MissingSection what="ood_detection section" />
              ) : (
                <DataTable
                  name="detection"
                  columns={[
                    'Detector',
                    ...['AUROC', 'AUPR-In', 'AUPR-Out', 'FPR@95TPR'].map(numeric),
                  ]}
                >
                  {Object.entries(report.detection)
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
                </DataTable>
              )}
              <p className="note">
                AUROC 0.5 is chance. FPR@95TPR: the false-positive rate at the threshold reaching a
                95% true-positive rate.
              </p>
            </section>
          </div>
          <Glossary terms={['AUROC', 'score direction', 'calibrated threshold']} />
        </>
      )}
    </RunView>
  );
}
