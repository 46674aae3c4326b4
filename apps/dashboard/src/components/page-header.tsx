/** The title row of a view: its name, what it answers, and the run selector. */
import type { LoadedRun } from '../lib/load-run';
import { RunPicker } from './run-picker';

export function PageHeader({
  title,
  lead,
  loaded,
}: {
  title: string;
  lead: string;
  loaded?: LoadedRun;
}) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        <p className="lead">{lead}</p>
      </div>
      {loaded === undefined ? null : (
        <RunPicker
          current={loaded.id}
          runs={loaded.runs
            .filter((r) => r.status === 'succeeded' || r.id === loaded.id)
            .map((r) => ({
              id: r.id,
              label: `${r.name} · ${r.kind} · ${r.createdAt.slice(0, 16).replace('T', ' ')}`,
            }))}
        />
      )}
    </header>
  );
}
