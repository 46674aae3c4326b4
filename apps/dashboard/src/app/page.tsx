/**
 * Overview: a verdict per OOD split (the gap with its own interval and p-value, what it means, what to do next,
 * links to the pairs behind it), ID vs OOD for every metric with intervals, and how macro-F1 moved across
 * training stages 1 → 2 → 3.
 */
import { GapVerdict } from '../components/gap-verdict';
import { Glossary } from '../components/glossary';
import { OodSetVerdict } from '../components/ood-set-verdict';
import { MetricsSection, StagesSection } from '../components/overview-sections';
import { RunView } from '../components/run-view';
import { MissingSection } from '../components/states';
import { param, type SearchParams } from '../lib/load-run';
import { oodSplitNames, type RunReport } from '../lib/report';

/** A verdict card per OOD set (near, far), after the sentence on their guidelines. */
function OodSetVerdicts({ report, run }: { report: RunReport; run: string | undefined }) {
  return (
    <>
      {report.oodSets.length > 1 ? (
        <p className="callout" data-guidelines-note>
          Near and far OOD were judged under different guidelines (the training file&apos;s and
          another retailer&apos;s), with different grade mixes: compare each set with ID test, never
          the two sets with each other. Each card shows both grade mixes.
        </p>
      ) : null}
      {report.oodSets.map((set) => (
        <OodSetVerdict
          key={set.kind}
          set={set}
          grades={report.gradeNames}
          sameGuidelines={set.source.path === report.sourcePath}
          run={run}
        />
      ))}
    </>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: SearchParams }) {
  const run = param(await searchParams, 'run');
  return (
    <RunView
      title="Overview"
      lead="How much worse is the model on shifted traffic, and did training stages 2 and 3 close the gap?"
      run={run}
    >
      {({ report }) => (
        <>
          <Verdicts report={report} run={run} />
          <MetricsSection report={report} />
          {report.stages === null ? (
            <MissingSection what="training stages" />
          ) : (
            <StagesSection
              stages={report.stages}
              id={report.testSplits['id_test']}
              far={report.testSplits['far_test'] !== undefined}
            />
          )}
          <Glossary
            terms={[
              'gap',
              'interval',
              'p-value',
              'over-recall',
              'α',
              'AUROC',
              'calibrated threshold',
            ]}
          />
        </>
      )}
    </RunView>
  );
}

/** A verdict card per OOD set or, for a report from before the sets, a gap verdict per OOD split. */
function Verdicts({ report, run }: { report: RunReport; run: string | undefined }) {
  if (report.oodSets.length > 0) return <OodSetVerdicts report={report} run={run} />;
  const id = report.testSplits['id_test'];
  const oodNames = oodSplitNames(report);
  if (id === undefined || oodNames.length === 0)
    return <MissingSection what="ID / OOD test metrics" />;
  return oodNames.map((name) => {
    const ood = report.testSplits[name];
    return ood === undefined ? null : (
      <GapVerdict key={name} id={id} ood={ood} split={name} run={run} />
    );
  });
}
