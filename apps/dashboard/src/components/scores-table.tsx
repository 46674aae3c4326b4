/**
 * The Playground's table of scored items, the same for the API's scores and the browser's: predicted (with the
 * rule behind it explained above the table), most probable and expected grade, each grade's probability and each OOD score with its ID percentile (p0–p100) and a badge where it is above its threshold.
 */
import type { ReactNode } from 'react';

import type { ScoreRow } from '../lib/compare-scores';
import { fmt } from '../lib/format';
import { DataTable, numeric } from './data-table';
import { DecisionNote, mostProbable } from './decision-note';

export function ScoresTable({
  name,
  items,
  grades,
  oodNames,
  rows,
  flagged,
  extra,
  decision,
}: {
  /** The table's `data-table` name. */
  name: string;
  /** The items' texts, one per row. */
  items: readonly string[];
  grades: readonly string[];
  oodNames: readonly string[];
  rows: readonly ScoreRow[];
  /** Whether row `i`'s OOD score `name` is above its threshold. */
  flagged: (i: number, name: string) => boolean;
  /**
   * A last column, and the scores as a `data-scores` attribute on each row with its flagged OOD scores in
   * `data-flagged` (the browser's table).
   */
  extra?: { readonly label: string; readonly cell: (i: number) => ReactNode };
  /** The rule behind "Predicted", named and explained above the table. @default none shown */
  decision?: { readonly kind: string; readonly name: string; readonly explanation: string };
}) {
  return (
    <>
      {decision === undefined ? null : <DecisionNote decision={decision} grades={grades} />}
      <DataTable
        name={name}
        label={`Scored items (${name})`}
        className="sticky-first"
        columns={[
          'Item',
          'Predicted',
          'Most probable',
          numeric('Expected'),
          numeric(`P(${grades.map((g) => g.slice(0, 3)).join(' / ')})`),
          ...oodNames.map(numeric),
          ...(extra === undefined ? [] : [numeric(extra.label)]),
        ]}
      >
        {rows.map((row, i) => (
          <tr
            key={i}
            data-scores={extra === undefined ? undefined : JSON.stringify(row)}
            data-flagged={
              extra === undefined ? undefined : oodNames.filter((d) => flagged(i, d)).join(' ')
            }
          >
            <td className="text-cell">{items[i]}</td>
            <td data-col="predicted">{grades[row.predicted] ?? row.predicted}</td>
            <td data-col="most-probable">
              {grades[mostProbable(row.probs)] ?? mostProbable(row.probs)}
            </td>
            <td className="num">{fmt(row.expected, 4)}</td>
            <td className="num">{row.probs.map((p) => fmt(p, 3)).join(' / ')}</td>
            {oodNames.map((d) => (
              <td key={d} className="num">
                {fmt(row.ood[d], 3)}
                {row.percentiles?.[d] === undefined ? null : (
                  <span
                    className="muted"
                    title="ID percentile: the share of held-out ID pairs scoring at most this"
                  >
                    {' '}
                    p{fmt(100 * row.percentiles[d], 0)}
                  </span>
                )}
                {flagged(i, d) ? (
                  <>
                    {' '}
                    <span className="badge flag">OOD</span>
                  </>
                ) : null}
              </td>
            ))}
            {extra === undefined ? null : <td className="num">{extra.cell(i)}</td>}
          </tr>
        ))}
      </DataTable>
    </>
  );
}
