/**
 * Detectors per feature space and per OOD set (report.json `ood_sets[*].detection`, grouped by `ood_spaces`):
 * each space answers its own question, so each gets its own table, with AUROC, FPR@95 and the share flagged at
 * the calibrated threshold for every OOD set side by side.
 */
import { fmt, pct } from '../lib/format';
import type { OodSet, OodSpace } from '../lib/report';
import { DataTable, type HeadColumn } from './data-table';
import { setLabel } from './ood-set-verdict';

/** What each space answers, in display order. */
const SPACES: readonly { space: OodSpace; title: string; question: string }[] = [
  {
    space: 'content',
    title: 'Content space',
    question:
      'Is this traffic new? These scores read what the query and the item are about (pooled word vectors, unfamiliar words), not how well they match: a different catalogue or query mix moves them.',
  },
  {
    space: 'relevance',
    title: 'Relevance space',
    question:
      'Is the model unsure? These scores read the scorer’s hidden layer and logits, which encode how well the item matches the query; a foreign catalogue can match as well as a familiar one, so they may not see a new kind of traffic.',
  },
  {
    space: 'fused',
    title: 'Fused',
    question:
      'Both at once: each score turned into its ID-validation percentile and combined, so one threshold covers new traffic and an unsure model.',
  },
];

type SetDetectionRow = OodSet['detection'][string] | undefined;

/** The columns shown for each OOD set. */
const METRICS: readonly { key: string; label: string; show: (d: SetDetectionRow) => string }[] = [
  { key: 'auroc', label: 'AUROC', show: (d) => fmt(d?.auroc) },
  { key: 'fpr', label: 'FPR@95', show: (d) => fmt(d?.fprAtTpr) },
  { key: 'flagged', label: 'Flagged', show: (d) => pct(d?.flagged) },
];

/** The scores of each space; without `ood_spaces` every score read the relevance head. */
function scoresBySpace(sets: readonly OodSet[], spaces: Record<string, OodSpace> | null) {
  const names = [...new Set(sets.flatMap((s) => Object.keys(s.detection)))];
  return SPACES.map((info) => ({
    ...info,
    scores: names.filter((n) => (spaces?.[n] ?? 'relevance') === info.space),
  })).filter((group) => group.scores.length > 0);
}

export function SetDetection({
  sets,
  spaces,
}: {
  sets: readonly OodSet[];
  spaces: Record<string, OodSpace> | null;
}) {
  const columns: HeadColumn[] = [
    'Score',
    ...sets.flatMap((set) =>
      METRICS.map((m) => ({
        label: `${setLabel(set)} ${m.label}`,
        numeric: true,
        key: `${set.kind}-${m.key}`,
      })),
    ),
  ];
  return (
    <section className="panel" aria-labelledby="spaces-h" data-detection-spaces>
      <h2 id="spaces-h">Detectors per feature space, per OOD set</h2>
      <p className="note">
        ID test against each OOD set. AUROC 0.5 is chance, 1 perfect; FPR@95: share of the set
        passed as ID at the threshold that keeps 95% of ID test pairs (lower is better); Flagged:
        share of the set above the score’s calibrated threshold (95% of ID validation kept). The
        content space answers “is this traffic new?”, the relevance space “is the model unsure?”.
      </p>
      {scoresBySpace(sets, spaces).map(({ space, title, question, scores }) => (
        <div key={space} data-space={space}>
          <h3>{title}</h3>
          <p className="note">{question}</p>
          <DataTable
            name={`detection-${space}`}
            label={`${title}: detection per OOD set`}
            columns={columns}
          >
            {scores.map((name) => (
              <tr key={name} data-score={name}>
                <th scope="row">{name}</th>
                {sets.flatMap((set) =>
                  METRICS.map(({ key, show }) => (
                    <td
                      key={`${set.kind}-${key}`}
                      className="num"
                      data-set={set.kind}
                      data-metric={key}
                    >
                      {show(set.detection[name])}
                    </td>
                  )),
                )}
              </tr>
            ))}
          </DataTable>
        </div>
      ))}
    </section>
  );
}
