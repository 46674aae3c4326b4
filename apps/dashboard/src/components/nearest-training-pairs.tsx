/**
 * The nearest training pairs of a scored pair (content space: pooled query and item word directions), so an
 * analyst sees what the model learned from that looks like this pair, and with which grades.
 */
import { fmt } from '../lib/format';
import { DataTable, numeric } from './data-table';

/** One neighbour as predictions.jsonl stores it. */
export interface NeighbourRow {
  readonly id: string;
  readonly query: string;
  readonly item: string;
  readonly grade: number;
  readonly similarity: number;
}

export function NearestTrainingPairs({
  neighbours,
  grades,
}: {
  neighbours: readonly NeighbourRow[] | undefined;
  grades: readonly string[];
}) {
  if (neighbours === undefined || neighbours.length === 0)
    return (
      <p className="note" data-detail="neighbours">
        This run does not record the nearest training pairs (runs written before they were).
      </p>
    );
  return (
    <div data-detail="neighbours">
      <h3>Nearest training pairs</h3>
      <p className="note">
        The most similar in-distribution training pairs by what the texts are about (mean of the
        query and item word-direction cosines, among a sample of 4,096 training pairs), with the
        grade annotators gave them.
      </p>
      <DataTable
        name="pair-neighbours"
        label="Nearest training pairs"
        columns={['Query', 'Item', 'Grade', numeric('Similarity')]}
      >
        {neighbours.map((n) => (
          <tr key={n.id} data-neighbour={n.id}>
            <td>{n.query}</td>
            <td>{n.item}</td>
            <td>{grades[n.grade] ?? String(n.grade)}</td>
            <td className="num">{fmt(n.similarity, 3)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
